"""What a graph store reports back: write outcomes, counts and query results.

A query can return graph values as well as scalars. Each store turns its own (LadybugDB's
dicts with `_LABEL`/`_ID`, the Neo4j driver's Node/Relationship/Path) into the three
dataclasses below, so every output format renders them the same way: `str()` gives Cypher-like
text for tables and CSV (`(:Person {id: "person:x", name: "X"})`, `[:MET {date: "2024"}]`, a
path as its nodes and arrows), `as_json()` gives the structure for JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Outcome = Literal["new", "updated", "unchanged"]


class WriteReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcomes: dict[str, Outcome] = {}

    def count(self, outcome: Outcome) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


class Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nodes: dict[str, int]
    relationships: dict[str, int]


def _props_text(props: dict[str, Any]) -> str:
    if not props:
        return ""
    inner = ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}" for key, value in props.items())
    return f" {{{inner}}}"


@dataclass(frozen=True)
class GraphNode:
    """A node a query returned: its labels and its non-null properties (our `id` among them)."""

    labels: tuple[str, ...]
    props: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return "(" + "".join(f":{label}" for label in self.labels) + _props_text(self.props) + ")"

    def as_json(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "properties": self.props}


@dataclass(frozen=True)
class GraphRelationship:
    """A relationship a query returned; `start`/`end` are the `id` properties of its nodes
    when the store could tell them."""

    type: str
    props: dict[str, Any] = field(default_factory=dict)
    start: str | None = None
    end: str | None = None

    def __str__(self) -> str:
        return f"[:{self.type}{_props_text(self.props)}]"

    def as_json(self) -> dict[str, Any]:
        ends = {k: v for k, v in (("start", self.start), ("end", self.end)) if v is not None}
        return {"type": self.type, **ends, "properties": self.props}


@dataclass(frozen=True)
class GraphPath:
    """A path: its nodes in walking order and the relationships between them; `forward[i]`
    says whether relationship i points from node i to node i+1."""

    nodes: tuple[GraphNode, ...]
    relationships: tuple[GraphRelationship, ...]
    forward: tuple[bool, ...]

    def __str__(self) -> str:
        parts = [str(self.nodes[0])] if self.nodes else []
        for rel, ahead, node in zip(self.relationships, self.forward, self.nodes[1:], strict=True):
            parts.append(f"-{rel}->" if ahead else f"<-{rel}-")
            parts.append(str(node))
        return "".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {"nodes": [n.as_json() for n in self.nodes], "relationships": [r.as_json() for r in self.relationships]}


GraphValue = GraphNode | GraphRelationship | GraphPath


def graph_json(value: Any) -> Any:
    """`json.dumps(default=...)` for query rows: graph values as their structure."""
    if isinstance(value, (GraphNode, GraphRelationship, GraphPath)):
        return value.as_json()
    return str(value)


class QueryResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: list[str]
    rows: list[list[Any]]
    notices: list[str] = []  # the server's warnings about the statement, one line each

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]
