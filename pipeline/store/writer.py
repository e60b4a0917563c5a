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
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from models import WriteReport
from pipeline.store import cypher
from pipeline.graph.schema import NODE_PROPS, projection_types, rel_schema

Run = Callable[[str, dict[str, Any]], list[list[Any]]]

ARTICLE_RELS = ("MENTIONS", "REPORTS", "HAS_FIGURE", "CITES", "QUOTES", "DUPLICATE_OF")
EVENT_RELS = {"SOURCE", "TARGET", "LOCATION"}
MERGED_RELS = {"IN_COUNTRY"}


def write_graphs(
    run: Run,
    graphs: Iterable[nx.MultiDiGraph],
    *,
    force: bool,
    batch_size: int,
    dialect: cypher.Dialect = cypher.LADYBUG,
) -> WriteReport:
    """Write `graphs` with `run(statement, params) -> rows` inside the caller's transaction."""
    graphs = list(graphs)
    report = WriteReport()
    ids = [g.graph["article_id"] for g in graphs]
    stored = dict(run(cypher.ARTICLE_HASHES, {"ids": ids}))
    todo: list[nx.MultiDiGraph] = []
    for graph in graphs:
        article_id = graph.graph["article_id"]
        new_hash = graph.nodes[article_id]["props"]["content_hash"]
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
        article_id = graph.graph["article_id"]
        if report.outcomes[article_id] == "updated":
            _remove_article_facts(run, article_id, orphan_candidates, dialect)
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
    for rel_type in ARTICLE_RELS:
        run(cypher.delete_article_rels(rel_type), params)
    if not event_ids:
        return
    dead = [row[0] for row in run(cypher.UNREPORTED_EVENTS, {"ids": event_ids})]
    if dead:
        for rel_type in sorted(set(projection_types().values())):
            run(cypher.delete_projections(rel_type), {"ids": dead})
        run(cypher.DELETE_EVENTS, {"ids": dead})


def _write_new(run: Run, graphs: list[nx.MultiDiGraph], batch_size: int) -> None:
    nodes: dict[str, dict[str, dict]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for graph in graphs:
        for node_id, data in graph.nodes(data=True):
            labels[node_id] = data["label"]
            known = nodes[data["label"]].setdefault(node_id, {})
            known.update({k: v for k, v in data["props"].items() if v is not None or k not in known})
    event_ids = list(nodes.get("Event", {}))
    known_events = {row[0] for row in run(cypher.EXISTING_EVENTS, {"ids": event_ids})} if event_ids else set()
    for label in NODE_PROPS:
        rows = [_full_row(label, props) for props in nodes.get(label, {}).values()]
        for chunk in _chunks(rows, batch_size):
            run(cypher.merge_nodes(label, _present(chunk)), {"rows": chunk})
    created: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    merged: dict[tuple[str, str, str], dict[tuple, dict]] = defaultdict(dict)
    for graph in graphs:
        for source, target, data in graph.edges(data=True):
            rel_type = data["type"]
            if rel_type in EVENT_RELS or data["props"].get("event_id"):
                event_id = source if rel_type in EVENT_RELS else data["props"]["event_id"]
                if event_id in known_events:
                    continue
            key = (rel_type, labels[source], labels[target])
            row = {"s": source, "t": target} | _full_rel_props(rel_type, data["props"])
            if rel_type in MERGED_RELS or rel_type in EVENT_RELS or data["props"].get("event_id"):
                merged[key].setdefault((source, target, data["props"].get("event_id")), row)
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
                if rel_type in MERGED_RELS
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
        for label, ids in sorted(candidates.items()):
            run(cypher.delete_orphans(label), {"ids": sorted(ids)})


def _full_row(label: str, props: dict) -> dict:
    return {name: props.get(name) for name in NODE_PROPS[label]}


def _present(rows: list[dict]) -> frozenset[str]:
    """The properties that at least one row gives a value."""
    return frozenset(k for row in rows for k, v in row.items() if v is not None)


def _full_rel_props(rel_type: str, props: dict) -> dict:
    return {name: props.get(name) for name in rel_schema()[rel_type][1]}


def _chunks(rows: list, size: int) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
