"""Slices of a snapshot: a time window, event types, an actor's ego network, a mention floor;
and the periods that `newsgraph snapshot --every` cuts a snapshot into.

A slice first decides which events and which articles are in, then keeps what those hold:
- `--since/--until` on event dates (`by="event"`) keeps the events dated in the window and
  the articles that report them; on publication (`by="published"`) it keeps the articles
  published in the window and the events they report. Partial dates compare at their own
  precision, as in `newsgraph actors`: an event dated "2024-04" is inside `--since 2024-04-15`;
  undated events are outside every window.
- `--types` keeps events whose PLOVER type (CONSULT) or actor relation (MET) is listed.
- `--around ACTOR --depth N` keeps the actors within N hops of ACTOR over actor-to-actor
  relations, the events between them and the articles that report those events.
- `--min-mentions N` keeps the entities mentioned at least N times in the kept articles.
An entity, figure or event stays when a kept article or a kept event points at it; a
relationship stays when both its ends do (an actor relation also needs its event).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import UsageError
from pipeline.graph.schema import ACTOR_LABELS, ENTITY_LABELS, rel_types, rel_types_owned_by
from pipeline.nlp.relations import projection_for
from pipeline.snapshots.elements import Snapshot


class SliceSpec(BaseModel):
    """Which part of a snapshot to keep; the default keeps everything."""

    model_config = ConfigDict(extra="forbid")

    since: str | None = None
    until: str | None = None
    by: Literal["event", "published"] = "event"
    types: list[str] = Field(default_factory=list)
    around: str | None = None
    depth: int = Field(default=1, ge=1)
    min_mentions: int = Field(default=0, ge=0)

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.types or self.around or self.min_mentions)


def in_window(value: str | None, since: str | None, until: str | None) -> bool:
    """Partial ISO dates compared at their own precision (see the module docstring)."""
    if not value:
        return not (since or until)
    if since and value < since[: len(value)]:
        return False
    return not (until and value[: len(until)] > until)


def relation_types() -> set[str]:
    return set(rel_types_owned_by("projected"))


def slice_snapshot(snapshot: Snapshot, spec: SliceSpec) -> Snapshot:
    """The part of `snapshot` that `spec` selects, in canonical order."""
    if not spec.active:
        return snapshot
    labels = {node.id: node.label for node in snapshot.nodes}
    props = {node.id: node.props for node in snapshot.nodes}
    reporters: dict[str, set[str]] = defaultdict(set)
    for rel in snapshot.rels:
        if rel.type == "REPORTS":
            reporters[rel.target].add(rel.source)
    events = {i for i, label in labels.items() if label == "Event"}
    articles = {i for i, label in labels.items() if label == "Article"}
    event_filter = False
    if (spec.since or spec.until) and spec.by == "event":
        events = {e for e in events if in_window(_text(props[e].get("date")), spec.since, spec.until)}
        event_filter = True
    if spec.types:
        wanted = {t.strip().upper() for t in spec.types}
        events = {e for e in events if props[e].get("type") in wanted
                  or projection_for(str(props[e].get("type", "")), _text(props[e].get("mode"))) in wanted}  # fmt: skip
        event_filter = True
    if (spec.since or spec.until) and spec.by == "published":
        articles = {a for a in articles if in_window(str(props[a].get("published") or "")[:10], spec.since, spec.until)}
        events = {e for e in events if reporters[e] & articles}
    ego: set[str] | None = None
    if spec.around:
        ego = ego_network(snapshot, events, find_node(snapshot, spec.around), spec.depth)
        between = {rel.props.get("event_id") for rel in snapshot.rels if rel.source in ego and rel.target in ego}
        events &= between
        event_filter = True
    if event_filter:
        articles = {a for e in events for a in reporters[e]} & articles
    events = {e for e in events if reporters[e] & articles}
    keep = _kept_nodes(snapshot, labels, articles, events)
    if ego is not None:
        keep = {n for n in keep if labels[n] not in ACTOR_LABELS or n in ego}
    if spec.min_mentions:
        mentions = mention_counts(snapshot, articles)
        keep = {n for n in keep if labels[n] not in ENTITY_LABELS or mentions.get(n, 0) >= spec.min_mentions}
    nodes = [node for node in snapshot.nodes if node.id in keep]
    schema = rel_types()
    rels = [
        rel for rel in snapshot.rels
        if rel.source in keep and rel.target in keep
        and (schema[rel.type].owner != "projected" or rel.props.get("event_id") in events)
        and (schema[rel.type].owner != "attributed" or rel.props.get("article_id") in articles)
    ]  # fmt: skip
    return Snapshot(nodes, rels)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _kept_nodes(snapshot: Snapshot, labels: dict[str, str], articles: set[str], events: set[str]) -> set[str]:
    keep = set(articles) | events
    schema = rel_types()
    for rel in snapshot.rels:
        owner = schema[rel.type].owner
        if owner == "article" and rel.source in articles and labels[rel.target] != "Article" or owner == "participant" and rel.source in events:
            keep.add(rel.target)
        elif owner == "attributed" and rel.props.get("article_id") in articles:
            keep |= {rel.source, rel.target}
    for _ in range(2):  # a figure's entities, then a city's country, then that country's own
        for rel in snapshot.rels:
            if schema[rel.type].owner in ("figure", "merged") and rel.source in keep:
                keep.add(rel.target)
    return {n for n in keep if labels[n] != "Event" or n in events}


def mention_counts(snapshot: Snapshot, articles: set[str] | None = None) -> dict[str, int]:
    """Entity id -> times mentioned, summed over articles (all, or only `articles`)."""
    counts: dict[str, int] = defaultdict(int)
    for rel in snapshot.rels:
        if rel.type == "MENTIONS" and (articles is None or rel.source in articles):
            counts[rel.target] += int(rel.props.get("count", 1))  # type: ignore[arg-type]
    return counts


def find_node(snapshot: Snapshot, wanted: str) -> str:
    """An actor by id, else by exact name (case-insensitive)."""
    ids = {node.id for node in snapshot.nodes if node.label in ACTOR_LABELS}
    if wanted in ids:
        return wanted
    folded = wanted.casefold()
    for node in snapshot.nodes:
        if node.label in ACTOR_LABELS and str(node.props.get("name", "")).casefold() == folded:
            return node.id
    raise UsageError(f"no actor named {wanted!r} in the graph: give an exact name or id (see `newsgraph actors`)")


def ego_network(snapshot: Snapshot, events: set[str], center: str, depth: int) -> set[str]:
    """Actors within `depth` hops of `center` over actor relations of these events."""
    relations = relation_types()
    graph = nx.Graph()
    graph.add_node(center)
    for rel in snapshot.rels:
        if rel.type in relations and rel.props.get("event_id") in events:
            graph.add_edge(rel.source, rel.target)
    return set(nx.single_source_shortest_path_length(graph, center, cutoff=depth))


# --- periods -------------------------------------------------------------------------------

EVERY = ("month", "quarter", "year")


class Period(BaseModel):
    name: str
    since: str
    until: str


def _period_of(value: str, every: str) -> tuple[int, int] | None:
    """(year, first month) of the period holding a date precise enough to place."""
    if every == "year" and len(value) >= 4:
        return int(value[:4]), 1
    if len(value) < 7:
        return None
    year, month = int(value[:4]), int(value[5:7])
    return (year, month) if every == "month" else (year, 3 * ((month - 1) // 3) + 1)


def periods(snapshot: Snapshot, every: str, by: Literal["event", "published"] = "event") -> list[Period]:
    """Every period from the first dated event (or article) to the last, in order."""
    label, prop = ("Event", "date") if by == "event" else ("Article", "published")
    placed = (_period_of(str(n.props[prop]), every) for n in snapshot.nodes if n.label == label and n.props.get(prop))
    starts = {start for start in placed if start is not None}
    if not starts:
        return []
    step = {"month": 1, "quarter": 3, "year": 12}[every]
    (year, month), last = min(starts), max(starts)
    found = []
    while (year, month) <= last:
        end_month = month + step - 1
        first, final = date(year, month, 1), date(year, end_month, 1)
        if every == "year":
            found.append(Period(name=f"{year}", since=f"{year}", until=f"{year}"))
        elif every == "quarter":
            found.append(Period(name=f"{year}-Q{(month - 1) // 3 + 1}", since=first.strftime("%Y-%m"), until=final.strftime("%Y-%m")))
        else:
            found.append(Period(name=first.strftime("%Y-%m"), since=first.strftime("%Y-%m"), until=first.strftime("%Y-%m")))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return found
