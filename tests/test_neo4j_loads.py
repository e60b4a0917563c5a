"""Exports that a real Neo4j loads: `export --format cypher` replayed through the driver, and
`export --format neo4j-csv` imported by its own import.sh with the real `neo4j-admin database
import full` (the neo4j-import-tool classes from Maven Central, run by tools/neo4j) into a
fresh database. Each gives the source store's counts, the same cookbook answers
(docs/QUERIES.md) and the same actor relations, and exports byte for byte like the source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.graph.build import build_graph
from pipeline.nlp.extract import extract
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import NEO4J_TOOL, SAMPLES, neo4j_uri
from tests.test_queries import cookbook_queries

pytestmark = pytest.mark.neo4j

ACTORS = ("Sergey Lavrov", "Vladimir Putin", "Xi Jinping", "Janet Yellen")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[str, Path]:
    """The samples in a LadybugDB store, and its JSON export."""
    folder = tmp_path_factory.mktemp("source")
    db = str(folder / "samples.db")
    with open_store(db) as store:
        store.write([build_graph(r) for r in extract(read_sources([SAMPLES]))])
    return db, folder


def _unordered(rows: list[list]) -> list[str]:
    """Rows as a multiset: the stores break ties of an ORDER BY (and order collect()) alike only
    by chance."""
    return sorted(json.dumps([sorted(v, key=json.dumps) if isinstance(v, list) else v for v in row]) for row in rows)


def _answers(target: str) -> dict:
    """What an analyst asks: counts, every cookbook query, the relations of a few actors."""
    from pipeline.store import queries

    with open_store(target, read_only=True) as store:
        answers: dict = {"stats": store.stats().model_dump()}
        for title, statement, params in cookbook_queries():
            answers[title] = _unordered(store.query(statement, params).rows)
        for actor in ACTORS:
            canned = queries.relations(store.dialect, queries.find_actor(store, actor))
            answers[actor] = _unordered(queries.run(store, canned).rows)
    return answers


def _export(cli, target: str, path: Path) -> bytes:
    result = cli("export", "--db", target, "--format", "json", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def _statements(script: str) -> list[str]:
    """The statements of a Cypher script: each ends with `;` at the end of a line (values
    carry their newlines escaped), `//` lines are comments."""
    statements, current = [], []
    for line in script.splitlines():
        if not current and (not line.strip() or line.startswith("//")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip().removesuffix(";"))
            current = []
    assert not current, "a statement without its ;"
    return statements


def test_cypher_export_replayed_into_neo4j_answers_like_the_source(source, cli, tmp_path: Path):
    db, folder = source
    uri = neo4j_uri()
    script = tmp_path / "graph.cypher"
    assert cli("export", "--db", db, "--format", "cypher", "-o", str(script)).exit_code == 0
    statements = _statements(script.read_text(encoding="utf-8"))
    with open_store(uri) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
        for _ in range(2):  # it MERGEs: loading it twice is harmless
            for statement in statements:
                store.query(statement, write=True)
    assert _answers(uri) == _answers(db)
    assert _export(cli, uri, tmp_path / "replayed.json") == _export(cli, db, folder / "source.json")


def test_neo4j_csv_export_imported_by_neo4j_admin_answers_like_the_source(source, cli, own_neo4j, tmp_path: Path,
                                                                        monkeypatch):
    db, folder = source
    bulk = tmp_path / "bulk"
    assert cli("export", "--db", db, "--format", "neo4j-csv", "-o", str(bulk)).exit_code == 0
    home = tmp_path / "imported"
    shim = tmp_path / "bin" / "neo4j-admin"  # what import.sh calls: the real tool, run by tools/neo4j
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{NEO4J_TOOL}" admin --home "{home}" -- "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = os.environ | {"PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["sh", str(bulk / "import.sh"), "neo4j"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout
    server = own_neo4j(home)
    monkeypatch.setenv("NEO4J_USERNAME", server.state["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", server.state["password"])
    assert _answers(server.uri) == _answers(db)
    # neo4j-admin CSV has no way to write an empty array (an empty field is no property): the
    # one difference from the source, and a documented one (docs/NEO4J.md).
    imported = _without_empty_lists(json.loads(_export(cli, server.uri, tmp_path / "imported.json")))
    assert imported == _without_empty_lists(json.loads(_export(cli, db, folder / "source.json")))


def _without_empty_lists(graph: dict) -> dict:
    return {key: [{k: v for k, v in item.items() if v != []} for item in items] if isinstance(items, list) else items
            for key, items in graph.items()}  # fmt: skip
