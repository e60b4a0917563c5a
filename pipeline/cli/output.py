"""Rendering of tabular results as a rich table, JSON or CSV. Graph values (nodes,
relationships, paths: `models.store`) are Cypher-like text in a table or CSV cell and their
structure in JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from models import GraphNode, GraphPath, GraphRelationship, graph_json

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (GraphNode, GraphRelationship, GraphPath)):
        return str(value)
    if isinstance(value, list) and any(isinstance(v, (GraphNode, GraphRelationship, GraphPath)) for v in value):
        return "[" + ", ".join(_cell(v) if v is not None else "null" for v in value) + "]"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=graph_json)
    return str(value)


def render(columns: list[str], rows: list[list[Any]], fmt: str, console: Console) -> None:
    """Print rows as a table (for people), JSON records or CSV (for programs)."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        console.file.write(json.dumps(records, ensure_ascii=False, indent=2, default=graph_json) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        console.file.write(buffer.getvalue())
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(Text(_cell(v)) for v in row), end_section=False)  # data, not markup
        console.print(table)
