"""Reading snapshots back: node-link JSON, Cytoscape.js JSON, GraphML and GEXF, and loading
one into a store.

A store keeps every fact under the article that reports it (see docs/SCHEMA.md, ownership),
so `load_snapshot` regroups the snapshot into one graph per article, like `pipeline.graph.build`
builds them, and hands them to `GraphStore.write` in one batch: loading is idempotent and a
changed article replaces only its own facts, exactly as ingesting does.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from models import WriteReport
from pipeline.errors import InputError
from pipeline.snapshots.export import Node, Rel, Snapshot, node_prop_types, rel_prop_types
from pipeline.store import GraphStore
from pipeline.graph.schema import NODE_PROPS, rel_schema

LOADABLE = ("json", "cytoscape", "graphml", "gexf")
_GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
_GEXF = "{http://gexf.net/1.3}"
EVENT_ROLES = ("SOURCE", "TARGET", "LOCATION")


def read_snapshot(path: Path) -> Snapshot:
    """Parse a snapshot file written by `newsgraph export` into canonical order."""
    if not path.is_file():
        raise InputError(str(path), "no such snapshot file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".graphml", ".xml"):
            nodes, rels = _read_graphml(path)
        elif suffix == ".gexf":
            nodes, rels = _read_gexf(path)
        elif suffix in (".json", ".cyjs"):
            data = json.loads(path.read_text(encoding="utf-8"))
            nodes, rels = _read_cytoscape(data) if "elements" in data else _read_node_link(data)
        else:
            raise InputError(str(path), f"cannot load a {suffix or 'suffix-less'} file: export with "
                                        f"--format {', '.join(LOADABLE)} to get a loadable snapshot")  # fmt: skip
        snapshot = Snapshot.of(_checked_nodes(nodes), _checked_rels(rels))
    except (ValueError, KeyError, TypeError, ET.ParseError) as exc:
        raise InputError(str(path), f"not a newsgraph snapshot ({type(exc).__name__}: {exc})") from exc
    known = {node[0] for node in snapshot.nodes}
    for source, rel_type, target, _ in snapshot.rels:
        if source not in known or target not in known:
            raise InputError(str(path), f"{rel_type} {source} -> {target} points at a node the file lacks")
    return snapshot


def _checked_nodes(nodes: list[Node]) -> Iterator[Node]:
    for node_id, label, props in nodes:
        if label not in NODE_PROPS:
            raise ValueError(f"node {node_id!r} has label {label!r}, which is not in the schema")
        yield node_id, label, props


def _checked_rels(rels: list[Rel]) -> Iterator[Rel]:
    for rel in rels:
        if rel[1] not in rel_schema():
            raise ValueError(f"relationship type {rel[1]!r} is not in the schema")
        yield rel


def _read_node_link(data: dict) -> tuple[list[Node], list[Rel]]:
    nodes = [(n.pop("id"), n.pop("label"), n) for n in data["nodes"]]
    rels = []
    for record in data.get("relationships", data.get("links", [])):
        record.pop("key", None)
        rels.append((record.pop("source"), record.pop("type"), record.pop("target"), record))
    return nodes, rels


def _read_cytoscape(data: dict) -> tuple[list[Node], list[Rel]]:
    nodes = [(d.pop("id"), d.pop("label"), d) for d in (n["data"] for n in data["elements"]["nodes"])]
    rels = []
    for record in (e["data"] for e in data["elements"]["edges"]):
        record.pop("id", None)
        rels.append((record.pop("source"), record.pop("type"), record.pop("target"), record))
    return nodes, rels


def _typed(text: str | None, kind: str) -> Any:
    text = text or ""
    if kind == "INT64":
        return int(text)
    if kind == "DOUBLE":
        return float(text)
    if kind == "STRING[]":
        return json.loads(text)
    return text


def _collect(tag: str, element, values: dict[str, str | None], nodes: list[Node], rels: list[Rel]) -> None:
    """One GraphML or GEXF node or edge, its string values typed by the schema."""
    if tag == "node":
        label = values.pop("label") or ""
        nodes.append((element.get("id", ""), label, {k: _typed(v, node_prop_types()[k]) for k, v in values.items()}))
    else:
        rel_type = values.pop("type") or ""
        props = {k: _typed(v, rel_prop_types()[k]) for k, v in values.items()}
        rels.append((element.get("source", ""), rel_type, element.get("target", ""), props))
    element.clear()


def _read_graphml(path: Path) -> tuple[list[Node], list[Rel]]:
    keys: dict[str, str] = {}
    nodes: list[Node] = []
    rels: list[Rel] = []
    for _, element in ET.iterparse(path, events=("end",)):
        tag = element.tag.removeprefix(_GRAPHML)
        if tag == "key":
            keys[element.get("id", "")] = element.get("attr.name", "")
        elif tag in ("node", "edge"):
            values = {keys[d.get("key", "")]: d.text for d in element.findall(f"{_GRAPHML}data")}
            _collect(tag, element, values, nodes, rels)
    return nodes, rels


def _read_gexf(path: Path) -> tuple[list[Node], list[Rel]]:
    nodes: list[Node] = []
    rels: list[Rel] = []
    for _, element in ET.iterparse(path, events=("end",)):
        tag = element.tag.removeprefix(_GEXF)
        if tag not in ("node", "edge"):
            continue
        values = {v.get("for", ""): v.get("value") for v in element.iter(f"{_GEXF}attvalue")}
        _collect(tag, element, values, nodes, rels)
    return nodes, rels


# --- loading into a store ------------------------------------------------------------------


def article_graphs(snapshot: Snapshot) -> list[nx.MultiDiGraph]:
    """One graph per article holding what that article owns; facts shared between articles
    (an event's participants and projections, a figure's entities, IN_COUNTRY) go with the
    first article, in id order, that reports them."""
    labels = {node_id: label for node_id, label, _ in snapshot.nodes}
    props = {node_id: {"id": node_id} | p for node_id, _, p in snapshot.nodes}
    articles = [node_id for node_id, label, _ in snapshot.nodes if label == "Article"]
    if not articles:
        if not snapshot.nodes:
            return []
        raise InputError("snapshot", "it has no Article nodes, and a store keeps every fact under the "
                                     "article that reports it: export a slice that keeps its articles")  # fmt: skip
    graphs = {a: nx.MultiDiGraph(article_id=a) for a in articles}
    owner: dict[str, str] = {}
    for source, rel_type, target, _ in snapshot.rels:
        if rel_type in ("REPORTS", "HAS_FIGURE"):
            owner.setdefault(target, source)
    placed: set[str] = set()

    def add_node(graph: nx.MultiDiGraph, node_id: str) -> None:
        label = labels[node_id]
        full = {name: props[node_id].get(name) for name in NODE_PROPS[label]}
        graph.add_node(node_id, label=label, props=full)
        placed.add(node_id)

    for article in articles:
        add_node(graphs[article], article)
    for source, rel_type, target, rel_props in snapshot.rels:
        if labels[source] == "Article":
            home = source
        elif rel_type == "AFFILIATED_WITH" and rel_props.get("article_id") in graphs:
            home = rel_props["article_id"]
        elif rel_props.get("event_id"):
            home = owner.get(rel_props["event_id"], articles[0])
        else:  # SOURCE/TARGET/LOCATION from an event, CONCERNS from a figure, IN_COUNTRY
            home = owner.get(source, articles[0])
        graph = graphs[home]
        add_node(graph, source)
        add_node(graph, target)
        graph.add_edge(source, target, type=rel_type, props=dict(rel_props))
    for node_id in labels.keys() - placed:
        add_node(graphs[articles[0]], node_id)
    return list(graphs.values())


def load_snapshot(store: GraphStore, snapshot: Snapshot, *, force: bool = False) -> WriteReport:
    """Write a snapshot into `store` in one transaction; returns each article's outcome."""
    return store.write(article_graphs(snapshot), force=force)
