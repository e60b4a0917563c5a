"""Snapshot commands: export (with slices), load, snapshot --every, diff and top-actors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import click

from pipeline.cli.options import DATE, EventTypes, db_option, epilog, out, reports_errors, windowed
from pipeline.cli.output import render
from pipeline.cli.paths import check_output, store_files
from pipeline.snapshots.formats import FILE_FORMATS, FORMATS, SUFFIXES, export_format
from pipeline.store import open_store


def slice_options(func: Callable) -> Callable:
    options = [
        click.option("--since", type=DATE, metavar="DATE", help=f"Keep what is dated from DATE on ({DATE.FORMS})."),
        click.option("--until", type=DATE, metavar="DATE", help="Keep what is dated up to DATE."),
        click.option("--dates", type=click.Choice(["event", "published"]), default="event", show_default=True,
                     help="Whether --since/--until apply to event dates or to article publication."),
        click.option("--types", type=EventTypes(), metavar="T1,T2",
                     help="Keep events of these types: PLOVER (CONSULT) or relation (MET)."),
        click.option("--around", metavar="ACTOR", help="Keep ACTOR's ego network (name or id)."),
        click.option("--depth", default=1, show_default=True, type=click.IntRange(min=1), help="Hops for --around."),
        click.option("--min-mentions", default=0, type=click.IntRange(min=0), help="Keep entities mentioned at least N times."),
    ]  # fmt: skip
    func = windowed(func)
    for option in reversed(options):
        func = option(func)
    return func


def _spec(since, until, dates, types, around, depth, min_mentions):
    from pipeline.snapshots.slices import SliceSpec

    return SliceSpec(since=since, until=until, by=dates, types=types or [], around=around, depth=depth,
                     min_mentions=min_mentions)  # fmt: skip


def _load(db: str | None, snapshot_file: str | None):
    """The graph to work on, in memory: a snapshot file, else the store."""
    from pipeline.snapshots.elements import Snapshot
    from pipeline.snapshots.load import read_snapshot

    if snapshot_file:
        return read_snapshot(Path(snapshot_file))
    with open_store(db, read_only=True) as store:
        return Snapshot.from_store(store)


def snapshot_file_option(func: Callable) -> Callable:
    return click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False),
                        help="Read this snapshot file (json, cytoscape, graphml, gexf) instead of the store.")(func)  # fmt: skip


@click.command(epilog=epilog("newsgraph export --format gexf --since 2024-01 --until 2024-06 -o h1.gexf"))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="graphml, gexf (Gephi), node-link json, cytoscape (Cytoscape.js JSON), a Cypher script, "
                   "a neo4j-admin CSV directory, or a self-contained html page. Default: what the -o name says "
                   "(.graphml .xml .gexf .json .cyjs .cypher .html; a directory for neo4j-csv).")  # fmt: skip
@click.option("-o", "--output", required=True, type=click.Path(writable=True), help="Output file (a directory for neo4j-csv).")
@slice_options
@snapshot_file_option
@db_option
@reports_errors
def export(fmt: str | None, output: str, since, until, dates, types, around, depth, min_mentions,
           snapshot_file: str | None, db: str | None) -> None:  # fmt: skip
    """Write the store's nodes and relationships, or a slice of them, to a file (or, for
    neo4j-csv, a directory with an import.sh for `neo4j-admin database import full`).

    Without slice options the export streams from the store in canonical order."""
    from pipeline.snapshots.export import write_elements, write_snapshot
    from pipeline.snapshots.slices import slice_snapshot

    check_output(output, db=db, reads=[snapshot_file] if snapshot_file else [])
    fmt = export_format(output, fmt)
    spec = _spec(since, until, dates, types, around, depth, min_mentions)
    target = Path(output)
    if not spec.active and not snapshot_file:
        with open_store(db, read_only=True) as store:
            nodes, rels = write_snapshot(store, target, fmt)
    else:
        graph = slice_snapshot(_load(db, snapshot_file), spec)
        nodes, rels = write_elements(graph.nodes, graph.rels, target, fmt)
    what = ("actors", "relations") if fmt == "html" else ("nodes", "relationships")
    out.print(f"wrote {nodes} {what[0]} and {rels} {what[1]} to {output}", highlight=False)


@click.command(epilog=epilog("newsgraph load graph.json --db copy.db"))
@click.argument("snapshot_path", metavar="SNAPSHOT", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Rewrite articles whose content hash the store already holds.")
@db_option
@reports_errors
def load(snapshot_path: str, force: bool, db: str | None) -> None:
    """Import a snapshot (json, cytoscape, graphml or gexf from `newsgraph export`) into a store."""
    from pipeline.snapshots.load import load_snapshot, read_snapshot

    store_path, _ = store_files(db)
    if store_path is not None:
        check_output(store_path, reads=[snapshot_path], option="--db")
    graph = read_snapshot(Path(snapshot_path))
    with open_store(db) as store:
        report = load_snapshot(store, graph, force=force)
        counts = store.stats()
    outcomes = {k: report.count(k) for k in ("new", "updated", "unchanged")}
    out.print(f"articles: {outcomes['new']} new, {outcomes['updated']} updated, {outcomes['unchanged']} unchanged")
    out.print(f"nodes: {sum(counts.nodes.values())}  relationships: {sum(counts.relationships.values())}")


@click.command(name="snapshot", epilog=epilog("newsgraph snapshot --every month --format gexf -o snapshots/"))
@click.option("--every", type=click.Choice(["month", "quarter", "year"]), required=True, help="One file per period.")
@click.option("--dates", type=click.Choice(["event", "published"]), default="event", show_default=True,
              help="Cut periods on event dates or on article publication.")
@click.option("--format", "fmt", type=click.Choice(FILE_FORMATS), default="json", show_default=True, help="File format.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Directory for the files and manifest.json.")
@snapshot_file_option
@db_option
@reports_errors
def snapshot_cmd(every: str, dates: str, fmt: str, output: str, snapshot_file: str | None, db: str | None) -> None:
    """Write one snapshot per period that holds something, plus manifest.json listing them."""
    from pipeline.snapshots.export import write_elements
    from pipeline.snapshots.manifest import Manifest, PeriodFile
    from pipeline.snapshots.outputs import replacing_file
    from pipeline.snapshots.slices import SliceSpec, periods, slice_snapshot

    graph = _load(db, snapshot_file)
    directory = Path(output)
    cuts = periods(graph, every, dates)  # type: ignore[arg-type]
    for candidate in [directory / "manifest.json"] + [directory / f"{p.name}{SUFFIXES[fmt]}" for p in cuts]:
        check_output(candidate, db=db, reads=[snapshot_file] if snapshot_file else [])
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for period in cuts:
        part = slice_snapshot(graph, SliceSpec(since=period.since, until=period.until, by=dates))  # type: ignore[arg-type]
        if not part.nodes:
            continue
        path = directory / f"{period.name}{SUFFIXES[fmt]}"
        nodes, rels = write_elements(part.nodes, part.rels, path, fmt)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append(PeriodFile(name=period.name, since=period.since, until=period.until, file=path.name,
                                nodes=nodes, relationships=rels, sha256=digest))  # fmt: skip
    manifest = Manifest(every=every, dates=dates, format=fmt, periods=files)
    with replacing_file(directory / "manifest.json") as partial:
        partial.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    out.print(f"wrote {len(files)} snapshots and manifest.json to {output}", highlight=False)


@click.command(epilog=epilog("newsgraph diff snapshots/2024-03.json snapshots/2024-04.json"))
@click.argument("before", type=click.Path(exists=True, dir_okay=False))
@click.argument("after", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@reports_errors
def diff(before: str, after: str, fmt: str) -> None:
    """The actors and actor relations added or removed from snapshot BEFORE to AFTER."""
    from pipeline.snapshots.analytics import diff as diff_snapshots
    from pipeline.snapshots.load import read_snapshot

    changes = diff_snapshots(read_snapshot(Path(before)), read_snapshot(Path(after)))
    if fmt == "json":
        out.file.write(changes.model_dump_json(indent=2) + "\n")
        return
    render(["change", "actor", "label", "id"], [[a.change, a.name, a.label, a.id] for a in changes.actors], "table", out)
    rows = [[r.change, r.date, r.source, r.relation, r.target] for r in changes.relations]
    render(["change", "date", "source", "relation", "target"], rows, "table", out)


@click.command(name="top-actors", epilog=epilog("newsgraph top-actors --by betweenness --limit 10 --format json"))
@click.option("--by", type=click.Choice(["pagerank", "degree", "betweenness", "mentions"]), default="pagerank",
              show_default=True, help="Rank actors by this measure.")  # fmt: skip
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many actors and pairs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@slice_options
@snapshot_file_option
@db_option
@reports_errors
def top_actors(by: str, limit: int, fmt: str, since, until, dates, types, around, depth, min_mentions,
               snapshot_file: str | None, db: str | None) -> None:  # fmt: skip
    """The most central actors (degree, PageRank, betweenness), their communities and the
    strongest actor pairs, over actor-to-actor relations."""
    from pipeline.snapshots.analytics import analyse
    from pipeline.snapshots.slices import slice_snapshot

    graph = slice_snapshot(_load(db, snapshot_file), _spec(since, until, dates, types, around, depth, min_mentions))
    analysis = analyse(graph, limit=limit, by=by)
    if fmt == "json":
        out.file.write(analysis.model_dump_json(indent=2) + "\n")
        return
    columns = ["rank", "actor", "label", "mentions", "degree", "events", "pagerank", "betweenness", "community"]
    rows = [[a.rank, a.name, a.label, a.mentions, a.degree, a.events, f"{a.pagerank:.4f}", f"{a.betweenness:.4f}", a.community]
            for a in analysis.actors]  # fmt: skip
    render(columns, rows, "table", out)
    pairs = [[p.source, p.target, p.events, ", ".join(p.relations), p.first, p.last] for p in analysis.pairs]
    render(["source", "target", "events", "relations", "first", "last"], pairs, "table", out)
    groups = [[c.id, c.size, ", ".join(c.members)] for c in analysis.communities]
    render(["community", "actors", "most central"], groups, "table", out)


COMMANDS = [export, load, snapshot_cmd, diff, top_actors]
