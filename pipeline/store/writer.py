"""The write algorithm shared by every Cypher store: idempotent and incremental.

For a batch of article graphs, inside one transaction:
1. articles whose content hash is already stored are skipped (unless forced);
2. a changed article first loses its own facts: mentions, reports, figures, citations,
   quotes and affiliations; events no other article reports, with their projections; and
   entities that nothing points at any more;
3. nodes are upserted label by label (`UNWIND $rows MERGE`), relationships are created type
   by type and label pair by label pair, in statements of at most `batch_size` rows. An event
   already in the store keeps its sources, targets and projections (its id hashes them); only
   its new REPORTS edge is added;
4. what several articles say differently about one event is derived from all its reports,
   whichever order they were written in (`derive_event`): the event's confidence, date_text and
   cameo, and its LOCATION edges. Events that gained or lost a report are derived again from
   the REPORTS edges in the store, so a clean, a forced and a resumed ingest give one graph;
5. entities that nothing points at any more are deleted.

Rows carry every schema property for LadybugDB (it types a parameter list by its first rows)
and only the non-null ones for Neo4j (`Dialect.sparse_rows`), where a missing key reads as null
and costs nothing to send.
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
    rows = _Rows(dialect)
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
    touched: set[str] = set()  # stored events that gain or lose a report in this batch
    for graph in todo:
        if report.outcomes[graph.article_id] == "updated":
            touched |= _remove_article_facts(run, graph.article_id, orphan_candidates, dialect)
    if todo:
        touched |= _write_new(run, todo, batch_size, rows)
    if touched:
        _derive_stored_events(run, sorted(touched), orphan_candidates, dialect, rows)
    _delete_orphans(run, orphan_candidates)
    return report


def _remove_article_facts(
    run: Run, article_id: str, candidates: dict[str, set[str]], dialect: cypher.Dialect
) -> set[str]:
    """Delete what the article owns; the ids of its events that other articles still report."""
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
        return set()
    dead = [row[0] for row in run(cypher.UNREPORTED_EVENTS, {"ids": event_ids})]
    if dead:
        for rel_type in rel_types_owned_by("projected"):
            run(cypher.delete_projections(rel_type), {"ids": dead})
        run(cypher.DELETE_EVENTS, {"ids": dead})
    return set(event_ids) - set(dead)


def _write_new(run: Run, graphs: list[ArticleGraph], batch_size: int, rows: _Rows) -> set[str]:
    """Upsert the nodes and create the relationships of these graphs; the ids of the events
    that were stored before (their shared properties are derived again afterwards)."""
    nodes: dict[str, dict[str, dict[str, PropValue]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for graph in graphs:
        for node in graph.nodes:
            labels[node.id] = node.label
            known = nodes[node.label].setdefault(node.id, {})
            known.update({k: v for k, v in node.props.items() if v is not None or k not in known})
    event_ids = list(nodes.get("Event", {}))
    known_events = {row[0] for row in run(cypher.EXISTING_EVENTS, {"ids": event_ids})} if event_ids else set()
    reports: dict[str, list[tuple[str, dict[str, PropValue]]]] = defaultdict(list)
    for graph in graphs:
        for rel in graph.relationships:
            if rel.type == "REPORTS":
                reports[rel.target].append((rel.source, rel.props))
    for event_id in known_events:
        nodes["Event"].pop(event_id)  # its id hashes what it is; the rest is derived below
    for event_id, props in nodes.get("Event", {}).items():
        props.update({k: v for k, v in derive_event(reports[event_id])[0].items() if v is not None})
    for label in NODE_TYPES:
        full = [_full_row(label, node_id, props) for node_id, props in nodes.get(label, {}).items()]
        for chunk in _chunks(full, batch_size):
            run(cypher.merge_nodes(label, _present(chunk)), {"rows": rows.send(chunk)})
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
    for (rel_type, source_label, target_label), group in sorted(created.items()):
        for chunk in _chunks(group, batch_size):
            run(cypher.create_rels(rel_type, source_label, target_label, _present(chunk)), {"rows": rows.send(chunk)})
    for (rel_type, source_label, target_label), pairs in sorted(merged.items()):
        for chunk in _chunks(list(pairs.values()), batch_size):
            statement = (
                cypher.merge_rels(rel_type, source_label, target_label)
                if schema[rel_type].owner == "merged"
                else cypher.create_rels(rel_type, source_label, target_label, _present(chunk))
            )
            run(statement, {"rows": rows.send(chunk)})
    return known_events


def derive_event(reports: list[tuple[str, dict[str, PropValue]]]) -> tuple[dict[str, PropValue], list[str] | None]:
    """What an event's reports (article id, REPORTS properties) say about it as a whole: the
    highest confidence; the date_text and cameo of the report from the lowest article id that
    has one; and its locations, the union of what the reports name (None when no report says,
    as in snapshots from before reports carried them: the LOCATION edges are then left alone)."""
    ordered = sorted(reports, key=lambda report: report[0])

    def first(key: str) -> PropValue:
        return next((props[key] for _, props in ordered if props.get(key) is not None), None)

    confidences = [c for _, props in reports if isinstance(c := props.get("confidence"), (int, float))]
    named = [places for _, props in reports if isinstance(places := props.get("locations"), list)]
    locations = sorted({str(place) for places in named for place in places}) if named else None
    return {"confidence": max(confidences) if confidences else None, "date_text": first("date_text"),
            "cameo": first("cameo")}, locations  # fmt: skip


def _derive_stored_events(run: Run, event_ids: list[str], candidates: dict[str, set[str]],
                          dialect: cypher.Dialect, rows: _Rows) -> None:  # fmt: skip
    """Derive the shared properties and LOCATION edges of stored events from all their
    REPORTS in the store; a location that loses its edge becomes an orphan candidate."""
    reports: dict[str, list[tuple[str, dict[str, PropValue]]]] = defaultdict(list)
    for event_id, article_id, confidence, date_text, cameo, places in run(cypher.EVENT_REPORTS, {"ids": event_ids}):
        reports[event_id].append((article_id, {"confidence": confidence, "date_text": date_text, "cameo": cameo,
                                               "locations": places}))  # fmt: skip
    updates: list[dict[str, Any]] = []
    wanted: dict[str, set[str]] = {}
    for event_id, event_reports in sorted(reports.items()):
        props, locations = derive_event(event_reports)
        updates.append({"id": event_id, **props})
        if locations is not None:
            wanted[event_id] = set(locations)
    for chunk in _chunks(updates, 1000):
        present = _present(chunk) - {"id"}
        if present:
            run(cypher.set_derived_event(present), {"rows": rows.send(chunk)})
    if not wanted:
        return
    have: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for event_id, place_id, label in run(cypher.event_locations(dialect), {"ids": sorted(wanted)}):
        have[event_id].add(place_id)
        labels[place_id] = label
    gone = [{"s": e, "t": p} for e in sorted(wanted) for p in sorted(have[e] - wanted[e])]
    new = [(e, p) for e in sorted(wanted) for p in sorted(wanted[e] - have[e])]
    if gone:
        run(cypher.DELETE_LOCATIONS, {"rows": gone})
        for row in gone:
            candidates[labels[row["t"]]].add(row["t"])
    missing = sorted({p for _, p in new} - labels.keys())
    if missing:
        labels.update(dict(run(cypher.labels_of(dialect), {"ids": missing})))
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event_id, place_id in new:
        if place_id in labels:  # a place the store no longer has is not pointed at again
            by_label[labels[place_id]].append({"s": event_id, "t": place_id})
    for label, group in sorted(by_label.items()):
        run(cypher.merge_rels("LOCATION", "Event", label), {"rows": rows.send(group)})


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


class _Rows:
    """Parameter rows as the dialect wants them sent."""

    def __init__(self, dialect: cypher.Dialect):
        self.sparse = dialect.sparse_rows

    def send(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.sparse:
            return rows
        return [{k: v for k, v in row.items() if v is not None} for row in rows]


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
