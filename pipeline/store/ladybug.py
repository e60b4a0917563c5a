"""The embedded default store: LadybugDB (the maintained fork of Kùzu), in-process, on disk.

Each batch is one transaction, so a run killed mid-batch leaves the store as it was before
that batch. Write statements use the shapes measured fastest in `bench/` (UNWIND + MATCH +
CREATE for relationships).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from models import ArticleGraph, GraphNode, GraphPath, GraphRelationship, QueryResult, WriteReport
from pipeline.errors import StoreError, StoreLockedError
from pipeline.graph.schema import NODE_TYPES, rel_types
from pipeline.store import cypher, guard
from pipeline.store.base import GraphStore
from pipeline.store.cypher import q
from pipeline.store.ladybug_file import REMEDY, check_store, remember
from pipeline.store.writer import write_graphs

# Columns added to the schema after stores were made with it: what a store opened for writing
# gains (`ALTER TABLE … ADD IF NOT EXISTS`), cheaper than checking every table at each open.
ADDED_COLUMNS = [("REPORTS", "cameo"), ("REPORTS", "locations")]

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
    for table, column in ADDED_COLUMNS:  # stores made before these columns existed gain them
        kind = (NODE_TYPES[table].properties if table in NODE_TYPES else rel_types()[table].properties)[column]
        statements.append(f"ALTER TABLE {q(table)} ADD IF NOT EXISTS `{column}` {kind}")
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
        else:  # a store from before a column was added is read as it is, without it
            self.absent_columns = frozenset(
                (table, column) for table, column in ADDED_COLUMNS
                if [column] not in self._rows(f"CALL table_info('{table}') RETURN name")
            )  # fmt: skip

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

    def query(self, cypher_text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run a user's statement. Read-only unless `write`: the store refuses graph writes
        when it was opened read-only (as `newsgraph query` opens it), and statements that reach
        files, extensions or the network are refused here (`guard`)."""
        if not write:
            guard.refuse_external(cypher_text, guard.LADYBUG_EXTERNAL,
                                  "reaches files, extensions or other databases outside the graph")  # fmt: skip
        elif self.read_only:
            raise StoreError(f"the LadybugDB store at {self.path} is open read-only: it cannot run a query with writes")
        try:
            result = _last(self._conn.execute(cypher_text, params or {}))
        except RuntimeError as exc:
            if "read-only database" in str(exc):
                raise StoreError(
                    "the query writes to the graph, and `newsgraph query` is read-only: pass --write to allow it"
                ) from exc
            raise StoreError(f"query failed: {exc}") from exc
        columns = [_column_name(c) for c in result.get_column_names()]
        rows = result.get_all()
        result.close()
        return QueryResult(columns=columns, rows=[[_value(v) for v in row] for row in rows])

    def shortest_path(self, source_id: str, target_id: str, rel_types: list[str], max_hops: int) -> list[dict[str, Any]]:
        """Breadth-first over the actor relations, read once: LadybugDB's recursive SHORTEST
        over every projection table and label pair fills its buffer pool on a graph where
        no path exists, and the relations of actors are few enough to hold."""
        names: dict[str, str] = {}
        edges: dict[str, list[tuple[str, str, bool, str | None, str | None]]] = {}
        for rel_type in rel_types:
            rows = self._rows(f"MATCH (s)-[r:{q(rel_type)}]->(t) RETURN s.id, s.name, t.id, t.name, r.date, r.event_id")
            for source, source_name, target, target_name, date, event_id in rows:
                names[source], names[target] = source_name, target_name
                edges.setdefault(source, []).append((target, rel_type, True, date, event_id))
                edges.setdefault(target, []).append((source, rel_type, False, date, event_id))
        previous: dict[str, tuple[str, str, bool, str | None, str | None]] = {}
        frontier, seen = [source_id], {source_id}
        for _ in range(int(max_hops)):
            following = []
            for node in frontier:
                for step in sorted(edges.get(node, []), key=lambda e: (e[0], e[1], e[4] or "")):
                    if step[0] not in seen:
                        seen.add(step[0])
                        previous[step[0]] = (node, *step[1:])
                        following.append(step[0])
            if target_id in seen or not following:
                break
            frontier = following
        if target_id not in previous:
            return []
        hops, node = [], target_id
        while node != source_id:
            here, rel_type, forward, date, event_id = previous[node]
            hops.append({"from": names[here], "to": names[node], "relation": rel_type if forward else f"<-{rel_type}-",
                         "date": date, "event_id": event_id})  # fmt: skip
            node = here
        return hops[::-1]

    def close(self) -> None:
        self._conn.close()
        self._db.close()
        if not self.read_only:
            remember(self.path)  # as this process left it: the next open need not probe it


# LadybugDB names an unaliased `label(r)` column after its rewrite of it, which lists every
# relationship table: "LABEL(r._ID,[,MENTIONS,…,VISITED])", thousands of characters.
_LABEL_COLUMN = re.compile(r"LABEL\((\w+)\._ID,\[[^\]]*\]\)")


def _column_name(name: str) -> str:
    """A result column as the user wrote it, where LadybugDB's own name is its rewrite."""
    return _LABEL_COLUMN.sub(lambda m: f"label({m.group(1)})", name)


def _last(result: Any) -> Any:
    """The result of the last statement: LadybugDB answers a list for several statements."""
    return result[-1] if isinstance(result, list) else result


_INTERNAL = {"_ID", "_SRC", "_DST", "_LABEL"}


def _props(value: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in value.items() if k not in _INTERNAL and v is not None}


def _value(value: Any) -> Any:
    """LadybugDB's node, relationship and path dicts (`_LABEL`, `_ID`, `_SRC`/`_DST`,
    `_NODES`/`_RELS`) as graph values, inside lists and maps too; 128-bit integers as ints;
    other values unchanged."""
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, Decimal):  # sum() of INT64 is INT128, which arrives as a Decimal
        return int(value) if value == value.to_integral_value() else float(value)
    if not isinstance(value, dict):
        return value
    if "_NODES" in value and "_RELS" in value:
        nodes, rels = value["_NODES"], value["_RELS"]
        ids = {str(node["_ID"]): node.get("id") for node in nodes}
        return GraphPath(
            nodes=tuple(_value(node) for node in nodes),
            relationships=tuple(_relationship(rel, ids) for rel in rels),
            forward=tuple(rel["_SRC"] == nodes[i]["_ID"] for i, rel in enumerate(rels)),
        )
    if "_SRC" in value and "_LABEL" in value:
        return _relationship(value, {})
    if "_ID" in value and "_LABEL" in value:
        return GraphNode(labels=(value["_LABEL"],), props=_props(value))
    return {k: _value(v) for k, v in value.items()}


def _relationship(value: dict[str, Any], ids: dict[str, Any]) -> GraphRelationship:
    return GraphRelationship(type=value["_LABEL"], props=_props(value),
                             start=ids.get(str(value["_SRC"])), end=ids.get(str(value["_DST"])))  # fmt: skip
