"""The write algorithm shared by every Cypher store: idempotent and incremental.

For a batch of article graphs, inside one transaction:
1. articles whose content hash is already stored are skipped (unless forced);
2. a changed article first loses its own facts: mentions, reports, figures, citations,
   quotes and affiliations; events no other article reports, with their projections; and
   entities that nothing points at any more;
3. nodes are upserted label by label (`UNWIND $rows MERGE`), relationships are created type
   by type and label pair by label pair. An event already in the store keeps its
   participants and projections; only its new REPORTS edge is added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from models import ArticleGraph, PropValue, WriteReport
from pipeline.graph.schema import NODE_TYPES, rel_types, rel_types_owned_by
from pipeline.store import cypher

Run = Callable[[str, dict[str, Any]], list[list[Any]]]


def write_graphs(
    run: Run,
    graphs: Iterable[ArticleGraph],
    *,
    force: bool,
    batch_size: int,
    dialect: cypher.Dialect = cypher.LADYBUG,
) -> WriteReport:
    """Write `graphs` with `run(statement, params) -> rows` inside the caller's transaction."""
    graphs = list(graphs)
    report = WriteReport()
    stored = dict(run(cypher.ARTICLE_HASHES, {"ids": [g.article_id for g in graphs]}))
    todo: list[ArticleGraph] = []
    for graph in graphs:
        article_id = graph.article_id
        new_hash = graph.article.props.get("content_hash")
        if article_id in report.outcomes:
            continue  # the same article twice in one batch: the first copy wins
        if article_id not in stored:
            report.outcomes[article_id] = "new"
        elif stored[article_id] == new_hash and not force:
            report.outcomes[article_id] = "unchanged"
            continue
        else:
            report.outcomes[article_id] = "updated"
        todo.append(graph)
    orphan_candidates: dict[str, set[str]] = defaultdict(set)
    for graph in todo:
        if report.outcomes[graph.article_id] == "updated":
            _remove_article_facts(run, graph.article_id, orphan_candidates, dialect)
    if todo:
        _write_new(run, todo, batch_size)
    _delete_orphans(run, orphan_candidates)
    return report


def _remove_article_facts(
    run: Run, article_id: str, candidates: dict[str, set[str]], dialect: cypher.Dialect
) -> None:
    params = {"id": article_id}
    for entity_id, label in run(cypher.article_entities(dialect), params):
        candidates[label].add(entity_id)
    for person_id, other_id, label in run(cypher.article_affiliations(dialect), params):
        candidates["Person"].add(person_id)
        candidates[label].add(other_id)
    event_ids = [row[0] for row in run(cypher.ARTICLE_EVENTS, params)]
    run(cypher.DELETE_ARTICLE_FIGURES, params)
    run(cypher.DELETE_ARTICLE_AFFILIATIONS, params)
    for rel_type in rel_types_owned_by("article"):
        run(cypher.delete_article_rels(rel_type), params)
    if not event_ids:
        return
    dead = [row[0] for row in run(cypher.UNREPORTED_EVENTS, {"ids": event_ids})]
    if dead:
        for rel_type in rel_types_owned_by("projected"):
            run(cypher.delete_projections(rel_type), {"ids": dead})
        run(cypher.DELETE_EVENTS, {"ids": dead})


def _write_new(run: Run, graphs: list[ArticleGraph], batch_size: int) -> None:
    nodes: dict[str, dict[str, dict[str, PropValue]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for graph in graphs:
        for node in graph.nodes:
            labels[node.id] = node.label
            known = nodes[node.label].setdefault(node.id, {})
            known.update({k: v for k, v in node.props.items() if v is not None or k not in known})
    event_ids = list(nodes.get("Event", {}))
    known_events = {row[0] for row in run(cypher.EXISTING_EVENTS, {"ids": event_ids})} if event_ids else set()
    for label in NODE_TYPES:
        rows = [_full_row(label, node_id, props) for node_id, props in nodes.get(label, {}).items()]
        for chunk in _chunks(rows, batch_size):
            run(cypher.merge_nodes(label, _present(chunk)), {"rows": chunk})
    created: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    merged: dict[tuple[str, str, str], dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
    schema = rel_types()
    for graph in graphs:
        for rel in graph.relationships:
            owner = schema[rel.type].owner
            if owner in ("participant", "projected"):
                event_id = rel.source if owner == "participant" else rel.props.get("event_id")
                if event_id in known_events:
                    continue  # the event is stored: it keeps its participants and projections
            key = (rel.type, labels[rel.source], labels[rel.target])
            row = {"s": rel.source, "t": rel.target} | _full_rel_props(rel.type, rel.props)
            if owner in ("participant", "projected", "merged"):
                merged[key].setdefault((rel.source, rel.target, rel.props.get("event_id")), row)
            else:
                created[key].append(row)
    for (rel_type, source_label, target_label), rows in sorted(created.items()):
        for chunk in _chunks(rows, batch_size):
            run(cypher.create_rels(rel_type, source_label, target_label, _present(chunk)), {"rows": chunk})
    for (rel_type, source_label, target_label), pairs in sorted(merged.items()):
        rows = list(pairs.values())
        for chunk in _chunks(rows, batch_size):
            statement = (
                cypher.merge_rels(rel_type, source_label, target_label)
                if schema[rel_type].owner == "merged"
                else cypher.create_rels(rel_type, source_label, target_label, _present(chunk))
            )
            run(statement, {"rows": chunk})


def _delete_orphans(run: Run, candidates: dict[str, set[str]]) -> None:
    # The countries that candidates are linked to are candidates too: removing a city (or the
    # last entity linked to an implied country) can leave that country with nothing pointing
    # at it. Two rounds: first the entities, then their countries.
    ids = sorted({i for group in candidates.values() for i in group})
    if ids:
        candidates["Place"] |= {row[0] for row in run(cypher.countries_of(cypher.LADYBUG), {"ids": ids})}
    for _ in range(2):
        for label, group in sorted(candidates.items()):
            run(cypher.delete_orphans(label), {"ids": sorted(group)})


def _full_row(label: str, node_id: str, props: dict[str, PropValue]) -> dict[str, PropValue]:
    return {name: node_id if name == "id" else props.get(name) for name in NODE_TYPES[label].properties}


def _present(rows: list[dict[str, Any]]) -> frozenset[str]:
    """The properties that at least one row gives a value."""
    return frozenset(k for row in rows for k, v in row.items() if v is not None)


def _full_rel_props(rel_type: str, props: dict[str, PropValue]) -> dict[str, PropValue]:
    return {name: props.get(name) for name in rel_types()[rel_type].properties}


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
