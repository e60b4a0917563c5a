"""The Neo4j store: the same graph as the embedded store, over Bolt with the official driver.

Connection settings come from the URI (`--graph bolt://…`) and the environment:
NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE. Authentication is optional. The
password is read only from the environment and never printed.

Writes use the shared statements of `pipeline.store.cypher` and the shared algorithm of
`pipeline.store.writer`, inside managed transactions (`execute_write`), so the driver retries
transient errors and deadlocks by running the whole batch again.

Notifications: the server is asked for none on the store's own statements (the driver's
`notifications_min_severity="OFF"`): "label `Event` does not exist" on a fresh database says
nothing a user can act on. A user's own `query` asks for warnings, and they come back in
`QueryResult.notices`, one line each, instead of the driver's log record per notification.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from models import ArticleGraph, GraphNode, GraphPath, GraphRelationship, QueryResult, WriteReport
from pipeline.errors import StoreError
from pipeline.graph.schema import NODE_TYPES
from pipeline.store import cypher, guard
from pipeline.store.base import GraphStore
from pipeline.store.cypher import q
from pipeline.store.writer import write_graphs

USER_ENV, PASSWORD_ENV, DATABASE_ENV = "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"
# How long a managed transaction is retried after a transient error or a lost connection (the
# driver's own default is 30 s): a server that is back on the same address within it is used.
RETRY_ENV = "NEWSGRAPH_NEO4J_RETRY_SECONDS"
_LOST = (ServiceUnavailable, SessionExpired)  # the server went away (IncompleteCommit among them)


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


# The driver logs every notification it receives (a multi-field record per notification), each
# connection it loses and each retry, and with no logging configured Python prints those on
# stderr. The store reports them itself: notices, and one error line. An application that
# configures logging still gets the driver's records through the root logger.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _plain(value: Any) -> Any:
    """Driver values as the store's: graph objects as graph values (`models.store`),
    temporal values as ISO text, inside lists and maps too."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        labels = tuple(sorted(value.labels))
        return GraphNode(labels=labels, props=cypher.in_schema_order(labels[0] if labels else "", _plain(dict(value))))
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return GraphRelationship(type=value.type, props=cypher.in_schema_order(value.type, _plain(dict(value))),
                                 start=start.get("id") if start is not None else None,
                                 end=end.get("id") if end is not None else None)  # fmt: skip
    if isinstance(value, Path):
        nodes = value.nodes
        return GraphPath(
            nodes=tuple(_plain(n) for n in nodes),
            relationships=tuple(_plain(r) for r in value.relationships),
            forward=tuple(r.start_node is not None and r.start_node.element_id == nodes[i].element_id
                          for i, r in enumerate(value.relationships)),
        )  # fmt: skip
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
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
    retry = float(os.environ.get(RETRY_ENV) or 30)
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF",
                                        max_transaction_retry_time=retry)  # fmt: skip
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

    def _lost(self, exc: DriverError, doing: str = "", advice: str = "") -> StoreError:
        return StoreError(f"lost the connection to Neo4j at {_redact(self.uri)}{doing} ({type(exc).__name__}): "
                          f"is the server still running?{advice}")  # fmt: skip

    def _ensure_schema(self) -> None:
        """Create the constraints and indexes the database lacks. What exists is looked up
        first, so once an administrator (or a first run) has created them, a writer needs no
        schema privileges and sends no schema command."""
        from neo4j.exceptions import ClientError

        try:
            with self._session() as session:
                existing = self._schema_names(session)
                for statement in schema_statements():
                    if statement.split()[2] not in existing:  # CREATE CONSTRAINT|INDEX <name> …
                        session.run(statement).consume()
        except _LOST as exc:
            raise self._lost(exc) from exc
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or ""):
                raise StoreError(
                    f"Neo4j database {self.database!r} does not exist on {self.uri}: create it "
                    f"(CREATE DATABASE {self.database}) or set {DATABASE_ENV}"
                ) from exc
            raise StoreError(f"Neo4j refused the schema: {exc.message}") from exc

    @staticmethod
    def _schema_names(session: Any) -> set[str]:
        from neo4j.exceptions import ClientError

        names: set[str] = set()
        for show in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name"):
            try:
                names |= {record.values()[0] for record in session.run(show)}
            except ClientError as exc:
                if "Security" not in (exc.code or ""):  # no SHOW privilege: create with IF NOT EXISTS
                    raise
        return names

    def write(self, graphs: Iterable[ArticleGraph], *, force: bool = False) -> WriteReport:
        graphs = list(graphs)

        def work(tx) -> WriteReport:
            def run(statement: str, params: dict[str, Any]) -> list[list[Any]]:
                return [list(record.values()) for record in tx.run(statement, params)]

            return write_graphs(run, graphs, force=force, batch_size=self.batch_size, dialect=cypher.NEO4J)

        try:
            with self._session() as session:
                return session.execute_write(work)
        except _LOST as exc:
            raise self._lost(exc, " while writing a batch", " A batch is written whole or not at all: run the "
                             "same ingest again to resume once the server is back.") from exc
        except Neo4jError as exc:
            raise StoreError(
                f"Neo4j write failed and was rolled back ({exc.code}): {exc.message}. "
                "Nothing of this batch was stored; run the same ingest again to resume."
            ) from exc

    def _read(self, statement: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        def work(tx):
            result = tx.run(statement, params or {})
            return list(result.keys()), [[_plain(v) for v in record.values()] for record in result]

        try:
            with self._session() as session:
                return session.execute_read(work)
        except _LOST as exc:
            raise self._lost(exc) from exc
        except Neo4jError as exc:
            raise StoreError(f"query failed: {exc.message}") from exc

    def _present(self) -> tuple[set[str], set[str]]:
        """The labels and relationship types the database has: counting one it does not
        have is a wasted round trip."""
        labels = self._rows("CALL db.labels() YIELD label RETURN collect(label)")[0][0]
        types = self._rows("CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType)")[0][0]
        return set(labels), set(types)

    def query(self, cypher_text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run a statement as the user wrote it, in an auto-commit transaction: a read
        transaction (the server refuses writes) unless `write`. The server's warnings about
        the statement come back as `notices`."""
        import neo4j

        if not write:
            guard.refuse_external(cypher_text, guard.NEO4J_EXTERNAL, "makes the server read files or fetch URLs")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=mode,
                                      notifications_min_severity="WARNING") as session:  # fmt: skip
                result = session.run(cypher_text, params or {})
                columns = list(result.keys())
                rows = [[_plain(v) for v in record.values()] for record in result]
                summary = result.consume()
        except Neo4jError as exc:
            if exc.code == "Neo.ClientError.Statement.AccessMode":
                raise StoreError(
                    "the query writes to the graph, and `newsgraph query` is read-only: pass --write to allow it"
                ) from exc
            raise StoreError(f"query failed: {exc.message}") from exc
        except _LOST as exc:
            raise self._lost(exc) from exc
        notices = list(dict.fromkeys(
            status.status_description for status in summary.gql_status_objects
            if status.is_notification and str(status.severity.value) == "WARNING"
        ))  # fmt: skip
        return QueryResult(columns=columns, rows=rows, notices=notices)

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
