"""The embedded default store: LadybugDB (the maintained fork of Kùzu), in-process, on disk.

Each batch is one transaction, so a run killed mid-batch leaves the store as it was before
that batch. Write statements use the shapes measured fastest in `bench/` (UNWIND + MATCH +
CREATE for relationships).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from models import ArticleGraph, QueryResult, WriteReport
from pipeline.errors import StoreError, StoreLockedError
from pipeline.graph.schema import NODE_TYPES, rel_types
from pipeline.store import cypher
from pipeline.store.base import GraphStore
from pipeline.store.cypher import q
from pipeline.store.ladybug_file import REMEDY, check_store, remember
from pipeline.store.writer import write_graphs

BUFFER_ENV = "NEWSGRAPH_LADYBUG_BUFFER_MB"
DEFAULT_BUFFER_MB = 1024


def schema_statements() -> list[str]:
    """DDL for every node and relationship table, safe to run again."""
    statements = []
    for label, node in NODE_TYPES.items():
        columns = ", ".join(
            f"{name} {kind} PRIMARY KEY" if name == "id" else f"`{name}` {kind}"
            for name, kind in node.properties.items()
        )
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {q(label)}({columns})")
    for rel_type, rel in rel_types().items():
        ends = ", ".join(f"FROM {q(s)} TO {q(t)}" for s, t in rel.ends)
        columns = "".join(f", `{name}` {kind}" for name, kind in rel.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {q(rel_type)}({ends}{columns})")
    return statements


class LadybugStore(GraphStore):
    dialect = cypher.LADYBUG

    def __init__(self, path: str | Path, *, read_only: bool = False, batch_size: int = 1000):
        import ladybug

        self.path = str(path)
        self.batch_size = batch_size
        self.read_only = read_only
        if read_only and not Path(self.path).exists():
            raise StoreError(f"no graph store at {self.path}: run `newsgraph ingest` first, or pass --db PATH")
        buffer_mb = int(os.environ.get(BUFFER_ENV, DEFAULT_BUFFER_MB))
        check_store(self.path, read_only=read_only, buffer_bytes=buffer_mb * 1024 * 1024)
        try:
            self._db = ladybug.Database(
                self.path, read_only=read_only, buffer_pool_size=buffer_mb * 1024 * 1024
            )
            self._conn = ladybug.Connection(self._db)
        except (RuntimeError, ValueError, MemoryError) as exc:  # damaged files raise all three
            locked = "Could not set lock" in str(exc)
            raise (StoreLockedError if locked else StoreError)(f"cannot open LadybugDB store at {self.path}: {exc}") from exc
        if not read_only:
            for statement in schema_statements():
                self._conn.execute(statement)

    def _rows(self, statement: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        try:
            result = _last(self._conn.execute(statement, params or {}))
        except RuntimeError as exc:
            if "Storage exception" in str(exc):  # a damaged page the probe did not read
                raise StoreError(f"{self.path} is corrupt: LadybugDB cannot read part of it ({exc}); {REMEDY}") from exc
            raise StoreError(f"LadybugDB at {self.path} refused a statement: {exc}") from exc
        rows = result.get_all()
        result.close()
        return [list(row) for row in rows]

    def write(self, graphs: Iterable[ArticleGraph], *, force: bool = False) -> WriteReport:
        self._rows("BEGIN TRANSACTION")
        try:
            report = write_graphs(self._rows, graphs, force=force, batch_size=self.batch_size)
        except BaseException:
            with contextlib.suppress(StoreError):  # LadybugDB may have rolled back already
                self._rows("ROLLBACK")
            raise
        self._rows("COMMIT")
        return report

    def query(self, cypher_text: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            result = _last(self._conn.execute(cypher_text, params or {}))
        except RuntimeError as exc:
            raise StoreError(f"query failed: {exc}") from exc
        columns = result.get_column_names()
        rows = result.get_all()
        result.close()
        return QueryResult(columns=columns, rows=[_plain(list(row)) for row in rows])

    def shortest_path(self, source_id: str, target_id: str, rel_types: list[str], max_hops: int) -> list[dict[str, Any]]:
        types = "|".join(q(t) for t in rel_types)
        statement = (
            "MATCH (a {id: $a}), (b {id: $b}) "
            f"MATCH p = (a)-[r:{types}* SHORTEST 1..{int(max_hops)}]-(b) RETURN nodes(p), rels(p) LIMIT 1"
        )
        rows = self._rows(statement, {"a": source_id, "b": target_id})
        if not rows:
            return []
        nodes, rels = rows[0]
        hops = []
        for index, rel in enumerate(rels):
            here, there = nodes[index], nodes[index + 1]
            forward = rel["_SRC"] == here["_ID"]
            hops.append({
                "from": here["name"], "to": there["name"],
                "relation": rel["_LABEL"] if forward else f"<-{rel['_LABEL']}-",
                "date": rel.get("date"), "event_id": rel.get("event_id"),
            })  # fmt: skip
        return hops

    def close(self) -> None:
        self._conn.close()
        self._db.close()
        if not self.read_only:
            remember(self.path)  # as this process left it: the next open need not probe it


def _last(result: Any) -> Any:
    """The result of the last statement: LadybugDB answers a list for several statements."""
    return result[-1] if isinstance(result, list) else result


def _plain(row: list[Any]) -> list[Any]:
    """Node and relationship values without LadybugDB's internal `_ID` bookkeeping."""
    return [
        {k: v for k, v in value.items() if k not in {"_ID", "_SRC", "_DST"} and v is not None}
        if isinstance(value, dict) and "_LABEL" in value
        else value
        for value in row
    ]
