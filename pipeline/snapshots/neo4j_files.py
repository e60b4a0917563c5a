"""Snapshots for Neo4j: a Cypher script of idempotent MERGE statements
(`cypher-shell -f graph.cypher`) and the CSV file set `neo4j-admin database import full`
bulk-loads, with the `import.sh` that runs it.

The CSV set is for neo4j-admin, not for spreadsheets: every value is written exactly as the
graph holds it, a title that starts with `=` included, because neo4j-admin imports cells
verbatim (spreadsheet-facing CSV is `--format csv` of the query commands, which neutralises
formulas; see docs/SNAPSHOTS.md). Lists are joined with `;`, the `--array-delimiter` that
`import.sh` passes, so a list element that itself holds a `;` would come back split.
"""

from __future__ import annotations

import csv
import math
import shlex
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from models import Node, Relationship
from pipeline.graph.schema import NODE_TYPES, rel_types
from pipeline.store.cypher import q
from pipeline.store.neo4j import schema_statements

CYPHER_BATCH = 500


# --- Cypher script -------------------------------------------------------------------------


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a property value; strings are escaped, never interpolated raw."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    text = str(value)
    escaped = (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))  # fmt: skip
    return f"'{escaped}'"


def _map_literal(props: dict[str, Any]) -> str:
    return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" for k, v in props.items()) + "}"


def _merge_nodes(label: str, rows: list[dict]) -> str:
    items = ", ".join(_map_literal(r) for r in rows)
    return f"UNWIND [{items}] AS row MERGE (n:{q(label)} {{id: row.id}}) SET n += row;\n"


def _merge_rels(group: tuple[str, str, str], rows: list[dict]) -> str:
    rel_type, source_label, target_label = group
    items = ", ".join(
        f"{{s: {cypher_literal(r['s'])}, t: {cypher_literal(r['t'])}, props: {_map_literal(r['props'])}}}"
        for r in rows
    )
    identity = ", ".join(f"`{k}`: row.props.`{k}`" for k in rel_types()[rel_type].identity)
    pattern = f"[r:{q(rel_type)} {{{identity}}}]" if identity else f"[r:{q(rel_type)}]"
    return (
        f"UNWIND [{items}] AS row MATCH (s:{q(source_label)} {{id: row.s}}) "
        f"MATCH (t:{q(target_label)} {{id: row.t}}) MERGE (s)-{pattern}->(t) SET r += row.props;\n"
    )


def write_cypher(nodes: Iterable[Node], rels: Iterable[Relationship], path: Path) -> tuple[int, int]:
    """Statements of at most CYPHER_BATCH rows each; only the id -> label map is held whole."""
    labels: dict[str, str] = {}
    rel_count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("// newsgraph snapshot: run with cypher-shell -f this-file. Idempotent (MERGE).\n")
        for statement in schema_statements():
            out.write(statement + ";\n")
        pending_nodes: dict[str, list[dict]] = defaultdict(list)
        for node in nodes:
            labels[node.id] = node.label
            pending_nodes[node.label].append({"id": node.id} | node.props)
            if len(pending_nodes[node.label]) >= CYPHER_BATCH:
                out.write(_merge_nodes(node.label, pending_nodes.pop(node.label)))
        for label, rows in pending_nodes.items():
            out.write(_merge_nodes(label, rows))
        pending: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for rel in rels:
            group = (rel.type, labels[rel.source], labels[rel.target])
            pending[group].append({"s": rel.source, "t": rel.target, "props": rel.props})
            rel_count += 1
            if len(pending[group]) >= CYPHER_BATCH:
                out.write(_merge_rels(group, pending.pop(group)))
        for group, rows in sorted(pending.items()):
            out.write(_merge_rels(group, rows))
    return len(labels), rel_count


# --- neo4j-admin CSV -----------------------------------------------------------------------

_CSV_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string[]"}


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def write_neo4j_csv(nodes: Iterable[Node], rels: Iterable[Relationship], directory: Path) -> tuple[int, int]:
    """One CSV per label and per relationship type, headers typed for neo4j-admin, and an
    `import.sh` with the exact command."""
    directory.mkdir(parents=True, exist_ok=True)
    node_files: dict[str, tuple[Any, Any]] = {}
    node_count = rel_count = 0
    for node in nodes:
        label, schema_props = node.label, NODE_TYPES[node.label].properties
        columns = [c for c in schema_props if c != "id"]
        if label not in node_files:
            handle = (directory / f"nodes_{label}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow(["id:ID"] + [f"{c}:{_CSV_TYPES[schema_props[c]]}" for c in columns] + [":LABEL"])
            node_files[label] = (handle, writer)
        _, writer = node_files[label]
        writer.writerow([node.id] + [_csv_value(node.props.get(c)) for c in columns] + [label])
        node_count += 1
    for handle, _ in node_files.values():
        handle.close()
    rel_files: dict[str, tuple[Any, Any]] = {}
    for rel in rels:
        rel_type, rel_schema_props = rel.type, rel_types()[rel.type].properties
        if rel_type not in rel_files:
            handle = (directory / f"rels_{rel_type}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow([":START_ID", ":END_ID", ":TYPE"] + [f"{c}:{_CSV_TYPES[t]}" for c, t in rel_schema_props.items()])
            rel_files[rel_type] = (handle, writer)
        _, writer = rel_files[rel_type]
        writer.writerow([rel.source, rel.target, rel_type] + [_csv_value(rel.props.get(c)) for c in rel_schema_props])
        rel_count += 1
    for handle, _ in rel_files.values():
        handle.close()
    options = ["--array-delimiter=;", "--multiline-fields=true", "--overwrite-destination"]
    options += [f"--nodes={label}=nodes_{label}.csv" for label in node_files]
    options += [f"--relationships={rel}=rels_{rel}.csv" for rel in rel_files]
    script = "#!/bin/sh\n# Bulk-load this snapshot into an empty, stopped Neo4j database (default: neo4j).\n"
    # The database comes first: neo4j-admin 5 reads every word after a --relationships=… (or
    # --nodes=…) as one more file of it, so a database name at the end is taken for a file.
    script += 'cd "$(dirname "$0")"\nneo4j-admin database import full "${1:-neo4j}" \\\n  '
    script += " \\\n  ".join(shlex.quote(o) for o in options) + "\n"
    (directory / "import.sh").write_text(script, encoding="utf-8")
    return node_count, rel_count
