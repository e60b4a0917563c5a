"""What only a real Neo4j server shows, each test on a server of its own (tools/neo4j): a
fresh database and the notifications it would send, a server killed in the middle of an
ingest and started again, wrong credentials, no server, a URI that is not Bolt."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import NEWSGRAPH, ROOT, SAMPLES

pytestmark = pytest.mark.neo4j


def _newsgraph(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSGRAPH, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)


def test_neo4j_fresh_server_commands_print_no_notifications(own_neo4j, tmp_path: Path):
    """On a database that has never seen a label, every normal command prints only its output:
    no "Received notification from DBMS server" record, nothing else on stderr."""
    server = own_neo4j()
    env = server.env(tmp_path)
    commands = [
        ("stats",),
        ("export", "--format", "json", "-o", str(tmp_path / "empty.json")),
        ("ingest", str(SAMPLES), "--quiet"),
        ("stats",),
        ("path", "Janet Yellen", "Vladimir Putin"),
        ("actors", "--limit", "3"),
        ("relations", "Sergey Lavrov"),
        ("timeline", "Vladimir Putin"),
        ("top-actors",),
        ("export", "--format", "cypher", "-o", str(tmp_path / "graph.cypher")),
    ]
    for args in commands:
        result = _newsgraph(env, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)
        if args == ("stats",):
            assert result.stdout.splitlines()[1].split() == ["┃", "kind", "┃", "name", "┃", "count", "┃"]
    bench = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "write", "--relationships", "400"],
                           capture_output=True, text=True, env=env, timeout=300, check=False)  # fmt: skip
    assert bench.returncode == 0 and bench.stderr == "", bench.stderr
    assert "neo4j" in bench.stdout and "ladybug" in bench.stdout


def _corpus(tmp_path: Path) -> Path:
    """Distinct stories (the samples, the held-out and the blind articles), so each is really
    extracted and written: about 30 articles."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    shutil.copy(ROOT / "tests" / "heldout" / "articles.jsonl", corpus / "heldout.jsonl")
    shutil.copy(ROOT / "tests" / "blind" / "articles.jsonl", corpus / "blind.jsonl")
    return corpus


def _export(env: dict[str, str], path: Path) -> dict:
    result = _newsgraph(env, "export", "--format", "json", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return json.loads(path.read_text(encoding="utf-8"))


def _wipe(env: dict[str, str]) -> None:
    assert _newsgraph(env, "query", "--write", "MATCH (n) DETACH DELETE n").returncode == 0


def _articles(env: dict[str, str]) -> int:
    result = _newsgraph(env, "query", "--format", "json", "MATCH (a:Article) RETURN count(a) AS n")
    return json.loads(result.stdout)[0]["n"] if result.returncode == 0 else -1


def _key(rel: dict) -> str:
    return json.dumps(rel, sort_keys=True)


def test_neo4j_server_killed_mid_ingest_then_restarted(own_neo4j, tmp_path: Path):
    """SIGKILL the server while `newsgraph ingest` writes into it: the ingest exits 1 with one
    line naming the server; after a restart on the same data, what is stored is whole batches
    only (every stored article has all of its facts), and a rerun gives exactly the graph of a
    clean run (full exports compared byte for byte)."""
    server = own_neo4j()
    corpus = _corpus(tmp_path)
    ingest = ("ingest", str(corpus), "--batch-size", "2", "--quiet")

    clean_env = server.env(tmp_path / "clean-home")
    clean = _newsgraph(clean_env, *ingest)
    assert clean.returncode == 0, clean.stderr
    clean_path = tmp_path / "clean.json"
    clean_graph = _export(clean_env, clean_path)
    total = sum(1 for n in clean_graph["nodes"] if n["label"] == "Article")
    _wipe(clean_env)

    env = server.env(tmp_path / "home", NEWSGRAPH_NEO4J_RETRY_SECONDS="3")
    process = subprocess.Popen([NEWSGRAPH, *ingest], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None and _articles(env) < 6:
        time.sleep(0.2)
    assert process.poll() is None, "the ingest finished before the server could be killed"
    server.kill()
    _, stderr = process.communicate(timeout=120)
    lines = stderr.strip().splitlines()
    assert process.returncode == 1, stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: lost the connection to Neo4j at {server.uri}"), stderr

    server.restart()
    partial = _export(env, tmp_path / "partial.json")
    stored = {n["id"] for n in partial["nodes"] if n["label"] == "Article"}
    assert 6 <= len(stored) < total
    clean_rels = {_key(r) for r in clean_graph["relationships"]}
    partial_rels = [r for r in partial["relationships"]]
    assert all(_key(r) in clean_rels for r in partial_rels), "nothing half-written or foreign is visible"
    own = {a: sorted(_key(r) for r in clean_graph["relationships"] if r["source"] == a) for a in stored}
    assert own == {a: sorted(_key(r) for r in partial_rels if r["source"] == a) for a in stored}, \
        "every stored article has all of its facts: batches are whole"

    rerun = _newsgraph(env, *ingest)
    assert rerun.returncode == 0, rerun.stderr
    resumed_path = tmp_path / "resumed.json"
    _export(env, resumed_path)
    assert resumed_path.read_bytes() == clean_path.read_bytes()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_neo4j_connection_faults_are_one_line_and_exit_1(own_neo4j, tmp_path: Path):
    server = own_neo4j()
    faults = {
        "rejected the credentials": (server.env(tmp_path, NEO4J_PASSWORD="not-the-password"), server.uri),
        "cannot reach Neo4j": (server.env(tmp_path), f"bolt://127.0.0.1:{_closed_port()}"),
        "http:// is not a graph store URI": (server.env(tmp_path), server.uri.replace("bolt://", "http://")),
    }
    for expected, (env, uri) in faults.items():
        for args in (("stats", "--graph", uri), ("ingest", str(SAMPLES / "wire.jsonl"), "--quiet", "--graph", uri)):
            result = _newsgraph(env, *args)
            lines = result.stderr.strip().splitlines()
            assert result.returncode == 1 and len(lines) == 1, (args, result.stderr)
            assert lines[0].startswith("error: ") and expected in lines[0], (args, result.stderr)
            assert "not-the-password" not in result.stderr and server.state["password"] not in result.stderr
    assert not (tmp_path / "http:").exists(), "a non-Bolt URI never becomes a LadybugDB directory"
