"""`newsgraph ingest` and `newsgraph watch`: the batch job and its polling loop."""

from __future__ import annotations

import os
import sys
import time

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from pipeline.cli.options import (
    EXIT_FAILED_ITEMS,
    EXIT_INTERRUPTED,
    db_option,
    epilog,
    err,
    model_option,
    out,
    refuse_outputs_over_inputs,
    reports_errors,
)
from pipeline.errors import StoreLockedError, UsageError
from pipeline.store import open_store

DEFAULT_BATCH_SIZE = 32

private_option = click.option(
    "--allow-private-addresses", is_flag=True,
    help="Let URLs found in fetched feeds, OPML and pages reach loopback, link-local and private "
         "addresses (intranet feeds). URLs given here may always.",
)  # fmt: skip


@click.command(epilog=epilog("newsgraph ingest samples/ feeds.opml https://example.org/rss --report skipped.jsonl"))
@click.argument("sources", nargs=-1, required=True)
@db_option
@model_option
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Articles per write batch (one transaction).")
@click.option("--force", is_flag=True, help="Re-extract articles whose content is unchanged.")
@click.option("--no-fetch", is_flag=True, help="Use only what feeds carry; fetch no pages.")
@private_option
@click.option("--workers", default=1, show_default=True, help="Extraction processes on this machine.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask.")
@click.option("--language", "languages", multiple=True, default=("en",), show_default=True,
              help="Languages to extract; others are skipped with a reason.")
@click.option("--report", type=click.Path(dir_okay=False, writable=True), help="Write every skipped or failed item here (JSONL).")
@click.option("--json", "as_json", is_flag=True, help="Print the final summary as JSON (progress stays on stderr).")
@click.option("--quiet", is_flag=True, help="No progress bar, no per-item lines.")
@reports_errors
def ingest(sources: tuple[str, ...], db: str | None, model: str | None, batch_size: int, force: bool, no_fetch: bool,
           allow_private_addresses: bool, workers: int, executor: str, scheduler: str | None, languages: tuple[str, ...], report: str | None,
           as_json: bool, quiet: bool) -> None:  # fmt: skip
    """Ingest SOURCES into the graph store: files, directories, feeds (RSS/Atom), OPML or
    plain-text lists of feeds, HTML pages, URLs, or - for JSONL on stdin.

    Exit status: 0 when everything succeeded (or there was nothing to ingest, which is said on
    stderr), 3 when some items failed, 2 for a usage error, 1 for a fatal error, 130 when
    interrupted (Ctrl-C): the summary then counts the batches committed before it.
    """
    from pipeline.ingest.job import IngestOptions, run_ingest, state_dir_for
    from pipeline.ingest.steps import language_detector
    from pipeline.store import resolve_target

    if workers < 1:
        raise UsageError("--workers must be at least 1")
    target = resolve_target(db)
    refuse_outputs_over_inputs({"--report": report}, sources, target)
    language_detector(tuple(languages))  # an unknown --language is a usage error before anything runs
    report_file = open(report, "w", encoding="utf-8") if report else None
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.completed} articles · {task.fields[rate]:.1f}/s · {task.fields[counts]}"),
        TimeElapsedColumn(), console=err, disable=quiet, transient=False,
    )  # fmt: skip

    def on_skip(item) -> None:
        if report_file is not None:
            report_file.write(item.model_dump_json() + "\n")
        if not quiet and item.kind in ("failed", "skipped", "warning"):
            # source and reason come from the input: printed as text, never read as markup
            progress.console.print(Text.assemble((item.kind, "yellow"), f" {item.source}: {item.reason}"), highlight=False)

    try:
        with open_store(target) as store, progress:
            task = progress.add_task("ingesting", total=None, rate=0.0, counts="")

            def on_progress(summary) -> None:
                counts = f"{summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed"
                progress.update(task, completed=summary.done, rate=summary.articles_per_second, counts=counts)

            options = IngestOptions(batch_size=batch_size, force=force, fetch=not no_fetch, workers=workers,
                                    executor=executor, scheduler=scheduler, model=model, languages=tuple(languages),
                                    allow_private_addresses=allow_private_addresses)
            summary = run_ingest(sources, store, state_dir=state_dir_for(target), options=options,
                                 on_skip=on_skip, on_progress=on_progress)  # fmt: skip
    finally:
        if report_file is not None:
            report_file.close()
    _print_summary(summary, as_json)
    if summary.interrupted:
        err.print("interrupted: the summary counts the batches committed before Ctrl-C; "
                  "run the same command again to go on", highlight=False)  # fmt: skip
        sys.exit(EXIT_INTERRUPTED)
    if not summary.done:
        err.print(Text(f"no articles found in {', '.join(sources)}: nothing to ingest (no supported file, "
                       "an empty feed, or feeds unchanged since the last run)"), highlight=False)  # fmt: skip
    if summary.failed:
        sys.exit(EXIT_FAILED_ITEMS)


def _print_summary(summary, as_json: bool) -> None:
    if as_json:
        out.file.write(summary.model_dump_json() + "\n")
        return
    warnings = f", {summary.warnings} warnings" if summary.warnings else ""
    out.print(
        f"articles: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.duplicate} duplicate, {summary.skipped} skipped, {summary.failed} failed{warnings}"
    )
    out.print(f"nodes: {summary.nodes}  relationships: {summary.relationships}  ({summary.articles_per_second:.1f} articles/s)")


def _interval(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.replace(".", "", 1).isdigit() or float(number) <= 0:
        raise UsageError(f"--every {text!r}: use a number above 0 and a unit, like 30s, 15m, 1h")
    return float(number) * units[unit]


@click.command(epilog=epilog("newsgraph watch feeds.opml --every 15m --report skipped.jsonl"))
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Time between polls: 30s, 15m, 1h…")
@click.option("--times", type=click.IntRange(min=1), default=None,
              help="Stop after this many polls (default: run until interrupted).")
@db_option
@model_option
@click.option("--no-fetch", is_flag=True, help="Use only what feeds carry; fetch no pages.")
@private_option
@click.option("--report", type=click.Path(dir_okay=False, writable=True), help="Append every skipped or failed item here (JSONL).")
@reports_errors
def watch(sources: tuple[str, ...], every: str, times: int | None, db: str | None, model: str | None,
          no_fetch: bool, allow_private_addresses: bool, report: str | None) -> None:  # fmt: skip
    """Poll SOURCES continuously and ingest what is new. Feeds are fetched with conditional
    GET, so an unchanged feed costs one request; known articles are skipped before extraction."""
    from pipeline.ingest.job import IngestOptions
    from pipeline.store import resolve_target

    interval = _interval(every)
    target = resolve_target(db)
    refuse_outputs_over_inputs({"--report": report}, sources, target)
    options = IngestOptions(fetch=not no_fetch, model=model, allow_private_addresses=allow_private_addresses)
    polls = 0
    try:
        while times is None or polls < times:
            polls += 1
            if not _poll(polls, sources, target, options, report):
                raise KeyboardInterrupt  # the poll was interrupted: stop here too
            if times is None or polls < times:
                time.sleep(interval)
    except KeyboardInterrupt:
        out.print(f"stopped after {polls} polls")


def _poll(number: int, sources: tuple[str, ...], target: str, options, report: str | None) -> bool:
    """One poll of `watch`; False when Ctrl-C interrupted it. A store another ingest holds is
    reported, and the next poll tries again."""
    from pipeline.ingest.job import run_ingest, state_dir_for

    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        with open_store(target) as store, open(report or os.devnull, "a", encoding="utf-8") as sink:
            summary = run_ingest(sources, store, state_dir=state_dir_for(target), options=options,
                                 on_skip=lambda item: print(item.model_dump_json(), file=sink))  # fmt: skip
    except StoreLockedError as exc:
        err.print(Text(f"{stamp} poll {number}: store busy, trying again at the next poll ({exc})"), highlight=False)
        return True
    out.print(f"{stamp} poll {number}: {summary.new} new, {summary.updated} updated, "
              f"{summary.duplicate} duplicate, {summary.failed} failed")  # fmt: skip
    return not summary.interrupted


COMMANDS = [ingest, watch]
