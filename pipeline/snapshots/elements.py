"""A snapshot's elements in canonical order, the same in every format: nodes by label (schema
order) then id; relationships by type (schema order), source id, target id, then properties.

Properties keep their types and leave out nulls; a node's properties never include its id.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models import Node, PropValue, Relationship
from pipeline.errors import StoreError
from pipeline.graph.schema import NODE_TYPES, rel_types

if TYPE_CHECKING:
    from pipeline.store import GraphStore


@functools.cache
def _label_rank() -> dict[str, int]:
    return {label: rank for rank, label in enumerate(NODE_TYPES)}


@functools.cache
def _type_rank() -> dict[str, int]:
    return {rel_type: rank for rank, rel_type in enumerate(rel_types())}


def node_key(node: Node) -> tuple[int, str]:
    return _label_rank()[node.label], node.id


def rel_key(rel: Relationship) -> tuple[int, str, str, str]:
    return _type_rank()[rel.type], rel.source, rel.target, json.dumps(rel.props, sort_keys=True, default=str)


def node_props(label: str, props: dict[str, PropValue]) -> dict[str, PropValue]:
    """The schema's properties of a node, in schema order, without `id` and nulls."""
    return {k: props[k] for k in NODE_TYPES[label].properties if k != "id" and props.get(k) is not None}


def rel_props(rel_type: str, props: dict[str, PropValue]) -> dict[str, PropValue]:
    return {k: props[k] for k in rel_types()[rel_type].properties if props.get(k) is not None}


def normal_node(node: Node) -> Node:
    return Node.model_construct(id=node.id, label=node.label, props=node_props(node.label, node.props))


def normal_rel(rel: Relationship) -> Relationship:
    return Relationship.model_construct(type=rel.type, source=rel.source, target=rel.target,
                                        props=rel_props(rel.type, rel.props))  # fmt: skip


def canonical_nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    """Nodes as a store hands them (already by label, id), normalised and checked."""
    previous = None
    for node in nodes:
        key = node_key(node)
        if previous is not None and key < previous:
            raise StoreError(f"the store returned node {node.id!r} out of (label, id) order")
        previous = key
        yield normal_node(node)


def canonical_rels(rels: Iterable[Relationship]) -> Iterator[Relationship]:
    """Relationships in canonical order from a stream already ordered by (type, source,
    target): only runs of parallel relationships are buffered and sorted by properties."""
    run: list[Relationship] = []
    previous = None
    for raw in rels:
        rel = normal_rel(raw)
        head = (_type_rank()[rel.type], rel.source, rel.target)
        if previous is not None and head != previous:
            if head < previous:
                raise StoreError(f"the store returned {rel.type} {rel.source} -> {rel.target} out of order")
            yield from (sorted(run, key=rel_key) if len(run) > 1 else run)
            run = []
        previous = head
        run.append(rel)
    yield from sorted(run, key=rel_key)


@dataclass
class Snapshot:
    """A graph held in memory as canonical node and relationship lists."""

    nodes: list[Node] = field(default_factory=list)
    rels: list[Relationship] = field(default_factory=list)

    @classmethod
    def of(cls, nodes: Iterable[Node], rels: Iterable[Relationship]) -> Snapshot:
        """Normalise and sort arbitrary nodes and relationships."""
        return cls(sorted(map(normal_node, nodes), key=node_key), sorted(map(normal_rel, rels), key=rel_key))

    @classmethod
    def from_store(cls, store: GraphStore) -> Snapshot:
        return cls(list(canonical_nodes(store.nodes())), list(canonical_rels(store.relationships())))


def display_name(node: Node) -> str:
    """What a viewer shows on a node: its name, an article's title, else the id."""
    props = node.props
    return str(props.get("name") or props.get("title") or props.get("text") or node.id)
