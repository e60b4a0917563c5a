"""The store interface: where article graphs are written and queried. One module per backend
implements it (`ladybug`, `neo4j`); `pipeline.store.open_store` picks one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from models import ArticleGraph, Node, QueryResult, Relationship, Stats, WriteReport

if TYPE_CHECKING:
    from pipeline.store.cypher import Dialect


class GraphStore(ABC):
    """Where article graphs are written and queried."""

    dialect: Dialect
    absent_columns: frozenset[tuple[str, str]] = frozenset()  # (table, column) an older store lacks

    @abstractmethod
    def write(self, graphs: Iterable[ArticleGraph], *, force: bool = False) -> WriteReport:
        """Write article graphs in one batch. An article whose content hash is already stored
        is left alone unless `force`; a changed article replaces its own facts only."""

    @abstractmethod
    def _rows(self, statement: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Run one read statement of our own and return its rows."""

    @abstractmethod
    def query(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run a user's query: read-only, and nothing that reaches files or the network,
        unless `write`."""

    def _present(self) -> tuple[set[str], set[str]] | None:
        """The node labels and relationship types the store has, when it can tell them
        cheaply; None means every label and type of the schema."""
        return None

    def known_hashes(self, article_ids: list[str]) -> dict[str, str]:
        """The stored content hash of each of these articles that the store holds."""
        from pipeline.store import cypher

        return dict(self._rows(cypher.ARTICLE_HASHES, {"ids": article_ids}))

    def stats(self) -> Stats:
        """Node counts by label and relationship counts by type (zeros left out)."""
        from pipeline.graph.schema import NODE_TYPES, rel_types
        from pipeline.store import cypher

        present = self._present()
        labels = [label for label in NODE_TYPES if present is None or label in present[0]]
        types = [rel for rel in rel_types() if present is None or rel in present[1]]
        nodes = {label: self._rows(cypher.count_nodes(label))[0][0] for label in labels}
        rels = {rel: self._rows(cypher.count_rels(rel))[0][0] for rel in types}
        return Stats(nodes={k: v for k, v in nodes.items() if v}, relationships={k: v for k, v in rels.items() if v})

    def nodes(self) -> Iterator[Node]:
        """Every node, ordered by label (schema order) then id; null properties left out."""
        from pipeline.store import cypher

        for statement, label, props in cypher.node_dumps():
            for row in self._rows(statement):
                values = {k: v for k, v in zip(props[1:], row[1:], strict=True) if v is not None}
                yield Node.model_construct(id=row[0], label=label, props=values)

    def relationships(self) -> Iterator[Relationship]:
        """Every relationship, ordered by type (schema order), source and target ids."""
        from pipeline.store import cypher

        for statement, rel_type, props in cypher.relationship_dumps(self.absent_columns):
            for row in self._rows(statement):
                values = {k: v for k, v in zip(props, row[2:], strict=True) if v is not None}
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
