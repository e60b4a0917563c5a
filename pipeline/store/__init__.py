"""Stage 7, store: one small interface, one module per backend.

`open_store(target)` picks the backend: a bolt:// or neo4j:// URI opens Neo4j, anything else
is a directory path for the embedded LadybugDB store.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from models import ArticleGraph, Node, QueryResult, Relationship, Stats, WriteReport

if TYPE_CHECKING:
    from pipeline.store.cypher import Dialect

DEFAULT_DB = "newsgraph.db"
DB_ENV = "NEWSGRAPH_DB"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


class GraphStore(ABC):
    """Where article graphs are written and queried."""

    dialect: "Dialect"

    @abstractmethod
    def write(self, graphs: Iterable[ArticleGraph], *, force: bool = False) -> WriteReport:
        """Write article graphs in one batch. An article whose content hash is already stored
        is left alone unless `force`; a changed article replaces its own facts only."""

    @abstractmethod
    def _rows(self, statement: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Run one read statement of our own and return its rows."""

    @abstractmethod
    def query(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a user's query."""

    def known_hashes(self, article_ids: list[str]) -> dict[str, str]:
        """The stored content hash of each of these articles that the store holds."""
        from pipeline.store import cypher

        return dict(self._rows(cypher.ARTICLE_HASHES, {"ids": article_ids}))

    def stats(self) -> Stats:
        """Node counts by label and relationship counts by type (zeros left out)."""
        from pipeline.graph.schema import NODE_TYPES, rel_types
        from pipeline.store import cypher

        nodes = {label: self._rows(cypher.count_nodes(label))[0][0] for label in NODE_TYPES}
        rels = {rel: self._rows(cypher.count_rels(rel))[0][0] for rel in rel_types()}
        return Stats(nodes={k: v for k, v in nodes.items() if v}, relationships={k: v for k, v in rels.items() if v})

    def nodes(self) -> Iterator[Node]:
        """Every node, ordered by label (schema order) then id; null properties left out."""
        from pipeline.store import cypher

        for statement, label, props in cypher.node_dumps():
            for row in self._rows(statement):
                values = {k: v for k, v in zip(props[1:], row[1:]) if v is not None}
                yield Node.model_construct(id=row[0], label=label, props=values)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship, ordered by type (schema order), source and target ids."""
        from pipeline.store import cypher

        for statement, rel_type, props in cypher.relationship_dumps():
            for row in self._rows(statement):
                values = {k: v for k, v in zip(props, row[2:]) if v is not None}
                yield Relationship.model_construct(type=rel_type, source=row[0], target=row[1], props=values)

    @abstractmethod
    def shortest_path(self, source_id: str, target_id: str, rel_types: list[str], max_hops: int) -> list[dict[str, Any]]:
        """Hops of the shortest path over these relationship types, each as
        {from, relation, to, date, event_id} in walking order; [] when there is none."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def resolve_target(target: str | None) -> str:
    return target or os.environ.get(DB_ENV) or os.environ.get("NEO4J_URI") or DEFAULT_DB


def open_store(target: str | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store named by `target`, else $NEWSGRAPH_DB, else $NEO4J_URI, else
    ./newsgraph.db."""
    resolved = resolve_target(target)
    if resolved.startswith(NEO4J_SCHEMES):
        from pipeline.store.neo4j import Neo4jStore

        return Neo4jStore(resolved, read_only=read_only)
    from pipeline.store.ladybug import LadybugStore

    return LadybugStore(resolved, read_only=read_only)


__all__ = ["DEFAULT_DB", "GraphStore", "open_store", "resolve_target"]
