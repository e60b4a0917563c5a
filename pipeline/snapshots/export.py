"""Snapshots: every node and relationship of a store, in the formats analysts take elsewhere.

- `graphml` (yEd, Gephi, networkx) and `gexf` (Gephi), with typed attribute declarations;
- `json`: networkx node-link JSON; `cytoscape`: Cytoscape.js elements JSON (Cytoscape desktop
  imports it too);
- `cypher`: a script of idempotent `MERGE` statements that rebuilds the graph in Neo4j
  (`cypher-shell -f graph.cypher`);
- `neo4j-csv`: a directory of CSV files plus the `neo4j-admin database import full` command
  that bulk-loads them into a fresh Neo4j;
- `html`: one self-contained interactive page (`pipeline.snapshots.html`).

Elements come in canonical order (`pipeline.snapshots.elements`). Properties keep their
types: strings (dates are ISO strings), integers, floats, and lists where the format has them
(JSON); GraphML and GEXF hold a list as its JSON text, declared in the schema as a list.

Writers take iterables and write as they read, so an export of a whole store streams; reading
a snapshot back (`snapshot_io.read_snapshot`) holds it in memory.
"""

from __future__ import annotations

import csv
import json
import math
import shlex
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from models import Node, Relationship
from pipeline.graph.schema import NODE_TYPES, node_prop_types, rel_prop_types, rel_types
from pipeline.snapshots.elements import Snapshot, canonical_nodes, canonical_rels, display_name
from pipeline.store import GraphStore
from pipeline.store.cypher import q
from pipeline.store.neo4j import schema_statements

FORMATS = ("graphml", "gexf", "json", "cytoscape", "cypher", "neo4j-csv", "html")
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cytoscape": ".cyjs",
            "cypher": ".cypher", "neo4j-csv": "", "html": ".html"}  # fmt: skip
CYPHER_BATCH = 500


def write_snapshot(store: GraphStore, path: Path, fmt: str) -> tuple[int, int]:
    """Stream the whole store to `path`; returns (nodes, relationships) written."""
    return write_elements(canonical_nodes(store.nodes()), canonical_rels(store.relationships()), path, fmt)


def write_elements(nodes: Iterable[Node], rels: Iterable[Relationship], path: Path, fmt: str) -> tuple[int, int]:
    """Write canonical nodes and relationships (lists or one-pass iterators) in `fmt`."""
    if fmt == "cypher":
        return write_cypher(nodes, rels, path)
    if fmt == "neo4j-csv":
        return write_neo4j_csv(nodes, rels, path)
    if fmt == "html":
        from pipeline.snapshots.html import write_html

        return write_html(Snapshot(list(nodes), list(rels)), path)
    writers = {"graphml": _write_graphml, "gexf": _write_gexf, "json": _write_node_link,
               "cytoscape": _write_cytoscape}  # fmt: skip
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}")
    with path.open("w", encoding="utf-8", newline="\n") as sink:
        return writers[fmt](nodes, rels, sink)


# --- JSON: node-link and Cytoscape.js ------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_node_link(nodes: Iterable[Node], rels: Iterable[Relationship], sink: IO[str]) -> tuple[int, int]:
    # One element per line: diffable, and written as read.
    sink.write('{"directed": true, "multigraph": true, "graph": {}, "nodes": [')
    node_count = rel_count = 0
    for node in nodes:
        sink.write(("\n" if node_count == 0 else ",\n") + _json({"id": node.id, "label": node.label} | node.props))
        node_count += 1
    sink.write('\n], "relationships": [')
    for rel in rels:
        record = {"source": rel.source, "target": rel.target, "type": rel.type} | rel.props
        sink.write(("\n" if rel_count == 0 else ",\n") + _json(record))
        rel_count += 1
    sink.write("\n]}\n")
    return node_count, rel_count


def _write_cytoscape(nodes: Iterable[Node], rels: Iterable[Relationship], sink: IO[str]) -> tuple[int, int]:
    sink.write('{"format_version": "1.0", "generated_by": "newsgraph", "elements": {"nodes": [')
    node_count = rel_count = 0
    for node in nodes:
        record = {"data": {"id": node.id, "label": node.label} | node.props}
        sink.write(("\n" if node_count == 0 else ",\n") + _json(record))
        node_count += 1
    sink.write('\n], "edges": [')
    for rel in rels:
        data = {"id": f"e{rel_count}", "source": rel.source, "target": rel.target, "type": rel.type} | rel.props
        sink.write(("\n" if rel_count == 0 else ",\n") + _json({"data": data}))
        rel_count += 1
    sink.write("\n]}}\n")
    return node_count, rel_count


# --- XML: GraphML and GEXF -----------------------------------------------------------------

_XML_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string"}
_ILLEGAL_XML = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}


def _xml_text(value: Any) -> str:
    """Element text or attribute value. Control characters XML 1.0 cannot hold are dropped;
    CR, LF and TAB are written as character references so parsers keep them as they are."""
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float):
        value = repr(value)
    text = str(value).translate(_ILLEGAL_XML)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;"))  # fmt: skip


def _write_graphml(nodes: Iterable[Node], rels: Iterable[Relationship], sink: IO[str]) -> tuple[int, int]:
    sink.write('<?xml version="1.0" encoding="utf-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')  # fmt: skip
    sink.write('<key id="n_label" for="node" attr.name="label" attr.type="string"/>\n')
    for name, kind in node_prop_types().items():
        sink.write(f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="{_XML_TYPES[kind]}"/>\n')
    sink.write('<key id="e_type" for="edge" attr.name="type" attr.type="string"/>\n')
    for name, kind in rel_prop_types().items():
        sink.write(f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{_XML_TYPES[kind]}"/>\n')
    sink.write('<graph id="newsgraph" edgedefault="directed">\n')
    node_count = rel_count = 0
    for node in nodes:
        data = "".join(f'<data key="n_{k}">{_xml_text(v)}</data>' for k, v in node.props.items())
        sink.write(f'<node id="{_xml_text(node.id)}"><data key="n_label">{node.label}</data>{data}</node>\n')
        node_count += 1
    for rel in rels:
        data = "".join(f'<data key="e_{k}">{_xml_text(v)}</data>' for k, v in rel.props.items())
        sink.write(f'<edge source="{_xml_text(rel.source)}" target="{_xml_text(rel.target)}">'
                   f'<data key="e_type">{rel.type}</data>{data}</edge>\n')  # fmt: skip
        rel_count += 1
    sink.write("</graph>\n</graphml>\n")
    return node_count, rel_count


def _write_gexf(nodes: Iterable[Node], rels: Iterable[Relationship], sink: IO[str]) -> tuple[int, int]:
    sink.write('<?xml version="1.0" encoding="utf-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
               '<meta><creator>newsgraph</creator></meta>\n<graph mode="static" defaultedgetype="directed">\n')  # fmt: skip
    sink.write('<attributes class="node">\n<attribute id="label" title="label" type="string"/>\n')
    for name, kind in node_prop_types().items():
        sink.write(f'<attribute id="{name}" title="{name}" type="{_XML_TYPES[kind]}"/>\n')
    sink.write('</attributes>\n<attributes class="edge">\n<attribute id="type" title="type" type="string"/>\n')
    for name, kind in rel_prop_types().items():
        sink.write(f'<attribute id="{name}" title="{name}" type="{_XML_TYPES[kind]}"/>\n')
    sink.write("</attributes>\n<nodes>\n")
    node_count = rel_count = 0
    for node in nodes:
        values = "".join(f'<attvalue for="{k}" value="{_xml_text(v)}"/>' for k, v in ({"label": node.label} | node.props).items())
        name = _xml_text(display_name(node))
        sink.write(f'<node id="{_xml_text(node.id)}" label="{name}"><attvalues>{values}</attvalues></node>\n')
        node_count += 1
    sink.write("</nodes>\n<edges>\n")
    for rel in rels:
        values = "".join(f'<attvalue for="{k}" value="{_xml_text(v)}"/>' for k, v in ({"type": rel.type} | rel.props).items())
        sink.write(f'<edge id="{rel_count}" source="{_xml_text(rel.source)}" target="{_xml_text(rel.target)}" '
                   f'label="{rel.type}" kind="{rel.type}"><attvalues>{values}</attvalues></edge>\n')  # fmt: skip
        rel_count += 1
    sink.write("</edges>\n</graph>\n</gexf>\n")
    return node_count, rel_count


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
