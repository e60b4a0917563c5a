"""Rendering of tabular results as a rich table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render(columns: list[str], rows: list[list[Any]], fmt: str, console: Console) -> None:
    """Print rows as a table (for people), JSON records or CSV (for programs)."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        console.file.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        console.file.write(buffer.getvalue())
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(_cell(v) for v in row), end_section=False)
        console.print(table)
