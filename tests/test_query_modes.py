"""`newsgraph query` on both stores: read-only unless --write, nothing that reaches files,
extensions or the network unless --write, and graph values (nodes, relationships, paths)
rendered readably in table, JSON and CSV. Runs on LadybugDB and on the real Neo4j server."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from models import ArticleGraph, Node, Relationship
from pipeline.store import open_store
from pipeline.store.guard import LADYBUG_EXTERNAL, external_clause

MET = {"event_id": "ev:1", "event_type": "CONSULT", "mode": "meet", "status": "happened", "date": "2024-04-09"}


def _tiny_graph(target: str) -> None:
    graph = ArticleGraph(article_id="a", nodes=[
        Node(id="a", label="Article", props={"content_hash": "h", "title": "T"}),
        Node(id="person:a", label="Person", props={"name": "Anna A", "type": "PERSON"}),
        Node(id="person:b", label="Person", props={"name": "Bob B", "type": "PERSON"}),
    ], relationships=[
        Relationship(type="MENTIONS", source="a", target="person:a", props={"count": 1}),
        Relationship(type="MET", source="person:a", target="person:b", props=MET),
    ])  # fmt: skip
    with open_store(target) as store:
        store.write([graph])


def _one_error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output, result.output
    return lines[0]


def test_query_is_read_only_unless_write(store_target, cli):
    _tiny_graph(store_target)
    refused = cli("query", "--db", store_target, "CREATE (n:Person {id: 'person:hack', name: 'Hack'}) RETURN n.id")
    assert "read-only: pass --write" in _one_error_line(refused)
    deleted = cli("query", "--db", store_target, "MATCH (n:Person {id: 'person:a'}) DETACH DELETE n")
    assert "read-only: pass --write" in _one_error_line(deleted)
    with open_store(store_target, read_only=True) as store:
        assert store.query("MATCH (n:Person) RETURN n.id ORDER BY n.id").rows == [["person:a"], ["person:b"]]
    written = cli("query", "--db", store_target, "--write", "--format", "json",
                  "CREATE (n:Person {id: 'person:c', name: 'Cleo'}) RETURN n.id AS id")  # fmt: skip
    assert written.exit_code == 0 and json.loads(written.output) == [{"id": "person:c"}]
    with open_store(store_target, read_only=True) as store:
        assert store.query("MATCH (n:Person {id: 'person:c'}) RETURN n.name").rows == [["Cleo"]]


def test_query_refuses_what_reaches_outside_the_graph(store_target, cli, tmp_path: Path):
    _tiny_graph(store_target)
    leak = tmp_path / "leak.csv"
    if store_target.startswith("bolt"):
        statements = ["LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line LIMIT 1",
                      "load csv from 'http://127.0.0.1:9/x.csv' as l return l"]  # fmt: skip
    else:
        statements = [
            "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN * LIMIT 1",
            f"COPY (MATCH (n:Person) RETURN n.name) TO '{leak}'",
            "INSTALL httpfs",
            "LOAD EXTENSION httpfs",
            f"ATTACH '{tmp_path / 'other.db'}' AS other (dbtype lbug)",
            f"EXPORT DATABASE '{tmp_path / 'dump'}'",
            "MATCH (n:Person) RETURN n.name; /* a second statement */ LOAD FROM '/etc/hostname' RETURN *",
        ]
    for statement in statements:
        line = _one_error_line(cli("query", "--db", store_target, statement))
        assert "unless given --write" in line, line
    assert not leak.exists() and not (tmp_path / "dump").exists()
    # the same words as data are fine
    fine = cli("query", "--db", store_target, "--format", "json",
               "MATCH (n:Person) WHERE n.name <> 'LOAD FROM /etc/passwd' // COPY TO\nRETURN count(n) AS people")  # fmt: skip
    assert fine.exit_code == 0 and json.loads(fine.output) == [{"people": 2}]
    if not store_target.startswith("bolt"):
        allowed = cli("query", "--db", store_target, "--write", f"COPY (MATCH (n:Person) RETURN n.name) TO '{leak}'")
        assert allowed.exit_code == 0 and "Anna A" in leak.read_text()


def test_guard_reads_statements_as_the_lexer_does():
    def clause(text: str) -> str | None:
        return external_clause(text, LADYBUG_EXTERNAL)

    assert clause("MATCH (n) WHERE n.name = 'COPY \\' LOAD' RETURN n") is None
    assert clause('MATCH (n) WHERE n.name = "x" RETURN n.`load`') is None
    assert clause("MATCH (n) DETACH DELETE n") is None
    assert clause("// LOAD FROM x\nMATCH (n) RETURN n") is None
    assert clause("MATCH (n) RETURN n /* COPY */") is None
    assert clause("lOaD FrOm '/etc/passwd' RETURN *") == "LOAD FROM"
    assert clause("MATCH (n) RETURN n; copy Person from 'x.csv'") == "COPY"
    assert clause("DETACH other") == "DETACH"
    assert clause("RETURN 'unterminated ; LOAD FROM x") is None  # the rest is a string: a syntax error anyway


def test_query_renders_nodes_relationships_and_paths(store_target, cli):
    _tiny_graph(store_target)
    statement = ("MATCH p = (a:Person {id: 'person:a'})-[r:MET]->(b:Person) "
                 "MATCH q = (b)<-[:MET]-(a) RETURN a, r, p, q")  # fmt: skip
    as_json = json.loads(cli("query", "--db", store_target, "--format", "json", statement).output)
    node_a = {"labels": ["Person"], "properties": {"id": "person:a", "name": "Anna A", "type": "PERSON"}}
    node_b = {"labels": ["Person"], "properties": {"id": "person:b", "name": "Bob B", "type": "PERSON"}}
    met = {"type": "MET", "start": "person:a", "end": "person:b", "properties": MET}
    [record] = as_json
    assert record["a"] == node_a
    assert {k: v for k, v in record["r"].items() if k not in ("start", "end")} == {"type": "MET", "properties": MET}
    assert record["p"] == {"nodes": [node_a, node_b], "relationships": [met]}
    assert record["q"] == {"nodes": [node_b, node_a], "relationships": [met]}

    a_text = '(:Person {id: "person:a", name: "Anna A", type: "PERSON"})'
    b_text = '(:Person {id: "person:b", name: "Bob B", type: "PERSON"})'
    met_text = ('[:MET {event_id: "ev:1", event_type: "CONSULT", mode: "meet", status: "happened", '
                'date: "2024-04-09"}]')  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(cli("query", "--db", store_target, "--format", "csv", statement).output)))
    assert rows == [{"a": a_text, "r": met_text, "p": f"{a_text}-{met_text}->{b_text}",
                     "q": f"{b_text}<-{met_text}-{a_text}"}]  # fmt: skip
    table = cli("query", "--db", store_target, "MATCH (a:Person {id: 'person:a'})-[r:MET]->(b) RETURN a.name, r, b")
    flat = " ".join(table.output.split())
    assert table.exit_code == 0 and "[:MET {event_id:" in flat and '(:Person {id: "person:b"' in flat


def test_query_columns_are_named_as_written(tmp_path: Path, cli):
    # LadybugDB names an unaliased label(r) after its rewrite, which lists every relationship
    # table of the schema: thousands of characters as a column header.
    db = str(tmp_path / "q.db")
    _tiny_graph(db)
    rows = json.loads(cli("query", "--db", db, "--format", "json",
                          "MATCH (a)-[r]->(b) WHERE r.event_id IS NOT NULL RETURN a.name, label(r), lower(label(r))").output)  # fmt: skip
    assert rows == [{"a.name": "Anna A", "label(r)": "MET", "LOWER(label(r))": "met"}]


@pytest.mark.neo4j
def test_query_server_warnings_are_one_line_each(cli, capfd):
    from tests.conftest import neo4j_uri

    uri = neo4j_uri()
    result = cli("query", "--graph", uri, "MATCH (n:NoSuchLabel) RETURN count(n) AS n")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "NoSuchLabel" in warnings[0]
    assert "Received notification" not in result.output + capfd.readouterr().err
