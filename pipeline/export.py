"""Snapshots: every node and relationship of a store, in the formats analysts take elsewhere.

- `graphml` (yEd, Gephi) and node-link `json` through networkx;
- `cypher`: a script of idempotent `MERGE` statements that rebuilds the graph in Neo4j
  (`cypher-shell -f graph.cypher`);
- `neo4j-csv`: a directory of CSV files plus the `neo4j-admin database import full` command
  that bulk-loads them into a fresh Neo4j.
"""

from __future__ import annotations

import csv
import json
import math
import shlex
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from pipeline.store import GraphStore
from pipeline.store.cypher import q
from pipeline.store.neo4j import schema_statements
from pipeline.store.schema import NODE_PROPS, rel_schema

FORMATS = ("graphml", "json", "cypher", "neo4j-csv")
CYPHER_BATCH = 500


def snapshot(store: GraphStore) -> nx.MultiDiGraph:
    """The whole store as one networkx graph, in canonical (label, id) order."""
    graph = nx.MultiDiGraph()
    for node_id, label, props in store.nodes():
        graph.add_node(node_id, label=label, **{k: v for k, v in props.items() if k != "id"})
    for source, rel_type, target, props in store.relationships():
        graph.add_edge(source, target, type=rel_type, **props)
    return graph


def _graphml_safe(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML has no list type: lists are kept as JSON strings."""
    safe = graph.copy()
    for _, data in safe.nodes(data=True):
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = json.dumps(value, ensure_ascii=False)
    for _, _, data in safe.edges(data=True):
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = json.dumps(value, ensure_ascii=False)
    return safe


def write_snapshot(store: GraphStore, path: Path, fmt: str) -> tuple[int, int]:
    """Write the store to `path`; returns (nodes, relationships) written."""
    if fmt == "cypher":
        return write_cypher(store, path)
    if fmt == "neo4j-csv":
        return write_neo4j_csv(store, path)
    graph = snapshot(store)
    if fmt == "graphml":
        nx.write_graphml(_graphml_safe(graph), path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="relationships")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return graph.number_of_nodes(), graph.number_of_edges()


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


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _identity(rel_type: str) -> list[str]:
    """The properties that tell two relationships of one type between one pair apart."""
    props = rel_schema()[rel_type][1]
    if "event_id" in props:
        return ["event_id"]
    if rel_type == "QUOTES":
        return ["start_offset"]
    if rel_type == "AFFILIATED_WITH":
        return ["role", "article_id"]
    return []


def write_cypher(store: GraphStore, path: Path) -> tuple[int, int]:
    labels: dict[str, str] = {}
    node_rows: dict[str, list[dict]] = defaultdict(list)
    for node_id, label, props in store.nodes():
        labels[node_id] = label
        node_rows[label].append(props)
    rel_rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for source, rel_type, target, props in store.relationships():
        rel_rows[(rel_type, labels[source], labels[target])].append({"s": source, "t": target, "props": props})
    with path.open("w", encoding="utf-8") as out:
        out.write("// newsgraph snapshot: run with cypher-shell -f this-file. Idempotent (MERGE).\n")
        for statement in schema_statements():
            out.write(statement + ";\n")
        for label, rows in node_rows.items():
            for batch in _batches(rows, CYPHER_BATCH):
                items = ", ".join(_map_literal(r) for r in batch)
                out.write(f"UNWIND [{items}] AS row MERGE (n:{q(label)} {{id: row.id}}) SET n += row;\n")
        for (rel_type, source_label, target_label), rows in sorted(rel_rows.items()):
            for batch in _batches(rows, CYPHER_BATCH):
                items = ", ".join(
                    f"{{s: {cypher_literal(r['s'])}, t: {cypher_literal(r['t'])}, props: {_map_literal(r['props'])}}}"
                    for r in batch
                )
                identity = ", ".join(f"`{k}`: row.props.`{k}`" for k in _identity(rel_type))
                pattern = f"[r:{q(rel_type)} {{{identity}}}]" if identity else f"[r:{q(rel_type)}]"
                out.write(
                    f"UNWIND [{items}] AS row MATCH (s:{q(source_label)} {{id: row.s}}) "
                    f"MATCH (t:{q(target_label)} {{id: row.t}}) "
                    f"MERGE (s)-{pattern}->(t) SET r += row.props;\n"
                )
    return len(labels), sum(len(r) for r in rel_rows.values())


# --- neo4j-admin CSV -----------------------------------------------------------------------

_CSV_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string[]"}


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def write_neo4j_csv(store: GraphStore, directory: Path) -> tuple[int, int]:
    """One CSV per label and per relationship type, headers typed for neo4j-admin, and an
    `import.sh` with the exact command."""
    directory.mkdir(parents=True, exist_ok=True)
    node_files: dict[str, tuple[Any, Any]] = {}
    node_count = rel_count = 0
    for node_id, label, props in store.nodes():
        if label not in node_files:
            handle = (directory / f"nodes_{label}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            columns = [c for c in NODE_PROPS[label] if c != "id"]
            writer.writerow(["id:ID"] + [f"{c}:{_CSV_TYPES[NODE_PROPS[label][c]]}" for c in columns] + [":LABEL"])
            node_files[label] = (handle, writer)
        _, writer = node_files[label]
        columns = [c for c in NODE_PROPS[label] if c != "id"]
        writer.writerow([node_id] + [_csv_value(props.get(c)) for c in columns] + [label])
        node_count += 1
    for handle, _ in node_files.values():
        handle.close()
    rel_files: dict[str, tuple[Any, Any]] = {}
    for source, rel_type, target, props in store.relationships():
        _, schema_props = rel_schema()[rel_type]
        if rel_type not in rel_files:
            handle = (directory / f"rels_{rel_type}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow([":START_ID", ":END_ID", ":TYPE"] + [f"{c}:{_CSV_TYPES[t]}" for c, t in schema_props.items()])
            rel_files[rel_type] = (handle, writer)
        _, writer = rel_files[rel_type]
        writer.writerow([source, target, rel_type] + [_csv_value(props.get(c)) for c in schema_props])
        rel_count += 1
    for handle, _ in rel_files.values():
        handle.close()
    options = ["--array-delimiter=;", "--multiline-fields=true", "--overwrite-destination"]
    options += [f"--nodes={label}=nodes_{label}.csv" for label in node_files]
    options += [f"--relationships={rel}=rels_{rel}.csv" for rel in rel_files]
    script = "#!/bin/sh\n# Bulk-load this snapshot into an empty, stopped Neo4j database (default: neo4j).\n"
    script += 'cd "$(dirname "$0")"\nneo4j-admin database import full \\\n  '
    script += " \\\n  ".join(shlex.quote(o) for o in options) + ' \\\n  "${1:-neo4j}"\n'
    (directory / "import.sh").write_text(script, encoding="utf-8")
    return node_count, rel_count
