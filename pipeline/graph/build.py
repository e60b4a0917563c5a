"""Stage 6, graph: assemble one article's extraction as a networkx graph in the store schema.

Nodes carry `label` and `props`; edges carry `type` and `props`. Every label and type comes
from `pipeline.graph.schema`, so a store can trust them when it writes Cypher.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from models import Entity, ExtractionResult
from pipeline.graph.schema import check_label, check_rel_type, label_for

def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _entity_props(entity: Entity) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "iso": entity.attributes.get("iso"),
        "country": entity.attributes.get("country"),
    }


def build_graph(result: ExtractionResult, *, language: str | None = "en") -> nx.MultiDiGraph:
    """The article, its entities, events and figures, and every relationship between them."""
    graph = nx.MultiDiGraph(article_id=result.article.id)
    article = result.article
    _node(graph, article.id, "Article", {
        "id": article.id, "url": article.url, "title": article.title, "source": article.source,
        "published": _iso(article.published), "content_hash": result.content_hash,
        "language": language,
    })  # fmt: skip
    for entity in result.entities:
        _node(graph, entity.id, label_for(entity.type), _entity_props(entity))
        if entity.mentions:
            first = entity.mentions[0]
            _edge(graph, article.id, entity.id, "MENTIONS", {
                "count": len(entity.mentions), "first_offset": first.start, "field": first.field,
                "surface": first.text, "aliases": entity.aliases,
                "title": entity.attributes.get("title"),
            })  # fmt: skip
        country = entity.attributes.get("country")
        if country and entity.type in {"GPE", "LOC", "FAC", "NORP"}:
            _edge(graph, entity.id, f"country:{country.lower()}", "IN_COUNTRY", {})
    for event in result.events:
        _node(graph, event.id, "Event", {
            "id": event.id, "type": event.type, "mode": event.mode, "cameo": event.cameo,
            "status": event.status, "date": event.date, "date_text": event.date_text,
            "confidence": event.confidence,
        })  # fmt: skip
        _edge(graph, article.id, event.id, "REPORTS", {
            "sentence": event.sentence.text, "field": event.sentence.field,
            "start_offset": event.sentence.start, "end_offset": event.sentence.end,
            "trigger": event.trigger.text, "trigger_start": event.trigger.start,
            "trigger_end": event.trigger.end, "confidence": event.confidence,
            "date_text": event.date_text,
        })  # fmt: skip
        for participant in event.participants:
            _edge(graph, event.id, participant.entity_id, participant.role.upper(), {})
    for figure in result.figures:
        _node(graph, figure.id, "Figure", {
            "id": figure.id, "value": figure.value, "unit": figure.unit, "kind": figure.kind,
            "direction": figure.direction, "metric": figure.metric, "basis": figure.basis,
            "period": figure.period, "text": figure.span.text, "field": figure.span.field,
            "start_offset": figure.span.start, "end_offset": figure.span.end, "sentence": figure.sentence.text,
        })  # fmt: skip
        _edge(graph, article.id, figure.id, "HAS_FIGURE", {})
        for index, entity_id in enumerate(figure.entity_ids):
            role = "subject" if index == 0 else "counterpart"
            _edge(graph, figure.id, entity_id, "CONCERNS", {"role": role})
    for relation in result.relations:
        props = {"sentence": relation.sentence.text, "field": relation.sentence.field,
                 "start_offset": relation.sentence.start, "end_offset": relation.sentence.end}  # fmt: skip
        if relation.type == "AFFILIATED_WITH":
            props |= {"role": relation.attributes.get("role"), "article_id": article.id}
        else:
            props = {"event_id": relation.event_id, "date": relation.date,
                     "event_type": relation.attributes.get("event_type"),
                     "mode": relation.attributes.get("mode"),
                     "status": relation.attributes.get("status")}  # fmt: skip
        _edge(graph, relation.source_id, relation.target_id, relation.type, props)
    cited = Counter(result.citations)
    for org_id, count in sorted(cited.items()):
        _edge(graph, article.id, org_id, "CITES", {"count": count})
    for quote in result.quotes:
        if quote.speaker_id:
            _edge(graph, article.id, quote.speaker_id, "QUOTES", {
                "text": quote.text.text, "sentence": quote.text.text, "field": quote.text.field,
                "start_offset": quote.text.start, "end_offset": quote.text.end,
            })  # fmt: skip
    return graph


def _node(graph: nx.MultiDiGraph, node_id: str, label: str, props: dict) -> None:
    graph.add_node(node_id, label=check_label(label), props=props)


def _edge(graph: nx.MultiDiGraph, source: str, target: str, rel_type: str, props: dict) -> None:
    check_rel_type(rel_type)
    # One edge per (type, pair), except where the pair can hold several: an actor pair
    # meets more than once (one projection per event), a person has several roles, an
    # article quotes a speaker several times.
    key: str | None = rel_type
    if props.get("event_id"):
        key = f"{rel_type}:{props['event_id']}"
    elif rel_type in {"QUOTES", "AFFILIATED_WITH"}:
        key = None
    if key is not None and graph.has_edge(source, target, key):
        return
    graph.add_edge(source, target, key=key, type=rel_type, props=props)


def build_duplicate_graph(article, original_id: str, kind: str) -> nx.MultiDiGraph:
    """A copy of an article already ingested: its own Article node, linked to the original
    and not extracted again."""
    graph = nx.MultiDiGraph(article_id=article.id)
    _node(graph, article.id, "Article", {
        "id": article.id, "url": article.url, "title": article.title, "source": article.source,
        "published": _iso(article.published), "content_hash": article.content_hash,
        "language": article.language,
    })  # fmt: skip
    _node(graph, original_id, "Article", {"id": original_id})
    _edge(graph, article.id, original_id, "DUPLICATE_OF", {"kind": kind})
    return graph
