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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from models import ArticleGraph, Node, PropValue, Relationship, WriteReport
from pipeline.errors import InputError
from pipeline.graph.schema import NODE_TYPES, node_prop_types, rel_prop_types, rel_types
from pipeline.snapshots.elements import Snapshot
from pipeline.snapshots.formats import load_format
from pipeline.store import GraphStore

_GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
_GEXF = "{http://gexf.net/1.3}"


def read_snapshot(path: Path) -> Snapshot:
    """Parse a snapshot file written by `newsgraph export` into canonical order."""
    if not path.is_file():
        raise InputError(str(path), "no such snapshot file")
    fmt = load_format(path)
    try:
        if fmt == "graphml":
            nodes, rels = _read_graphml(path)
        elif fmt == "gexf":
            nodes, rels = _read_gexf(path)
        else:  # node-link or Cytoscape JSON, told apart by their content
            data = json.loads(path.read_text(encoding="utf-8"))
            nodes, rels = _read_cytoscape(data) if "elements" in data else _read_node_link(data)
        snapshot = Snapshot.of(_checked_nodes(nodes), _checked_rels(rels))
    except (ValueError, KeyError, TypeError, AttributeError, ET.ParseError) as exc:
        raise InputError(str(path), f"not a newsgraph snapshot ({type(exc).__name__}: {exc})") from exc
    known = {node.id for node in snapshot.nodes}
    for rel in snapshot.rels:
        if rel.source not in known or rel.target not in known:
            raise InputError(str(path), f"{rel.type} {rel.source} -> {rel.target} points at a node the file lacks")
    return snapshot


def _checked_nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    for node in nodes:
        if node.label not in NODE_TYPES:
            raise ValueError(f"node {node.id!r} has label {node.label!r}, which is not in the schema")
        yield node


def _checked_rels(rels: Iterable[Relationship]) -> Iterator[Relationship]:
    for rel in rels:
        if rel.type not in rel_types():
            raise ValueError(f"relationship type {rel.type!r} is not in the schema")
        yield rel


def _node(record: dict[str, Any]) -> Node:
    return Node(id=record.pop("id"), label=record.pop("label"), props=record)


def _rel(record: dict[str, Any]) -> Relationship:
    return Relationship(source=record.pop("source"), type=record.pop("type"), target=record.pop("target"), props=record)


def _read_node_link(data: dict[str, Any]) -> tuple[list[Node], list[Relationship]]:
    nodes = [_node(n) for n in data["nodes"]]
    rels = []
    for record in data.get("relationships", data.get("links", [])):
        record.pop("key", None)
        rels.append(_rel(record))
    return nodes, rels


def _read_cytoscape(data: dict[str, Any]) -> tuple[list[Node], list[Relationship]]:
    nodes = [_node(n["data"]) for n in data["elements"]["nodes"]]
    rels = []
    for record in (e["data"] for e in data["elements"]["edges"]):
        record.pop("id", None)
        rels.append(_rel(record))
    return nodes, rels


def _typed(text: str | None, kind: str) -> PropValue:
    text = text or ""
    if kind == "INT64":
        return int(text)
    if kind == "DOUBLE":
        return float(text)
    if kind == "STRING[]":
        value = json.loads(text)
        if not isinstance(value, list):
            raise ValueError(f"expected a JSON list, got {text[:40]!r}")
        return [str(v) for v in value]
    return text


def _collect(tag: str, element: ET.Element, values: dict[str, str | None], nodes: list[Node],
             rels: list[Relationship]) -> None:  # fmt: skip
    """One GraphML or GEXF node or edge, its string values typed by the schema."""
    if tag == "node":
        label = values.pop("label") or ""
        props = {k: _typed(v, node_prop_types()[k]) for k, v in values.items()}
        nodes.append(Node(id=element.get("id", ""), label=label, props=props))
    else:
        rel_type = values.pop("type") or ""
        props = {k: _typed(v, rel_prop_types()[k]) for k, v in values.items()}
        rels.append(Relationship(type=rel_type, source=element.get("source", ""), target=element.get("target", ""),
                                 props=props))  # fmt: skip
    element.clear()


def _read_graphml(path: Path) -> tuple[list[Node], list[Relationship]]:
    keys: dict[str, str] = {}
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for _, element in ET.iterparse(path, events=("end",)):
        tag = element.tag.removeprefix(_GRAPHML)
        if tag == "key":
            keys[element.get("id", "")] = element.get("attr.name", "")
        elif tag in ("node", "edge"):
            values = {keys[d.get("key", "")]: d.text for d in element.findall(f"{_GRAPHML}data")}
            _collect(tag, element, values, nodes, rels)
    return nodes, rels


def _read_gexf(path: Path) -> tuple[list[Node], list[Relationship]]:
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for _, element in ET.iterparse(path, events=("end",)):
        tag = element.tag.removeprefix(_GEXF)
        if tag not in ("node", "edge"):
            continue
        values = {v.get("for", ""): v.get("value") for v in element.iter(f"{_GEXF}attvalue")}
        _collect(tag, element, values, nodes, rels)
    return nodes, rels


# --- loading into a store ------------------------------------------------------------------


def article_graphs(snapshot: Snapshot) -> list[ArticleGraph]:
    """One graph per article holding what that article owns; facts shared between articles
    (an event's participants and projections, a figure's entities, IN_COUNTRY) go with the
    first article, in id order, that reports them."""
    nodes = {node.id: node for node in snapshot.nodes}
    articles = [node.id for node in snapshot.nodes if node.label == "Article"]
    if not articles:
        if not snapshot.nodes:
            return []
        raise InputError("snapshot", "it has no Article nodes, and a store keeps every fact under the "
                                     "article that reports it: export a slice that keeps its articles")  # fmt: skip
    graphs = {a: ArticleGraph(article_id=a, nodes=[]) for a in articles}
    members: dict[str, set[str]] = {a: set() for a in articles}
    owner: dict[str, str] = {}
    for rel in snapshot.rels:
        if rel.type in ("REPORTS", "HAS_FIGURE"):
            owner.setdefault(rel.target, rel.source)
    placed: set[str] = set()

    def add_node(home: str, node_id: str) -> None:
        placed.add(node_id)
        if node_id not in members[home]:
            members[home].add(node_id)
            graphs[home].nodes.append(nodes[node_id])

    for article in articles:
        add_node(article, article)
    schema = rel_types()
    for rel in snapshot.rels:
        kind = schema[rel.type].owner
        if nodes[rel.source].label == "Article":
            home = rel.source
        elif kind == "attributed" and rel.props.get("article_id") in graphs:
            home = str(rel.props["article_id"])
        elif kind == "projected":
            home = owner.get(str(rel.props.get("event_id")), articles[0])
        else:  # participants from an event, CONCERNS from a figure, IN_COUNTRY
            home = owner.get(rel.source, articles[0])
        add_node(home, rel.source)
        add_node(home, rel.target)
        graphs[home].relationships.append(rel)
    for node_id in nodes.keys() - placed:
        add_node(articles[0], node_id)
    return list(graphs.values())


def load_snapshot(store: GraphStore, snapshot: Snapshot, *, force: bool = False) -> WriteReport:
    """Write a snapshot into `store` in one transaction; returns each article's outcome."""
    return store.write(article_graphs(snapshot), force=force)
