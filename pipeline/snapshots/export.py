"""Snapshots: every node and relationship of a store, in the formats analysts take elsewhere.

- `graphml` (yEd, Gephi, networkx) and `gexf` (Gephi), with typed attribute declarations;
- `json`: networkx node-link JSON; `cytoscape`: Cytoscape.js elements JSON (Cytoscape desktop
  imports it too);
- `cypher`: a script of idempotent `MERGE` statements that rebuilds the graph in Neo4j
  (`cypher-shell -f graph.cypher`);
- `neo4j-csv`: a directory of CSV files plus the `neo4j-admin database import full` command
  that bulk-loads them into a fresh Neo4j;
- `html`: one self-contained interactive page (`pipeline.snapshots.html`).

Canonical order, the same in every format: nodes by label (schema order) then id;
relationships by type (schema order), source id, target id, then properties. Properties keep
their types: strings (dates are ISO strings), integers, floats, and lists where the format has
them (JSON); GraphML and GEXF hold a list as its JSON text, declared in the schema as a list.

Writers take iterables and write as they read, so an export of a whole store streams; reading
a snapshot back (`snapshot_io.read_snapshot`) holds it in memory.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import shlex
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from pipeline.errors import StoreError
from pipeline.store import GraphStore
from pipeline.store.cypher import q
from pipeline.store.neo4j import schema_statements
from pipeline.graph.schema import NODE_PROPS, rel_schema

FORMATS = ("graphml", "gexf", "json", "cytoscape", "cypher", "neo4j-csv", "html")
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cytoscape": ".cyjs",
            "cypher": ".cypher", "neo4j-csv": "", "html": ".html"}  # fmt: skip
CYPHER_BATCH = 500

Node = tuple[str, str, dict[str, Any]]
Rel = tuple[str, str, str, dict[str, Any]]


# --- canonical order -----------------------------------------------------------------------


@functools.cache
def _label_rank() -> dict[str, int]:
    return {label: rank for rank, label in enumerate(NODE_PROPS)}


@functools.cache
def _type_rank() -> dict[str, int]:
    return {rel_type: rank for rank, rel_type in enumerate(rel_schema())}


def node_key(node: Node) -> tuple[int, str]:
    return _label_rank()[node[1]], node[0]


def rel_key(rel: Rel) -> tuple[int, str, str, str]:
    return _type_rank()[rel[1]], rel[0], rel[2], json.dumps(rel[3], sort_keys=True, default=str)


def node_props(label: str, props: dict[str, Any]) -> dict[str, Any]:
    """The schema's properties of a node, in schema order, without `id` and nulls."""
    return {k: props[k] for k in NODE_PROPS[label] if k != "id" and props.get(k) is not None}


def rel_props(rel_type: str, props: dict[str, Any]) -> dict[str, Any]:
    return {k: props[k] for k in rel_schema()[rel_type][1] if props.get(k) is not None}


def canonical_nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    """Nodes as the store hands them (already by label, id), normalised and checked."""
    previous = None
    for node_id, label, props in nodes:
        key = node_key((node_id, label, props))
        if previous is not None and key < previous:
            raise StoreError(f"the store returned node {node_id!r} out of (label, id) order")
        previous = key
        yield node_id, label, node_props(label, props)


def canonical_rels(rels: Iterable[Rel]) -> Iterator[Rel]:
    """Relationships in canonical order from a stream already ordered by (type, source,
    target): only runs of parallel relationships are buffered and sorted by properties."""
    run: list[Rel] = []
    previous = None
    for source, rel_type, target, props in rels:
        rel = (source, rel_type, target, rel_props(rel_type, props))
        head = (_type_rank()[rel_type], source, target)
        if previous is not None and head != previous:
            if head < previous:
                raise StoreError(f"the store returned {rel_type} {source} -> {target} out of order")
            yield from (sorted(run, key=rel_key) if len(run) > 1 else run)
            run = []
        previous = head
        run.append(rel)
    yield from sorted(run, key=rel_key)


@dataclass
class Snapshot:
    """A graph held in memory as canonical node and relationship lists."""

    nodes: list[Node] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)

    @classmethod
    def of(cls, nodes: Iterable[Node], rels: Iterable[Rel]) -> Snapshot:
        """Normalise and sort arbitrary nodes and relationships."""
        return cls(
            sorted(((i, label, node_props(label, p)) for i, label, p in nodes), key=node_key),
            sorted(((s, t, o, rel_props(t, p)) for s, t, o, p in rels), key=rel_key),
        )

    @classmethod
    def from_store(cls, store: GraphStore) -> Snapshot:
        return cls(list(canonical_nodes(store.nodes())), list(canonical_rels(store.relationships())))


def snapshot(store: GraphStore) -> nx.MultiDiGraph:
    """The whole store as one networkx graph, in canonical (label, id) order."""
    graph = nx.MultiDiGraph()
    for node_id, label, props in canonical_nodes(store.nodes()):
        graph.add_node(node_id, label=label, **props)
    for source, rel_type, target, props in canonical_rels(store.relationships()):
        graph.add_edge(source, target, type=rel_type, **props)
    return graph


def write_snapshot(store: GraphStore, path: Path, fmt: str) -> tuple[int, int]:
    """Stream the whole store to `path`; returns (nodes, relationships) written."""
    return write_elements(canonical_nodes(store.nodes()), canonical_rels(store.relationships()), path, fmt)


def write_elements(nodes: Iterable[Node], rels: Iterable[Rel], path: Path, fmt: str) -> tuple[int, int]:
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


def _write_node_link(nodes: Iterable[Node], rels: Iterable[Rel], sink: IO[str]) -> tuple[int, int]:
    # One element per line: diffable, and written as read.
    sink.write('{"directed": true, "multigraph": true, "graph": {}, "nodes": [')
    node_count = rel_count = 0
    for node_id, label, props in nodes:
        sink.write(("\n" if node_count == 0 else ",\n") + _json({"id": node_id, "label": label} | props))
        node_count += 1
    sink.write('\n], "relationships": [')
    for source, rel_type, target, props in rels:
        record = {"source": source, "target": target, "type": rel_type} | props
        sink.write(("\n" if rel_count == 0 else ",\n") + _json(record))
        rel_count += 1
    sink.write("\n]}\n")
    return node_count, rel_count


def _write_cytoscape(nodes: Iterable[Node], rels: Iterable[Rel], sink: IO[str]) -> tuple[int, int]:
    sink.write('{"format_version": "1.0", "generated_by": "newsgraph", "elements": {"nodes": [')
    node_count = rel_count = 0
    for node_id, label, props in nodes:
        record = {"data": {"id": node_id, "label": label} | props}
        sink.write(("\n" if node_count == 0 else ",\n") + _json(record))
        node_count += 1
    sink.write('\n], "edges": [')
    for source, rel_type, target, props in rels:
        data = {"id": f"e{rel_count}", "source": source, "target": target, "type": rel_type} | props
        sink.write(("\n" if rel_count == 0 else ",\n") + _json({"data": data}))
        rel_count += 1
    sink.write("\n]}}\n")
    return node_count, rel_count


# --- XML: GraphML and GEXF -----------------------------------------------------------------

_XML_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string"}
_ILLEGAL_XML = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}


@functools.cache
def node_prop_types() -> dict[str, str]:
    """Every node property name and its schema type (no name has two types)."""
    return {k: t for props in NODE_PROPS.values() for k, t in props.items() if k != "id"}


@functools.cache
def rel_prop_types() -> dict[str, str]:
    return {k: t for _, props in rel_schema().values() for k, t in props.items()}


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


def _write_graphml(nodes: Iterable[Node], rels: Iterable[Rel], sink: IO[str]) -> tuple[int, int]:
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
    for node_id, label, props in nodes:
        data = "".join(f'<data key="n_{k}">{_xml_text(v)}</data>' for k, v in props.items())
        sink.write(f'<node id="{_xml_text(node_id)}"><data key="n_label">{label}</data>{data}</node>\n')
        node_count += 1
    for source, rel_type, target, props in rels:
        data = "".join(f'<data key="e_{k}">{_xml_text(v)}</data>' for k, v in props.items())
        sink.write(f'<edge source="{_xml_text(source)}" target="{_xml_text(target)}">'
                   f'<data key="e_type">{rel_type}</data>{data}</edge>\n')  # fmt: skip
        rel_count += 1
    sink.write("</graph>\n</graphml>\n")
    return node_count, rel_count


def display_name(label: str, props: dict[str, Any], node_id: str) -> str:
    """What a viewer shows on a node: its name, an article's title, else the id."""
    return str(props.get("name") or props.get("title") or props.get("text") or node_id)


def _write_gexf(nodes: Iterable[Node], rels: Iterable[Rel], sink: IO[str]) -> tuple[int, int]:
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
    for node_id, label, props in nodes:
        values = "".join(f'<attvalue for="{k}" value="{_xml_text(v)}"/>' for k, v in ({"label": label} | props).items())
        name = _xml_text(display_name(label, props, node_id))
        sink.write(f'<node id="{_xml_text(node_id)}" label="{name}"><attvalues>{values}</attvalues></node>\n')
        node_count += 1
    sink.write("</nodes>\n<edges>\n")
    for source, rel_type, target, props in rels:
        values = "".join(f'<attvalue for="{k}" value="{_xml_text(v)}"/>' for k, v in ({"type": rel_type} | props).items())
        sink.write(f'<edge id="{rel_count}" source="{_xml_text(source)}" target="{_xml_text(target)}" '
                   f'label="{rel_type}" kind="{rel_type}"><attvalues>{values}</attvalues></edge>\n')  # fmt: skip
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


def _merge_nodes(label: str, rows: list[dict]) -> str:
    items = ", ".join(_map_literal(r) for r in rows)
    return f"UNWIND [{items}] AS row MERGE (n:{q(label)} {{id: row.id}}) SET n += row;\n"


def _merge_rels(group: tuple[str, str, str], rows: list[dict]) -> str:
    rel_type, source_label, target_label = group
    items = ", ".join(
        f"{{s: {cypher_literal(r['s'])}, t: {cypher_literal(r['t'])}, props: {_map_literal(r['props'])}}}"
        for r in rows
    )
    identity = ", ".join(f"`{k}`: row.props.`{k}`" for k in _identity(rel_type))
    pattern = f"[r:{q(rel_type)} {{{identity}}}]" if identity else f"[r:{q(rel_type)}]"
    return (
        f"UNWIND [{items}] AS row MATCH (s:{q(source_label)} {{id: row.s}}) "
        f"MATCH (t:{q(target_label)} {{id: row.t}}) MERGE (s)-{pattern}->(t) SET r += row.props;\n"
    )


def write_cypher(nodes: Iterable[Node], rels: Iterable[Rel], path: Path) -> tuple[int, int]:
    """Statements of at most CYPHER_BATCH rows each; only the id -> label map is held whole."""
    labels: dict[str, str] = {}
    rel_count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("// newsgraph snapshot: run with cypher-shell -f this-file. Idempotent (MERGE).\n")
        for statement in schema_statements():
            out.write(statement + ";\n")
        pending_nodes: dict[str, list[dict]] = defaultdict(list)
        for node_id, label, props in nodes:
            labels[node_id] = label
            pending_nodes[label].append({"id": node_id} | props)
            if len(pending_nodes[label]) >= CYPHER_BATCH:
                out.write(_merge_nodes(label, pending_nodes.pop(label)))
        for label, rows in pending_nodes.items():
            out.write(_merge_nodes(label, rows))
        pending: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for source, rel_type, target, props in rels:
            group = (rel_type, labels[source], labels[target])
            pending[group].append({"s": source, "t": target, "props": props})
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


def write_neo4j_csv(nodes: Iterable[Node], rels: Iterable[Rel], directory: Path) -> tuple[int, int]:
    """One CSV per label and per relationship type, headers typed for neo4j-admin, and an
    `import.sh` with the exact command."""
    directory.mkdir(parents=True, exist_ok=True)
    node_files: dict[str, tuple[Any, Any]] = {}
    node_count = rel_count = 0
    for node_id, label, props in nodes:
        columns = [c for c in NODE_PROPS[label] if c != "id"]
        if label not in node_files:
            handle = (directory / f"nodes_{label}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow(["id:ID"] + [f"{c}:{_CSV_TYPES[NODE_PROPS[label][c]]}" for c in columns] + [":LABEL"])
            node_files[label] = (handle, writer)
        _, writer = node_files[label]
        writer.writerow([node_id] + [_csv_value(props.get(c)) for c in columns] + [label])
        node_count += 1
    for handle, _ in node_files.values():
        handle.close()
    rel_files: dict[str, tuple[Any, Any]] = {}
    for source, rel_type, target, props in rels:
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
