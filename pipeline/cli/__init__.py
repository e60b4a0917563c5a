"""The `newsgraph` command line: thin commands that parse options and call the pipeline.

One module per command group: `ingest` (ingest, watch), `extract` (extract, eval), `query`
(query, stats, actors, relations, timeline, path) and `snapshots` (export, load, snapshot,
diff, top-actors); `options` holds what they share.
"""

from __future__ import annotations

import click

from pipeline.cli import extract, ingest, query, snapshots
from pipeline.cli.options import epilog


@click.group(epilog=epilog("newsgraph ingest samples/ && newsgraph stats"))
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="newsgraph")
def main(debug: bool) -> None:
    """newsgraph: turn news into a knowledge graph of who did what to whom, when, and how much."""


for _module in (ingest, extract, query, snapshots):
    for _command in _module.COMMANDS:
        main.add_command(_command)
