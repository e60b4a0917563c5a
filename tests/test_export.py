"""Snapshots for Neo4j bulk loading: a Cypher script and the neo4j-admin CSV file set."""

from __future__ import annotations

import csv
import subprocess

import pytest

from models import Article
from pipeline.graph.build import build_graph
from pipeline.graph.schema import NODE_TYPES
from pipeline.nlp.extract import extract
from pipeline.snapshots.export import cypher_literal
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import SEED


@pytest.fixture
def seeded_db(db_path):
    hostile = Article(id="evil", title="It's a \"test\" \\ with\nnewline", published="2024-03-01",
                      text="Vladimir Putin met Xi Jinping in Beijing on Tuesday.")  # fmt: skip
    with open_store(db_path) as store:
        store.write([build_graph(r) for r in extract([*read_sources([SEED]), hostile])])
        stats = store.stats()
    return db_path, stats


def test_export_cypher_literals_escape_everything():
    assert cypher_literal("a'b\\c\nd") == "'a\\'b\\\\c\\nd'"
    assert cypher_literal(None) == "null" and cypher_literal([1, "x"]) == "[1, 'x']"
    assert cypher_literal(float("nan")) == "null" and cypher_literal(True) == "true"


def test_export_cypher_script_merges_every_node_and_relationship(cli, seeded_db, tmp_path):
    db, stats = seeded_db
    out = tmp_path / "graph.cypher"
    result = cli("export", "--db", db, "--format", "cypher", "-o", str(out))
    assert result.exit_code == 0
    script = out.read_text(encoding="utf-8")
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in statements)
    assert sum("REQUIRE n.id IS UNIQUE" in line for line in statements) == len(NODE_TYPES)
    assert "CREATE (" not in script, "the script MERGEs, so loading it twice changes nothing"
    assert "It\\'s a \"test\" \\\\ with\\nnewline" in script
    merged_nodes = sum(line.count("`id`: ") for line in statements if " MERGE (n:" in line)
    assert merged_nodes == sum(stats.nodes.values())
    merged_rels = sum(line.count("{s: ") for line in statements if " MERGE (s)-" in line)
    assert merged_rels == sum(stats.relationships.values())


def test_export_neo4j_csv_file_set(cli, seeded_db, tmp_path):
    db, stats = seeded_db
    out = tmp_path / "bulk"
    assert cli("export", "--db", db, "--format", "neo4j-csv", "-o", str(out)).exit_code == 0
    people = list(csv.reader((out / "nodes_Person.csv").read_text(encoding="utf-8").splitlines()))
    assert people[0][0] == "id:ID" and people[0][-1] == ":LABEL"
    assert len(people) - 1 == stats.nodes["Person"]
    mentions = list(csv.reader((out / "rels_MENTIONS.csv").read_text(encoding="utf-8").splitlines()))
    assert mentions[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and "count:long" in mentions[0]
    assert len(mentions) - 1 == stats.relationships["MENTIONS"]
    script = (out / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--nodes=Person=nodes_Person.csv" in script
    assert subprocess.run(["sh", "-n", str(out / "import.sh")], check=False).returncode == 0
