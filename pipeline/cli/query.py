"""`newsgraph query` and `stats`, and the canned analyst questions: `actors`,
`relations`, `timeline` and `path`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from rich.text import Text

from pipeline.cli.options import (
    db_option,
    epilog,
    err,
    format_option,
    out,
    reports_errors,
    show_cypher_option,
    window_options,
)
from pipeline.cli.output import render
from pipeline.errors import UsageError
from pipeline.store import open_store

MAX_HOPS = 30  # LadybugDB refuses variable-length patterns longer than this


def _parse_param(raw: str) -> tuple[str, Any]:
    key, sep, value = raw.partition("=")
    if not sep or not key:
        raise UsageError(f"parameter {raw!r} must look like key=value")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


@click.command(epilog=epilog(
    "newsgraph query \"MATCH (p:Person)<-[m:MENTIONS]-(:Article) "
    "RETURN p.name, sum(m.count) AS mentions ORDER BY mentions DESC LIMIT 5\""
))  # fmt: skip
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, help="Query parameter key=value (value parsed as JSON when it is).")
@click.option("--write", is_flag=True,
              help="Allow statements that change the graph, and statements that reach files, extensions or "
                   "the network (LadybugDB: LOAD FROM, COPY, INSTALL, LOAD EXTENSION, ATTACH, EXPORT/IMPORT "
                   "DATABASE; Neo4j: LOAD CSV). Without it the query runs read-only.")  # fmt: skip
@format_option()
@db_option
@reports_errors
def query(cypher: str, params: tuple[str, ...], write: bool, fmt: str, db: str) -> None:
    """Run a Cypher query against the graph store, read-only unless --write.

    Nodes, relationships and paths print as Cypher-like text in a table or CSV
    ((:Person {id: "person:x", name: "X"})-[:MET {…}]->(…)) and as objects in JSON.
    """
    parameters = dict(_parse_param(p) for p in params)
    with open_store(db, read_only=not write) as store:
        result = store.query(cypher, parameters, write=write)
    for notice in result.notices:
        err.print(Text("warning: ", style="yellow") + Text(notice), highlight=False)
    render(result.columns, result.rows, fmt, out)


@click.command(epilog=epilog("newsgraph stats --format json"))
@format_option(("table", "json"))
@db_option
@reports_errors
def stats(fmt: str, db: str) -> None:
    """Count nodes by label and relationships by type."""
    with open_store(db, read_only=True) as store:
        counts = store.stats()
    if fmt == "json":
        out.file.write(counts.model_dump_json(indent=2) + "\n")
        return
    rows = [["node", k, v] for k, v in counts.nodes.items()]
    rows += [["relationship", k, v] for k, v in counts.relationships.items()]
    render(["kind", "name", "count"], rows, "table", out)



def _run_canned(db: str | None, fmt: str, show: bool, build: Callable) -> None:
    from pipeline.store import queries

    with open_store(db, read_only=True) as store:
        canned = build(store, queries)
        if show:
            err.print(canned.cypher, highlight=False, markup=False)
            err.print(f"params: {json.dumps(canned.params)}", highlight=False, markup=False)
        result = queries.run(store, canned)
    render(result.columns, result.rows, fmt, out)


@click.command(epilog=epilog("newsgraph actors --since 2024-01 --format table"))
@window_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many actors.")
@format_option()
@show_cypher_option
@db_option
@reports_errors
def actors(since: str | None, until: str | None, limit: int, fmt: str, show_cypher: bool, db: str | None) -> None:
    """The most connected actors: events they took part in and distinct counterparts.

    \b
    Cypher: MATCH (a)-[r]-(b) WHERE r.event_id IS NOT NULL
            RETURN a.name, count(DISTINCT r.event_id) AS events, count(DISTINCT b.id) …
    """
    _run_canned(db, fmt, show_cypher, lambda store, q: q.actors(store.dialect, since=since, until=until, limit=limit))


@click.command(epilog=epilog('newsgraph relations "Sergey Lavrov" --format json'))
@click.argument("actor")
@window_options
@format_option()
@show_cypher_option
@db_option
@reports_errors
def relations(actor: str, since: str | None, until: str | None, fmt: str, show_cypher: bool, db: str | None) -> None:
    """Who did what to whom involving ACTOR, with dates and evidence sentences.

    \b
    Cypher: MATCH (a)-[r]->(b) WHERE r.event_id IS NOT NULL AND (a.id = $actor OR b.id = $actor)
            MATCH (art:Article)-[rep:REPORTS]->(e:Event) WHERE e.id = r.event_id
            RETURN r.date, a.name, type(r), b.name, r.status, rep.sentence, art.url
    """
    _run_canned(db, fmt, show_cypher, lambda store, q: q.relations(store.dialect, q.find_actor(store, actor), since=since, until=until))


@click.command(epilog=epilog('newsgraph timeline "Vladimir Putin" --since 2023'))
@click.argument("actor")
@window_options
@format_option()
@show_cypher_option
@db_option
@reports_errors
def timeline(actor: str, since: str | None, until: str | None, fmt: str, show_cypher: bool, db: str | None) -> None:
    """ACTOR's events in date order, with role, counterparts and evidence.

    \b
    Cypher: MATCH (e:Event)-[role]->(n) WHERE n.id = $actor
            MATCH (art:Article)-[rep:REPORTS]->(e) … RETURN e.date, e.type, … ORDER BY e.date
    """
    _run_canned(db, fmt, show_cypher, lambda store, q: q.timeline(store.dialect, q.find_actor(store, actor), since=since, until=until))


@click.command(epilog=epilog('newsgraph path "Janet Yellen" "Vladimir Putin"'))
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, MAX_HOPS),
              help=f"Longest path to look for (at most {MAX_HOPS}, LadybugDB's bound on path length).")
@format_option()
@db_option
@reports_errors
def path(source: str, target: str, max_hops: int, fmt: str, db: str | None) -> None:
    """The shortest actor-to-actor path over event relations (MET, VISITED, SANCTIONED…).

    \b
    Cypher (LadybugDB): MATCH p = (a)-[:MET|VISITED|…* SHORTEST 1..6]-(b) RETURN nodes(p), rels(p)
    Cypher (Neo4j):     MATCH p = shortestPath((a)-[:MET|VISITED|…*..6]-(b)) RETURN …
    """
    from pipeline.store import queries

    with open_store(db, read_only=True) as store:
        result = queries.path(store, source, target, max_hops=max_hops)
    render(result.columns, result.rows, fmt, out)


COMMANDS = [query, stats, actors, relations, timeline, path]
