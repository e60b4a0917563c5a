"""The `newsgraph` command line: thin commands that parse options and call the pipeline."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipeline.errors import InputError, NewsgraphError, UsageError
from pipeline.nlp.extract import DEFAULT_BATCH_SIZE, extract
from pipeline.cli.output import FORMATS, render
from pipeline.sources.read import read_sources
from pipeline.store import DB_ENV, DEFAULT_DB, open_store

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_FAILED_ITEMS = 3


def _epilog(example: str) -> str:
    return f"\b\nExample:\n  {example}"


def db_option(func: Callable) -> Callable:
    return click.option(
        "--db", "--graph", "db", envvar=DB_ENV, default=None, show_default=DEFAULT_DB,
        help=f"Graph store: a LadybugDB path, or a Neo4j URI such as bolt://localhost:7687 "
             f"(env {DB_ENV}, then NEO4J_URI).",
    )(func)  # fmt: skip


def model_option(func: Callable) -> Callable:
    return click.option(
        "--model", default=None,
        help="spaCy model (env NEWSGRAPH_SPACY_MODEL, default en_core_web_sm).",
    )(func)  # fmt: skip


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Output format.")  # fmt: skip


def reports_errors(func: Callable) -> Callable:
    """Turn NewsgraphError into one line on stderr and exit 1; --debug shows the traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (NewsgraphError, OSError) as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            message = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.filename else exc
            err.print(Text("error: ", style="red") + Text(str(message)), highlight=False)
            sys.exit(2 if isinstance(exc, UsageError) else 1)

    return wrapper


@click.group(epilog=_epilog("newsgraph ingest samples/ && newsgraph stats"))
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="newsgraph")
def main(debug: bool) -> None:
    """newsgraph: turn news into a knowledge graph of who did what to whom, when, and how much."""


def _report_error(error: InputError) -> None:
    err.print(f"[yellow]skipped[/yellow] {error}", highlight=False, markup=True)


@main.command(epilog=_epilog("newsgraph ingest samples/ feeds.opml https://example.org/rss --report skipped.jsonl"))
@click.argument("sources", nargs=-1, required=True)
@db_option
@model_option
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Articles per write batch (one transaction).")
@click.option("--force", is_flag=True, help="Re-extract articles whose content is unchanged.")
@click.option("--no-fetch", is_flag=True, help="Use only what feeds carry; fetch no pages.")
@click.option("--workers", default=1, show_default=True, help="Extraction processes on this machine.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask.")
@click.option("--language", "languages", multiple=True, default=("en",), show_default=True,
              help="Languages to extract; others are skipped with a reason.")
@click.option("--report", type=click.Path(dir_okay=False, writable=True), help="Write every skipped or failed item here (JSONL).")
@click.option("--json", "as_json", is_flag=True, help="Print the final summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar, no per-item lines.")
@reports_errors
def ingest(sources: tuple[str, ...], db: str | None, model: str | None, batch_size: int, force: bool, no_fetch: bool,
           workers: int, executor: str, scheduler: str | None, languages: tuple[str, ...], report: str | None,
           as_json: bool, quiet: bool) -> None:  # fmt: skip
    """Ingest SOURCES into the graph store: files, directories, feeds (RSS/Atom), OPML or
    plain-text lists of feeds, HTML pages, URLs, or - for JSONL on stdin.

    Exit status: 0 when everything succeeded, 3 when some items failed, 2 for a usage error,
    1 for a fatal error.
    """
    from pipeline.ingest.job import run_ingest, state_dir_for
    from pipeline.store import resolve_target

    if workers < 1:
        raise UsageError("--workers must be at least 1")
    report_file = open(report, "w", encoding="utf-8") if report else None
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.completed} articles · {task.fields[rate]:.1f}/s · {task.fields[counts]}"),
        TimeElapsedColumn(), console=err, disable=quiet or as_json, transient=False,
    )  # fmt: skip

    def on_skip(item) -> None:
        if report_file is not None:
            report_file.write(item.model_dump_json() + "\n")
        if not quiet and not as_json and item.kind == "failed":
            progress.console.print(f"[yellow]failed[/yellow] {item.source}: {item.reason}", highlight=False)

    target = resolve_target(db)
    try:
        with open_store(target) as store, progress:
            task = progress.add_task("ingesting", total=None, rate=0.0, counts="")

            def on_progress(summary) -> None:
                counts = f"{summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed"
                progress.update(task, completed=summary.done, rate=summary.articles_per_second, counts=counts)

            summary = run_ingest(
                sources, store, state_dir=state_dir_for(target), batch_size=batch_size, force=force,
                fetch=not no_fetch, workers=workers, executor=executor, scheduler=scheduler, model=model,
                languages=tuple(languages), on_skip=on_skip, on_progress=on_progress,
            )  # fmt: skip
    finally:
        if report_file is not None:
            report_file.close()
    if as_json:
        out.file.write(summary.model_dump_json() + "\n")
    else:
        out.print(
            f"articles: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.duplicate} duplicate, {summary.skipped} skipped, {summary.failed} failed"
        )
        out.print(f"nodes: {summary.nodes}  relationships: {summary.relationships}  ({summary.articles_per_second:.1f} articles/s)")
    if summary.failed:
        sys.exit(EXIT_FAILED_ITEMS)


def _interval(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.replace(".", "", 1).isdigit():
        raise UsageError(f"--every {text!r}: use a number and a unit, like 30s, 15m, 1h")
    return float(number) * units[unit]


@main.command(epilog=_epilog("newsgraph watch feeds.opml --every 15m --report skipped.jsonl"))
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Time between polls: 30s, 15m, 1h…")
@click.option("--times", type=int, default=None, help="Stop after this many polls (default: run until interrupted).")
@db_option
@model_option
@click.option("--no-fetch", is_flag=True, help="Use only what feeds carry; fetch no pages.")
@click.option("--report", type=click.Path(dir_okay=False, writable=True), help="Append every skipped or failed item here (JSONL).")
@reports_errors
def watch(sources: tuple[str, ...], every: str, times: int | None, db: str | None, model: str | None,
          no_fetch: bool, report: str | None) -> None:  # fmt: skip
    """Poll SOURCES continuously and ingest what is new. Feeds are fetched with conditional
    GET, so an unchanged feed costs one request; known articles are skipped before extraction."""
    from pipeline.ingest.job import run_ingest, state_dir_for
    from pipeline.store import resolve_target

    interval = _interval(every)
    target = resolve_target(db)
    polls = 0
    try:
        while times is None or polls < times:
            polls += 1
            with open_store(target) as store, (open(report, "a", encoding="utf-8") if report else _nowhere()) as sink:
                summary = run_ingest(
                    sources, store, state_dir=state_dir_for(target), fetch=not no_fetch, model=model,
                    on_skip=lambda item: sink.write(item.model_dump_json() + "\n"),
                )  # fmt: skip
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            out.print(f"{stamp} poll {polls}: {summary.new} new, {summary.updated} updated, "
                      f"{summary.duplicate} duplicate, {summary.failed} failed")  # fmt: skip
            if times is None or polls < times:
                time.sleep(interval)
    except KeyboardInterrupt:
        out.print(f"stopped after {polls} polls")


class _nowhere:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text: str) -> None:
        pass


@main.command(name="extract", epilog=_epilog("newsgraph extract samples/ -o extractions.jsonl"))
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write JSONL here (default stdout).")
@model_option
@reports_errors
def extract_cmd(paths: tuple[str, ...], output: str | None, model: str | None) -> None:
    """Extract articles to JSON (one ExtractionResult per line) without touching any store."""
    failed = 0
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for item in extract(read_sources(paths), model=model):
            if isinstance(item, InputError):
                failed += 1
                _report_error(item)
                continue
            sink.write(item.model_dump_json() + "\n")
    finally:
        if output:
            sink.close()
    if failed:
        sys.exit(EXIT_FAILED_ITEMS)




def _parse_param(raw: str) -> tuple[str, Any]:
    key, sep, value = raw.partition("=")
    if not sep or not key:
        raise UsageError(f"parameter {raw!r} must look like key=value")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


@main.command(epilog=_epilog(
    "newsgraph query \"MATCH (p:Person)<-[m:MENTIONS]-(:Article) "
    "RETURN p.name, sum(m.count) AS mentions ORDER BY mentions DESC LIMIT 5\""
))  # fmt: skip
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, help="Query parameter key=value (value parsed as JSON when it is).")
@format_option()
@db_option
@reports_errors
def query(cypher: str, params: tuple[str, ...], fmt: str, db: str) -> None:
    """Run a Cypher query against the graph store."""
    parameters = dict(_parse_param(p) for p in params)
    with open_store(db, read_only=True) as store:
        result = store.query(cypher, parameters)
    render(result.columns, result.rows, fmt, out)


@main.command(epilog=_epilog("newsgraph stats --format json"))
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


@main.command(epilog=_epilog("newsgraph export --format graphml -o graph.graphml"))
@click.option("--format", "fmt", type=click.Choice(["graphml", "json", "cypher", "neo4j-csv"]), default="graphml",
              show_default=True, help="graphml, node-link json, a Cypher script, or a neo4j-admin CSV directory.")
@click.option("-o", "--output", required=True, type=click.Path(writable=True),
              help="Output file (a directory for neo4j-csv).")
@db_option
@reports_errors
def export(fmt: str, output: str, db: str) -> None:
    """Write every node and relationship of the store to a file (or, for neo4j-csv, a
    directory with an import.sh for `neo4j-admin database import full`)."""
    from pipeline.snapshots.export import write_snapshot

    with open_store(db, read_only=True) as store:
        nodes, rels = write_snapshot(store, Path(output), fmt)
    out.print(f"wrote {nodes} nodes and {rels} relationships to {output}")


@main.command(name="eval", epilog=_epilog("newsgraph eval tests/gold/*.gold.json"))
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True))
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--quiet", is_flag=True, help="Scores only, no misses.")
@reports_errors
def eval_cmd(gold: tuple[str, ...], model: str | None, as_json: bool, quiet: bool) -> None:
    """Score extraction against gold annotations: P/R/F1, date and direction accuracy, misses."""
    from pipeline.nlp.evaluate import evaluate, print_report

    report = evaluate([Path(g) for g in gold], model=model)
    if as_json:
        out.file.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, out, show_misses=not quiet)


def window_options(func: Callable) -> Callable:
    func = click.option("--until", metavar="DATE", help="Only events dated up to DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(func)
    return click.option("--since", metavar="DATE", help="Only events dated from DATE on (YYYY, YYYY-MM or YYYY-MM-DD).")(func)


def show_cypher_option(func: Callable) -> Callable:
    return click.option("--show-cypher", is_flag=True, help="Print the Cypher statement and its parameters, then run it.")(func)


def _run_canned(db: str | None, fmt: str, show: bool, build: Callable) -> None:
    from pipeline.store import queries

    with open_store(db, read_only=True) as store:
        canned = build(store, queries)
        if show:
            err.print(canned.cypher, highlight=False, markup=False)
            err.print(f"params: {json.dumps(canned.params)}", highlight=False, markup=False)
        result = queries.run(store, canned)
    render(result.columns, result.rows, fmt, out)


@main.command(epilog=_epilog("newsgraph actors --since 2024-01 --format table"))
@window_options
@click.option("--limit", default=20, show_default=True, help="How many actors.")
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


@main.command(epilog=_epilog('newsgraph relations "Sergey Lavrov" --format json'))
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


@main.command(epilog=_epilog('newsgraph timeline "Vladimir Putin" --since 2023'))
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


@main.command(epilog=_epilog('newsgraph path "Janet Yellen" "Vladimir Putin"'))
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=6, show_default=True, help="Longest path to look for.")
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

from pipeline.cli.snapshots import register as _register_snapshots
_register_snapshots(main)
