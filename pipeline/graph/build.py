"""Stage 3, graph: one article's extraction as a typed `ArticleGraph` in the store schema.

Every label and relationship type comes from `pipeline.graph.schema`, so a store can trust
them when it writes Cypher. One relationship per (type, source, target, identity), the
identity being the properties the schema names for the type (an actor pair meets once per
event; a person has one affiliation per role and article).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from models import Article, ArticleGraph, Entity, ExtractionResult, Node, PropValue, Relationship, facts_hash
from pipeline.graph.schema import check_label, check_rel_type, label_for, rel_types


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class _Builder:
    def __init__(self, article_id: str):
        self.graph = ArticleGraph(article_id=article_id, nodes=[])
        self._nodes: set[str] = set()
        self._rels: set[tuple[Any, ...]] = set()

    def node(self, node_id: str, label: str, props: dict[str, PropValue]) -> None:
        if node_id in self._nodes:
            return
        self._nodes.add(node_id)
        self.graph.nodes.append(Node(id=node_id, label=check_label(label), props=props))

    def rel(self, source: str, target: str, rel_type: str, props: dict[str, PropValue]) -> None:
        identity = rel_types()[check_rel_type(rel_type)].identity
        key = (rel_type, source, target, *(props.get(name) for name in identity))
        if key in self._rels:
            return
        self._rels.add(key)
        self.graph.relationships.append(Relationship(type=rel_type, source=source, target=target, props=props))


def _article_props(article: Article | Any, content_hash: str, language: str | None) -> dict[str, PropValue]:
    return {
        "url": article.url, "title": article.title, "source": article.source,
        "published": _iso(article.published), "content_hash": content_hash, "language": language,
    }  # fmt: skip


def _entity_props(entity: Entity) -> dict[str, PropValue]:
    if entity.type == "AGENT":
        return {"name": entity.name, "type": entity.type, "sector": entity.attributes.get("sector"),
                "country": entity.attributes.get("country")}  # fmt: skip
    return {
        "name": entity.name,
        "type": entity.type,
        "iso": entity.attributes.get("iso"),
        "country": entity.attributes.get("country"),
    }


def build_graph(result: ExtractionResult) -> ArticleGraph:
    """The article, its entities, events and figures, and every relationship between them."""
    article = result.article
    build = _Builder(article.id)
    stored = facts_hash(result.content_hash, result.extractor)  # re-read when the extractor changes
    build.node(article.id, "Article", _article_props(article, stored, article.language))
    for entity in result.entities:
        build.node(entity.id, label_for(entity.type), _entity_props(entity))
        if entity.mentions:
            first = entity.mentions[0]
            build.rel(article.id, entity.id, "MENTIONS", {
                "count": len(entity.mentions), "first_offset": first.start, "field": first.field,
                "surface": first.text, "aliases": entity.aliases,
                "title": entity.attributes.get("title"),
            })  # fmt: skip
        country = entity.attributes.get("country")
        if country and entity.type in {"GPE", "LOC", "FAC", "NORP", "AGENT"}:
            build.rel(entity.id, f"country:{country.lower()}", "IN_COUNTRY", {})
    for event in result.events:
        build.node(event.id, "Event", {
            "type": event.type, "mode": event.mode, "cameo": event.cameo,
            "status": event.status, "date": event.date, "date_text": event.date_text,
            "confidence": event.confidence,
        })  # fmt: skip
        build.rel(article.id, event.id, "REPORTS", {
            "sentence": event.sentence.text, "field": event.sentence.field,
            "start_offset": event.sentence.start, "end_offset": event.sentence.end,
            "trigger": event.trigger.text, "trigger_start": event.trigger.start,
            "trigger_end": event.trigger.end, "confidence": event.confidence,
            "date_text": event.date_text, "cameo": event.cameo,
            "locations": sorted({p.entity_id for p in event.participants if p.role == "location"}),
        })  # fmt: skip
        for participant in event.participants:
            build.rel(event.id, participant.entity_id, participant.role.upper(), {})
    for figure in result.figures:
        build.node(figure.id, "Figure", {
            "value": figure.value, "unit": figure.unit, "kind": figure.kind,
            "direction": figure.direction, "metric": figure.metric, "basis": figure.basis,
            "period": figure.period, "text": figure.span.text, "field": figure.span.field,
            "start_offset": figure.span.start, "end_offset": figure.span.end, "sentence": figure.sentence.text,
        })  # fmt: skip
        build.rel(article.id, figure.id, "HAS_FIGURE", {})
        for index, entity_id in enumerate(figure.entity_ids):
            build.rel(figure.id, entity_id, "CONCERNS", {"role": "subject" if index == 0 else "counterpart"})
    for relation in result.relations:
        props: dict[str, PropValue]
        if relation.type == "AFFILIATED_WITH":
            props = {"sentence": relation.sentence.text, "field": relation.sentence.field,
                     "start_offset": relation.sentence.start, "end_offset": relation.sentence.end,
                     "role": relation.attributes.get("role"), "article_id": article.id}  # fmt: skip
        else:
            props = {"event_id": relation.event_id, "date": relation.date,
                     "event_type": relation.attributes.get("event_type"),
                     "mode": relation.attributes.get("mode"),
                     "status": relation.attributes.get("status")}  # fmt: skip
        build.rel(relation.source_id, relation.target_id, relation.type, props)
    for org_id, count in sorted(Counter(result.citations).items()):
        build.rel(article.id, org_id, "CITES", {"count": count})
    for quote in result.quotes:
        if quote.speaker_id:
            build.rel(article.id, quote.speaker_id, "QUOTES", {
                "text": quote.text.text, "sentence": quote.text.text, "field": quote.text.field,
                "start_offset": quote.text.start, "end_offset": quote.text.end,
            })  # fmt: skip
    return build.graph


def build_duplicate_graph(article: Article, original_id: str, kind: str, extractor: str) -> ArticleGraph:
    """A copy of an article already ingested: its own Article node, linked to the original
    and not extracted again."""
    build = _Builder(article.id)
    stored = facts_hash(article.content_hash, extractor)
    build.node(article.id, "Article", _article_props(article, stored, article.language))
    build.node(original_id, "Article", {})
    build.rel(article.id, original_id, "DUPLICATE_OF", {"kind": kind})
    return build.graph
