"""The Neo4j store: the same graph as the embedded store, over Bolt with the official driver.

Connection settings come from the URI (`--graph bolt://…`) and the environment:
NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE. Authentication is optional. The
password is read only from the environment and never printed.

Writes use the shared statements of `pipeline.store.cypher` and the shared algorithm of
`pipeline.store.writer`, inside managed transactions (`execute_write`), so the driver retries
transient errors and deadlocks by running the whole batch again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from models import ArticleGraph, QueryResult, WriteReport
from pipeline.errors import StoreError
from pipeline.graph.schema import NODE_TYPES
from pipeline.store import cypher
from pipeline.store.base import GraphStore
from pipeline.store.cypher import q
from pipeline.store.writer import write_graphs

USER_ENV, PASSWORD_ENV, DATABASE_ENV = "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"


def schema_statements() -> list[str]:
    """A uniqueness constraint on every node key and indexes for the lookups; idempotent."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{q(label)}) REQUIRE n.id IS UNIQUE"
        for label in NODE_TYPES
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{q(label)}) ON (n.{prop})"
        for label, node in NODE_TYPES.items() for prop in node.indexed
    ]
    return statements


def _plain(value: Any) -> Any:
    """Driver graph objects as plain dicts, like the embedded store returns them."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_LABEL": next(iter(value.labels), None), **dict(value)}
    if isinstance(value, Relationship):
        return {"_LABEL": value.type, **dict(value)}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _redact(uri: str) -> str:
    """The URI without any password written into it."""
    import re

    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", uri)


def _open_driver(uri: str):
    """A connected driver; credentials come from the environment only."""
    import neo4j

    user = os.environ.get(USER_ENV)
    password = os.environ.get(PASSWORD_ENV)
    auth = (user or "neo4j", password) if password else None
    driver = neo4j.GraphDatabase.driver(uri, auth=auth)
    try:
        driver.verify_connectivity()
    except Exception:
        driver.close()
        raise
    return driver


class Neo4jStore(GraphStore):
    dialect = cypher.NEO4J

    def __init__(self, uri: str, *, batch_size: int = 1000, driver: Any = None, read_only: bool = False):
        self.uri = uri
        self.batch_size = batch_size
        self.database = os.environ.get(DATABASE_ENV) or None
        self._driver = driver if driver is not None else self._connect(uri)
        if not read_only:  # readers (stats, query, exports) need no schema rights
            self._ensure_schema()

    def _connect(self, uri: str):
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        shown = _redact(uri)
        try:
            return _open_driver(uri)
        except ServiceUnavailable as exc:
            raise StoreError(
                f"cannot reach Neo4j at {shown}: is the server running and the port open? "
                "See docs/NEO4J.md for starting one."
            ) from exc
        except AuthError as exc:
            raise StoreError(
                f"Neo4j at {shown} rejected the credentials: set {USER_ENV} and {PASSWORD_ENV} "
                "(or disable auth on the server)"
            ) from exc
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"bad Neo4j URI {shown!r}: {str(exc).replace(uri, shown)}") from exc

    def _session(self):
        return self._driver.session(database=self.database)

    def _ensure_schema(self) -> None:
        from neo4j.exceptions import ClientError

        try:
            with self._session() as session:
                for statement in schema_statements():
                    session.run(statement).consume()
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or ""):
                raise StoreError(
                    f"Neo4j database {self.database!r} does not exist on {self.uri}: create it "
                    f"(CREATE DATABASE {self.database}) or set {DATABASE_ENV}"
                ) from exc
            raise StoreError(f"Neo4j refused the schema: {exc.message}") from exc

    def write(self, graphs: Iterable[ArticleGraph], *, force: bool = False) -> WriteReport:
        graphs = list(graphs)

        def work(tx) -> WriteReport:
            def run(statement: str, params: dict[str, Any]) -> list[list[Any]]:
                return [list(record.values()) for record in tx.run(statement, params)]

            return write_graphs(run, graphs, force=force, batch_size=self.batch_size, dialect=cypher.NEO4J)

        from neo4j.exceptions import Neo4jError

        try:
            with self._session() as session:
                return session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(
                f"Neo4j write failed and was rolled back ({exc.code}): {exc.message}. "
                "Nothing of this batch was stored; run the same ingest again to resume."
            ) from exc

    def _read(self, statement: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        def work(tx):
            result = tx.run(statement, params or {})
            return list(result.keys()), [[_plain(v) for v in record.values()] for record in result]

        from neo4j.exceptions import Neo4jError

        try:
            with self._session() as session:
                return session.execute_read(work)
        except Neo4jError as exc:
            raise StoreError(f"query failed: {exc.message}") from exc

    def query(self, cypher_text: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a statement as the user wrote it, in an auto-commit transaction."""
        from neo4j.exceptions import Neo4jError

        try:
            with self._session() as session:
                result = session.run(cypher_text, params or {})
                columns = list(result.keys())
                rows = [[_plain(v) for v in record.values()] for record in result]
        except Neo4jError as exc:
            raise StoreError(f"query failed: {exc.message}") from exc
        return QueryResult(columns=columns, rows=rows)

    def _rows(self, statement: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self._read(statement, params)[1]

    def shortest_path(self, source_id: str, target_id: str, rel_types: list[str], max_hops: int) -> list[dict[str, Any]]:
        types = "|".join(q(t) for t in rel_types)
        statement = (
            "MATCH (a {id: $a}), (b {id: $b}) "
            f"MATCH p = shortestPath((a)-[:{types}*..{int(max_hops)}]-(b)) "
            "RETURN [n IN nodes(p) | n.name] AS names, "
            "[r IN relationships(p) | [type(r), startNode(r).id, r.date, r.event_id]] AS rels, "
            "[n IN nodes(p) | n.id] AS ids LIMIT 1"
        )
        rows = self._rows(statement, {"a": source_id, "b": target_id})
        if not rows:
            return []
        names, rels, ids = rows[0]
        return [
            {"from": names[i], "to": names[i + 1],
             "relation": rel_type if start == ids[i] else f"<-{rel_type}-", "date": date, "event_id": event_id}
            for i, (rel_type, start, date, event_id) in enumerate(rels)
        ]  # fmt: skip

    def close(self) -> None:
        self._driver.close()
