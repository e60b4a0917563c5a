"""Rendering of tabular results as a rich table, JSON or CSV.

CSV is for spreadsheets, and its cells hold article text: a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return would run as a formula in Excel, LibreOffice or Google
Sheets, so it is written with a leading `'` (OWASP's advice on CSV injection). Numbers are
written as they are. JSON and the table keep text exactly.

NaN and ±Infinity are no JSON: JSON and CSV write them as a missing value (null, an empty
cell), wherever they are nested; the table shows them as Python prints them.

Graph values (nodes, relationships, paths: `models.store`) are Cypher-like text in a table or
CSV cell and their structure in JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "json", "csv")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finite(value: Any) -> Any:
    """`value` with every NaN or infinite float in it, however nested, made None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def _json(value: Any, **options: Any) -> str:
    return json.dumps(finite(value), ensure_ascii=False, default=_graph_json, allow_nan=False, **options)


def _graph_values() -> tuple[type, ...]:
    """The graph value types (imported late: `newsgraph --help` imports no models)."""
    from models import GraphNode, GraphPath, GraphRelationship

    return GraphNode, GraphRelationship, GraphPath


def _graph_json(value: Any) -> Any:
    from models import graph_json

    return graph_json(value)


def _is_graph(value: Any) -> bool:
    values = _graph_values()
    return isinstance(value, values) or (isinstance(value, list) and any(isinstance(v, values) for v in value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, _graph_values()):
        return str(value)
    if isinstance(value, list) and _is_graph(value):
        return "[" + ", ".join(_cell(v) if v is not None else "null" for v in value) + "]"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=_graph_json)
    return str(value)


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates."""
    value = finite(value)
    text = _json(value) if isinstance(value, (dict, list)) and not _is_graph(value) else _cell(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else text


def _write_csv(columns: list[str], rows: list[list[Any]], sink: io.StringIO) -> None:
    plain = csv.writer(sink, lineterminator="\n")
    # With "\n" line ends the csv module leaves a lone CR unquoted, and readers then split
    # the row there: rows holding one are written fully quoted.
    quoted = csv.writer(sink, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow([spreadsheet_cell(c) for c in columns])
    for row in rows:
        cells = [spreadsheet_cell(v) for v in row]
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)


def render(columns: list[str], rows: list[list[Any]], fmt: str, console: Console) -> None:
    """Print rows as a table (for people), JSON records or CSV (for programs)."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        console.file.write(_json(records, indent=2) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        _write_csv(columns, rows, buffer)
        console.file.write(buffer.getvalue())
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(Text(_cell(v)) for v in row), end_section=False)  # data, not markup
        console.print(table)
