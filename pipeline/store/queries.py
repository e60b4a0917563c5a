"""The questions analysts ask most, as Cypher that runs on every store.

Each canned query is built from fixed text (the store's dialect decides only `label(r)` vs
`type(r)` and `lower` vs `toLower`); everything the user types travels as a parameter.
`--since`/`--until` compare partial ISO dates at their own precision: an event dated
"2024-04" is inside `--since 2024-04-15`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import QueryResult
from pipeline.errors import UsageError
from pipeline.graph.schema import rel_types_owned_by
from pipeline.store import GraphStore
from pipeline.store.cypher import Dialect


@dataclass(frozen=True)
class Canned:
    cypher: str
    params: dict[str, Any]


def _date_filter(field: str, since: str | None, until: str | None, params: dict[str, Any]) -> str:
    clauses = []
    if since:
        params["since"] = since
        clauses.append(f"{field} IS NOT NULL AND {field} >= left($since, size({field}))")
    if until:
        params["until"] = until
        clauses.append(f"{field} IS NOT NULL AND left({field}, size($until)) <= $until")
    return "".join(f" AND {c}" for c in clauses)


def actors(dialect: Dialect, *, since: str | None = None, until: str | None = None, limit: int = 20) -> Canned:
    """The most connected actors: events they took part in, and distinct counterparts."""
    params: dict[str, Any] = {"limit": limit}
    where = _date_filter("r.date", since, until, params)
    label = dialect.label_of.format("a")
    return Canned(
        "MATCH (a)-[r]-(b) WHERE r.event_id IS NOT NULL" + where + " "
        f"RETURN a.name AS actor, {label} AS label, count(DISTINCT r.event_id) AS events, "
        "count(DISTINCT b.id) AS counterparts ORDER BY events DESC, counterparts DESC, actor LIMIT $limit",
        params,
    )


def relations(dialect: Dialect, actor_id: str, *, since: str | None = None, until: str | None = None) -> Canned:
    """Who did what to whom, involving one actor, with the date and evidence sentence."""
    params: dict[str, Any] = {"actor": actor_id}
    where = _date_filter("r.date", since, until, params)
    rel = dialect.type_of.format("r")
    return Canned(
        "MATCH (a)-[r]->(b) WHERE r.event_id IS NOT NULL AND (a.id = $actor OR b.id = $actor)" + where + " "
        "MATCH (art:Article)-[rep:REPORTS]->(e:Event) WHERE e.id = r.event_id "
        f"RETURN r.date AS date, a.name AS source, {rel} AS relation, b.name AS target, "
        "r.status AS status, rep.sentence AS evidence, art.url AS url "
        "ORDER BY date, source, relation, target, url",
        params,
    )


def timeline(dialect: Dialect, actor_id: str, *, since: str | None = None, until: str | None = None) -> Canned:
    """Every event the actor took part in, in date order (undated events last)."""
    params: dict[str, Any] = {"actor": actor_id}
    where = _date_filter("e.date", since, until, params)
    role = dialect.type_of.format("role")
    return Canned(
        "MATCH (e:Event)-[role]->(n) WHERE n.id = $actor" + where + " "
        "MATCH (art:Article)-[rep:REPORTS]->(e) "
        "OPTIONAL MATCH (e)-[:SOURCE]->(s) OPTIONAL MATCH (e)-[:TARGET]->(t) "
        f"RETURN e.date AS date, e.type AS type, e.mode AS mode, e.status AS status, {role} AS role, "
        "collect(DISTINCT s.name) AS sources, collect(DISTINCT t.name) AS targets, "
        "min(rep.sentence) AS evidence, count(DISTINCT art.id) AS articles "
        "ORDER BY date, type",
        params,
    )


def find_actor(store: GraphStore, name: str) -> str:
    """The id of the node whose name (any case) or id is `name`; one clear error otherwise."""
    lower = "lower" if store.dialect.name == "ladybug" else "toLower"
    rows = store.query(
        f"MATCH (n) WHERE {lower}(n.name) = {lower}($name) OR n.id = $name RETURN n.id, n.name ORDER BY n.id",
        {"name": name},
    ).rows
    if not rows:
        raise UsageError(f"no actor named {name!r} in the store; try `newsgraph actors` for names")
    return rows[0][0]


def path(store: GraphStore, source: str, target: str, *, max_hops: int = 6) -> QueryResult:
    """The shortest actor-to-actor path over event projections, one row per hop."""
    source_id, target_id = find_actor(store, source), find_actor(store, target)
    if source_id == target_id:
        raise UsageError(f"{source!r} and {target!r} are the same actor")
    hops = store.shortest_path(source_id, target_id, list(rel_types_owned_by("projected")), max_hops)
    if not hops:
        raise UsageError(f"no path of at most {max_hops} relations between {source!r} and {target!r}")
    return QueryResult(columns=["step", "from", "relation", "to", "date", "event_id"], rows=[
        [index, h["from"], h["relation"], h["to"], h.get("date"), h.get("event_id")]
        for index, h in enumerate(hops, start=1)
    ])  # fmt: skip


def run(store: GraphStore, canned: Canned) -> QueryResult:
    return store.query(canned.cypher, canned.params)
