"""The Neo4j write path without a server: what is sent, not what a server does with it.

What a server does not show is checked here: these tests drive `Neo4jStore` through a
recording stand-in for the driver (`RecordingDriver`: sessions, managed transactions and
results with the driver's method names). They check the statements and parameters sent, the
batching and grouping, constraint creation, and that a transient error makes the whole batch
run again. What a real server does with it is the store contract suite's (`test_store.py`,
`test_queries.py`), which `make test` runs against a private Neo4j 5 server.
"""

from __future__ import annotations

import socket

import pytest
from neo4j.exceptions import TransientError

from models import Article
from pipeline.errors import StoreError
from pipeline.graph.build import build_graph
from pipeline.graph.schema import NODE_TYPES
from pipeline.nlp.extract import extract
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from pipeline.store.neo4j import Neo4jStore, schema_statements
from tests.conftest import SAMPLES

HOSTILE = "Robert '}) DETACH DELETE n // `Label` O\"Brien"


class RecordingResult:
    def __init__(self, rows):
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)

    def keys(self):
        return []

    def consume(self):
        return None


class Record:
    def __init__(self, values):
        self._values = values

    def values(self):
        return self._values


class RecordingTransaction:
    def __init__(self, log, fail_at=None):
        self.log = log
        self.fail_at = fail_at

    def run(self, statement, parameters=None):
        self.log.append((statement, parameters or {}))
        if self.fail_at is not None and len(self.log) == self.fail_at:
            raise TransientError("deadlock detected (recorded)")
        # An empty database: nothing stored, every count zero, no label or type.
        if "RETURN count(" in statement:
            return RecordingResult([Record([0])])
        return RecordingResult([Record([[]])] if "RETURN collect(" in statement else [])


class RecordingSession:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, statement, parameters=None):
        self.driver.autocommit.append((statement, parameters or {}))
        return RecordingResult([])

    def execute_write(self, work):
        # Like the driver: a transient error rolls back and runs the whole function again.
        for attempt in range(3):
            self.driver.attempts += 1
            tx = RecordingTransaction(self.driver.sent, self.driver.fail_at if attempt == 0 else None)
            try:
                return work(tx)
            except TransientError:
                self.driver.sent.clear()
        raise AssertionError("retries exhausted")

    def execute_read(self, work):
        return work(RecordingTransaction(self.driver.reads))


class RecordingDriver:
    def __init__(self, fail_at=None):
        self.sent, self.reads, self.autocommit = [], [], []
        self.attempts = 0
        self.fail_at = fail_at
        self.databases = []

    def session(self, database=None, **config):
        self.databases.append(database)
        return RecordingSession(self)

    def close(self):
        pass


@pytest.fixture(scope="module")
def sample_graphs():
    return [build_graph(r) for r in extract(read_sources([SAMPLES]))]


def test_neo4j_statements_create_constraints_idempotently():
    driver = RecordingDriver()
    Neo4jStore("bolt://recorded:7687", driver=driver)
    sent = [statement for statement, _ in driver.autocommit if not statement.startswith("SHOW ")]
    assert sent == schema_statements()
    for label in NODE_TYPES:
        assert any(f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE" in s and "IF NOT EXISTS" in s for s in sent)
    assert all("IF NOT EXISTS" in s for s in sent)


def test_neo4j_statements_group_by_label_and_type_in_batches(sample_graphs):
    driver = RecordingDriver()
    store = Neo4jStore("bolt://recorded:7687", driver=driver, batch_size=7)
    report = store.write(sample_graphs)
    assert report.count("new") == len(sample_graphs)
    merges = [(s, p) for s, p in driver.sent if s.startswith("UNWIND $rows AS row MERGE (n:")]
    creates = [(s, p) for s, p in driver.sent if " CREATE (s)-[:" in s]
    assert merges and creates
    assert all(len(p["rows"]) <= 7 for _, p in merges + creates)
    # every node written once, in statements of its own label
    people = [row["id"] for s, p in merges if "(n:`Person`" in s for row in p["rows"]]
    assert len(people) == len(set(people)) and "person:vladimir-putin" in people
    # one statement shape per (type, source label, target label)
    mention_shapes = {s for s, _ in creates if "[:`MENTIONS`" in s}
    assert {"MATCH (s:`Article`" in s for s in mention_shapes} == {True}
    assert any("MATCH (t:`Person`" in s for s in mention_shapes)


def test_neo4j_statements_carry_text_only_as_parameters():
    article = Article(id="x'}) DETACH DELETE n //", title=HOSTILE, published="2024-03-01",
                      text=f"{HOSTILE} met Vladimir Putin in Moscow on Tuesday.")  # fmt: skip
    driver = RecordingDriver()
    Neo4jStore("bolt://recorded:7687", driver=driver).write([build_graph(r) for r in extract([article])])
    statements = " ".join(s for s, _ in driver.sent)
    assert "DETACH DELETE n //" not in statements and "O\"Brien" not in statements
    sent_values = repr([p for _, p in driver.sent])
    assert "DETACH DELETE n //" in sent_values  # it travelled, as data


def test_neo4j_statements_rerun_the_whole_batch_after_a_transient_error(sample_graphs):
    clean = RecordingDriver()
    Neo4jStore("bolt://recorded:7687", driver=clean).write(sample_graphs)
    flaky = RecordingDriver(fail_at=5)
    report = Neo4jStore("bolt://recorded:7687", driver=flaky).write(sample_graphs)
    assert flaky.attempts == 2
    assert flaky.sent == clean.sent, "the retried batch sends exactly what a clean run sends"
    assert report.count("new") == len(sample_graphs)


def test_neo4j_statements_use_the_configured_database(monkeypatch):
    monkeypatch.setenv("NEO4J_DATABASE", "news")
    driver = RecordingDriver()
    Neo4jStore("bolt://recorded:7687", driver=driver).stats()
    assert set(driver.databases) == {"news"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_neo4j_unreachable_server_is_one_clear_line(monkeypatch, cli):
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-do-not-print")
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(StoreError, match="cannot reach Neo4j at bolt://127.0.0.1"):
        open_store(uri)
    result = cli("stats", "--graph", uri)
    assert result.exit_code == 1 and "cannot reach Neo4j" in result.output
    assert "s3cret-do-not-print" not in result.output and "Traceback" not in result.output


def test_neo4j_statements_readers_send_no_schema():
    driver = RecordingDriver()
    Neo4jStore("bolt://recorded:7687", driver=driver, read_only=True).stats()
    assert not any("CONSTRAINT" in s or "INDEX" in s for s, _ in driver.autocommit + driver.reads)


def test_neo4j_statements_existing_schema_is_not_created_again():
    """A writer on a database whose constraints and indexes exist sends SHOW, never CREATE:
    it needs no schema privileges once they were created."""
    names = [statement.split()[2] for statement in schema_statements()]

    class Existing(RecordingSession):
        def run(self, statement, parameters=None):
            self.driver.autocommit.append((statement, parameters or {}))
            return RecordingResult([Record([name]) for name in names] if statement.startswith("SHOW ") else [])

    driver = RecordingDriver()
    driver.session = lambda database=None, **config: Existing(driver)
    Neo4jStore("bolt://recorded:7687", driver=driver)
    assert [statement.split()[0] for statement, _ in driver.autocommit] == ["SHOW", "SHOW"]
