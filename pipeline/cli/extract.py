"""`newsgraph extract` and `newsgraph eval`: extraction without a store."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.text import Text

from pipeline.cli.options import (
    EXIT_FAILED_ITEMS,
    epilog,
    err,
    model_option,
    out,
    refuse_outputs_over_inputs,
    reports_errors,
)
from pipeline.errors import InputError, InputWarning


def _report_error(error: InputError) -> None:
    # the message comes from the input: printed as text, never read as markup
    kind = "warning" if isinstance(error, InputWarning) else "skipped"
    err.print(Text.assemble((kind, "yellow"), f" {error}"), highlight=False)



@click.command(name="extract", epilog=epilog("newsgraph extract samples/ -o extractions.jsonl"))
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write JSONL here (default stdout).")
@model_option
@reports_errors
def extract_cmd(paths: tuple[str, ...], output: str | None, model: str | None) -> None:
    """Extract articles to JSON (one ExtractionResult per line) without touching any store."""
    from pipeline.nlp.extract import extract
    from pipeline.sources.read import read_sources

    refuse_outputs_over_inputs({"--output": output}, paths)
    failed = 0
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for item in extract(read_sources(paths), model=model):
            if isinstance(item, InputError):
                failed += not isinstance(item, InputWarning)
                _report_error(item)
                continue
            sink.write(item.model_dump_json() + "\n")
    finally:
        if output:
            sink.close()
    if failed:
        sys.exit(EXIT_FAILED_ITEMS)




@click.command(name="eval", epilog=epilog("newsgraph eval tests/gold/*.gold.json"))
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True))
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--quiet", is_flag=True, help="Scores only, no misses.")
@reports_errors
def eval_cmd(gold: tuple[str, ...], model: str | None, as_json: bool, quiet: bool) -> None:
    """Score extraction against gold annotations: P/R/F1, date and direction accuracy, misses."""
    from pipeline.evaluate import evaluate, print_report

    report = evaluate([Path(g) for g in gold], model=model)
    if as_json:
        out.file.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, out, show_misses=not quiet)


COMMANDS = [extract_cmd, eval_cmd]
