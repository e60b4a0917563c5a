"""Snapshots: every node and relationship of a store, in the formats analysts take elsewhere.

- `graphml` (yEd, Gephi, networkx) and `gexf` (Gephi), with typed attribute declarations;
- `json`: networkx node-link JSON; `cytoscape`: Cytoscape.js elements JSON (Cytoscape desktop
  imports it too);
- `cypher`: a script of idempotent `MERGE` statements that rebuilds the graph in Neo4j
  (`cypher-shell -f graph.cypher`), and `neo4j-csv`: a directory of CSV files plus the
  `neo4j-admin database import full` command that bulk-loads them into a fresh Neo4j
  (both in `pipeline.snapshots.neo4j_files`);
- `html`: one self-contained interactive page (`pipeline.snapshots.html`).

Elements come in canonical order (`pipeline.snapshots.elements`). Properties keep their
types: strings (dates are ISO strings), integers, floats, and lists where the format has them
(JSON); GraphML and GEXF hold a list as its JSON text, declared in the schema as a list.

Writers take iterables and write as they read, so an export of a whole store streams; reading
a snapshot back (`snapshot_io.read_snapshot`) holds it in memory. They write a temporary file
or directory that replaces the target only when complete (`pipeline.snapshots.outputs`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from models import Node, Relationship
from pipeline.graph.schema import node_prop_types, rel_prop_types
from pipeline.snapshots.elements import Snapshot, canonical_nodes, canonical_rels, display_name
from pipeline.snapshots.neo4j_files import cypher_literal, write_cypher, write_neo4j_csv
from pipeline.snapshots.outputs import replacing_directory, replacing_file
from pipeline.store import GraphStore

__all__ = ["cypher_literal", "write_elements", "write_snapshot"]


def write_snapshot(store: GraphStore, path: Path, fmt: str) -> tuple[int, int]:
    """Stream the whole store to `path`; returns (nodes, relationships) written."""
    return write_elements(canonical_nodes(store.nodes()), canonical_rels(store.relationships()), path, fmt)


def write_elements(nodes: Iterable[Node], rels: Iterable[Relationship], path: Path, fmt: str) -> tuple[int, int]:
    """Write canonical nodes and relationships (lists or one-pass iterators) in `fmt`; what
    was at `path` is replaced only by a complete export."""
    if fmt == "neo4j-csv":
        with replacing_directory(path) as partial_directory:
            return write_neo4j_csv(nodes, rels, partial_directory)
    writers = {"graphml": _write_graphml, "gexf": _write_gexf, "json": _write_node_link,
               "cytoscape": _write_cytoscape}  # fmt: skip
    if fmt not in writers and fmt not in ("cypher", "html"):
        raise ValueError(f"unknown export format {fmt!r}")
    with replacing_file(path) as partial:
        if fmt == "cypher":
            return write_cypher(nodes, rels, partial)
        if fmt == "html":
            from pipeline.snapshots.html import write_html

            return write_html(Snapshot(list(nodes), list(rels)), partial)
        with partial.open("w", encoding="utf-8", newline="\n") as sink:
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
