"""Snapshots: every node and relationship of a store, written as GraphML or node-link JSON."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from pipeline.store import GraphStore


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
    graph = snapshot(store)
    if fmt == "graphml":
        nx.write_graphml(_graphml_safe(graph), path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="relationships")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return graph.number_of_nodes(), graph.number_of_edges()
