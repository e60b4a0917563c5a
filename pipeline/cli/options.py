"""What every command shares: the consoles, option decorators, error reporting, exit codes."""

from __future__ import annotations

import datetime
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from pipeline.cli.output import FORMATS
from pipeline.errors import NewsgraphError, UsageError
from pipeline.store import DB_ENV, DEFAULT_DB

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_FAILED_ITEMS = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


def epilog(example: str) -> str:
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



class PartialDate(click.ParamType):
    """A partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD, checked against the calendar."""

    name = "date"
    FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        try:
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
                raise ValueError
            year, month, day = (int(part) for part in (text + "-01-01")[:10].split("-"))
            datetime.date(year, month, day)
        except ValueError:
            self.fail(f"{value!r} is not a date: use {self.FORMS} (like 2024, 2024-04 or 2024-04-17)", param, ctx)
        return text


DATE = PartialDate()


class EventTypes(click.ParamType):
    """A comma-separated list of PLOVER event types (CONSULT) or actor relation types (MET),
    any case; an unknown name is refused with the list of known ones."""

    name = "types"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        from models.extraction import PLOVER_TYPES
        from pipeline.graph.schema import rel_types_owned_by

        relations = sorted(rel_types_owned_by("projected"))
        wanted = [name.strip().upper() for name in str(value).split(",") if name.strip()]
        unknown = [name for name in wanted if name not in PLOVER_TYPES and name not in relations]
        if unknown:
            self.fail(f"unknown type{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                      f"PLOVER types: {', '.join(PLOVER_TYPES)}; relation types: {', '.join(relations)}",
                      param, ctx)  # fmt: skip
        return wanted


def check_window(since: str | None, until: str | None) -> None:
    """--since after --until selects nothing: say so instead. Dates compare at the
    precision of the shorter one, as the slices and canned queries compare them."""
    if since and until:
        common = min(len(since), len(until))
        if since[:common] > until[:common]:
            raise click.UsageError(f"--since {since} is after --until {until}")


def windowed(func: Callable) -> Callable:
    """Run `check_window` on a command's --since/--until before the command."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_window(kwargs.get("since"), kwargs.get("until"))
        return func(*args, **kwargs)

    return wrapper


def _same_path(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return Path(a).resolve() == Path(b).resolve()


def _is_dir(path: str) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:  # unreadable: the reader reports it
        return False


def refuse_outputs_over_inputs(outputs: dict[str, str | None], inputs: Iterable[str], store: str | None = None) -> None:
    """A usage error, raised before any output is opened, when writing an output would destroy
    an input file or the graph store: `ingest in.jsonl --report in.jsonl` truncated its input."""
    from pipeline.store import NEO4J_SCHEMES

    sources = [s for s in inputs if s != "-" and not s.startswith(("http://", "https://"))]
    embedded = store if store and not store.startswith(NEO4J_SCHEMES) else None
    for option, path in outputs.items():
        if not path or path == "-":
            continue
        for source in sources:
            if _same_path(path, source):
                raise UsageError(f"{option} {path} is also an input: writing it would destroy it; choose another file")
            if _is_dir(source) and Path(source).resolve() in Path(path).resolve().parents:
                raise UsageError(f"{option} {path} is inside the input directory {source}: it would overwrite an "
                                 "input or be read as one; choose another file")  # fmt: skip
        if embedded and any(_same_path(path, p) for p in (embedded, f"{embedded}.wal")):
            raise UsageError(f"{option} {path} is the graph store: writing it would destroy it; choose another file")
        if embedded and Path(f"{embedded}.state").resolve() in Path(path).resolve().parents:
            raise UsageError(f"{option} {path} is inside the store's run state {embedded}.state; choose another file")


def window_options(func: Callable) -> Callable:
    func = windowed(func)
    func = click.option("--until", type=DATE, metavar="DATE", help=f"Only events dated up to DATE ({DATE.FORMS}).")(func)
    return click.option("--since", type=DATE, metavar="DATE", help=f"Only events dated from DATE on ({DATE.FORMS}).")(func)


def show_cypher_option(func: Callable) -> Callable:
    return click.option("--show-cypher", is_flag=True, help="Print the Cypher statement and its parameters, then run it.")(func)

