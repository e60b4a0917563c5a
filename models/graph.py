"""The typed property graph between extraction and the stores, exports and loaders.

One `ArticleGraph` holds what one article contributes: its Article node, the entities, events
and figures it names, and every relationship between them. Labels and relationship types are
checked against the schema (`pipeline.graph.schema`) where graphs are built; here they are
plain strings so that this module depends on nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

PropValue = str | int | float | bool | list[str] | None


class Node(BaseModel):
    """A node: its key `id`, its label, and its other properties (no `id` among them)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    props: dict[str, PropValue] = {}


class Relationship(BaseModel):
    """A directed relationship between two node ids."""

    model_config = ConfigDict(extra="forbid")

    type: str
    source: str
    target: str
    props: dict[str, PropValue] = {}


class ArticleGraph(BaseModel):
    """Everything one article owns or points at, ready to be written in one batch."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    nodes: list[Node]
    relationships: list[Relationship] = []

    @property
    def article(self) -> Node:
        """The article's own node (always present)."""
        return next(node for node in self.nodes if node.id == self.article_id)
