"""Where exports go: the format a file name says, outputs that would destroy an input, and
exports that fail halfway."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.graph.build import build_graph
from pipeline.store import open_store

# --- item 18: the format from the file name ----------------------------------------------


def _kind(path) -> str:
    """What a written export is, judged by its content."""
    if path.is_dir():
        return "neo4j-csv" if (path / "import.sh").exists() else "directory"
    text = path.read_text(encoding="utf-8")
    if text.startswith("<?xml"):
        return ET.fromstring(text.encode()).tag.split("}")[1]  # graphml or gexf
    if text.startswith("// newsgraph snapshot"):
        return "cypher"
    if text.lstrip().lower().startswith("<!doctype html"):
        return "html"
    return "cytoscape" if "elements" in json.loads(text) else "json"


@pytest.mark.parametrize(("name", "kind"), [
    ("g.json", "json"), ("g.cyjs", "cytoscape"), ("g.graphml", "graphml"), ("g.xml", "graphml"), ("G.GEXF", "gexf"),
    ("g.cypher", "cypher"), ("g.html", "html"), ("bulk/", "neo4j-csv"),
])  # fmt: skip
def test_export_format_comes_from_the_file_name(cli, seed_db, tmp_path, name, kind):
    target = tmp_path / name
    result = cli("export", "--db", seed_db, "-o", str(tmp_path) + "/" + name)
    assert result.exit_code == 0, result.output
    assert _kind(target) == kind


def test_export_into_an_existing_directory_is_neo4j_csv(cli, seed_db, tmp_path):
    (tmp_path / "bulk").mkdir()
    assert cli("export", "--db", seed_db, "-o", str(tmp_path / "bulk")).exit_code == 0
    assert _kind(tmp_path / "bulk") == "neo4j-csv"


def test_export_json_by_name_loads_back(cli, seed_db, tmp_path):
    snapshot = tmp_path / "g.json"
    assert cli("export", "--db", seed_db, "-o", str(snapshot)).exit_code == 0
    loaded = cli("load", str(snapshot), "--db", str(tmp_path / "copy.db"))
    assert loaded.exit_code == 0 and "articles: 1 new" in loaded.output


@pytest.mark.parametrize(("fmt", "name", "says"), [
    ("graphml", "g.json", "a graphml export is named .graphml or .xml"),
    ("json", "g.graphml", "a json export is named .json"),
    ("cytoscape", "g.cytoscape", "a cytoscape export is named .cyjs"),
    ("json", "g.txt", "a json export is named .json"),
    ("neo4j-csv", "g.json", "neo4j-csv writes a directory"),
])  # fmt: skip
def test_export_refuses_a_format_the_file_name_contradicts(cli, seed_db, tmp_path, fmt, name, says):
    result = cli("export", "--db", seed_db, "--format", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert not (tmp_path / name).exists()


def test_export_without_format_or_known_suffix_is_a_usage_error(cli, seed_db, tmp_path):
    result = cli("export", "--db", seed_db, "-o", str(tmp_path / "graph.txt"))
    assert result.exit_code == 2
    assert "cannot tell the format from 'graph.txt'" in result.output and ".cyjs" in result.output
    assert not (tmp_path / "graph.txt").exists()


def test_load_says_cytoscape_snapshots_use_cyjs(cli, seed_db, tmp_path):
    snapshot = tmp_path / "g.cyjs"
    cli("export", "--db", seed_db, "-o", str(snapshot))
    renamed = snapshot.rename(tmp_path / "g.cytoscape")
    result = cli("load", str(renamed), "--db", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert "Cytoscape snapshots are named .cyjs" in result.output


# --- item 1: outputs that would destroy an input ----------------------------------------


@pytest.fixture
def own_db(tmp_path, seed_result) -> str:
    """A store of one's own, for tests that might destroy it."""
    target = str(tmp_path / "own.db")
    with open_store(target) as store:
        store.write([build_graph(seed_result)])
    return target


def _intact(db: str) -> int:
    with open_store(db, read_only=True) as store:
        return store.stats().nodes["Article"]


def test_export_refuses_to_write_over_its_store(cli, own_db, tmp_path):
    from pipeline.ingest.job import state_dir_for

    before = (tmp_path / "own.db").read_bytes()
    (tmp_path / "link.json").symlink_to(tmp_path / "own.db")
    state = state_dir_for(own_db)
    state.mkdir(exist_ok=True)
    for fmt, output in [("json", own_db), ("json", str(tmp_path / "sub" / ".." / "own.db")), ("json", str(tmp_path / "link.json")),
                        ("neo4j-csv", str(state)), ("json", str(state / "seen.json")), ("json", own_db + ".wal")]:  # fmt: skip
        result = cli("export", "--db", own_db, "--format", fmt, "-o", output)
        assert result.exit_code == 2, (output, result.output)
        assert "error: -o " in result.output
        assert "is the store" in result.output or "is beside the store" in result.output
    assert (tmp_path / "own.db").read_bytes() == before and _intact(own_db) == 1
    assert not (state / "seen.json").exists() and not list(state.glob("*.csv"))


def test_export_refuses_an_output_that_is_its_snapshot_input(cli, seed_db, tmp_path):
    snapshot = tmp_path / "g.json"
    cli("export", "--db", seed_db, "-o", str(snapshot))
    before = snapshot.read_bytes()
    result = cli("export", "--snapshot", str(snapshot), "--types", "MET", "-o", str(tmp_path / "." / "g.json"))
    assert result.exit_code == 2 and "is the snapshot it reads" in result.output
    assert snapshot.read_bytes() == before


def test_snapshot_refuses_to_overwrite_the_snapshot_it_reads(cli, seed_db, tmp_path):
    months = tmp_path / "months"
    assert cli("snapshot", "--db", seed_db, "--every", "month", "-o", str(months)).exit_code == 0
    [april] = [p for p in months.glob("2024-04.json")]
    before = {p.name: p.read_bytes() for p in months.iterdir()}
    result = cli("snapshot", "--snapshot", str(april), "--every", "month", "-o", str(months))
    assert result.exit_code == 2 and "is the snapshot it reads" in result.output
    assert {p.name: p.read_bytes() for p in months.iterdir()} == before


def test_snapshot_refuses_to_write_over_its_store(cli, tmp_path, seed_result):
    db = str(tmp_path / "manifest.json")
    with open_store(db) as store:
        store.write([build_graph(seed_result)])
    result = cli("snapshot", "--db", db, "--every", "year", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is the store" in result.output
    assert _intact(db) == 1


def test_load_refuses_a_snapshot_that_is_its_store(cli, seed_db, tmp_path):
    snapshot = tmp_path / "g.json"
    cli("export", "--db", seed_db, "-o", str(snapshot))
    before = snapshot.read_bytes()
    result = cli("load", str(snapshot), "--db", str(snapshot))
    assert result.exit_code == 2 and "is the snapshot it reads" in result.output
    assert snapshot.read_bytes() == before


# --- item 6: exports that fail halfway ---------------------------------------------------

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")


def _export_with_size_limit(db: str, fmt: str, output: Path, limit: int) -> subprocess.CompletedProcess:
    """The real command, in a process that may write no file larger than `limit` bytes: a disk
    that fills up halfway through the export."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([NEWSGRAPH, "export", "--db", db, "--format", fmt, "-o", str(output)],
                          capture_output=True, text=True, timeout=120, preexec_fn=cap, check=False)  # fmt: skip


def _tree(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("fmt", "name"), [("json", "g.json"), ("graphml", "g.graphml"), ("cypher", "g.cypher"),
                                           ("html", "g.html"), ("neo4j-csv", "bulk")])  # fmt: skip
def test_failed_export_leaves_the_previous_export_in_place(cli, seed_db, tmp_path, fmt, name):
    output = tmp_path / "out" / name
    output.parent.mkdir()
    assert cli("export", "--db", seed_db, "--format", fmt, "-o", str(output)).exit_code == 0
    before = _tree(output)
    largest = max(len(content) for content in before.values())
    failed = _export_with_size_limit(seed_db, fmt, output, largest // 2)
    assert failed.returncode == 1, failed.stderr
    [line] = failed.stderr.splitlines()
    assert line.startswith(f"error: cannot write {output}: File too large")
    assert _tree(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == [name], "no temporary file is left behind"


def test_failed_export_to_a_new_path_leaves_nothing(seed_db, tmp_path):
    output = tmp_path / "g.json"
    failed = _export_with_size_limit(seed_db, "json", output, 1000)
    assert failed.returncode == 1 and "File too large" in failed.stderr
    assert list(tmp_path.iterdir()) == []


def test_neo4j_csv_into_a_directory_replaces_only_its_own_files(cli, seed_db, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "nodes_Gone.csv").write_text("from an earlier export")
    result = cli("export", "--db", seed_db, "--format", "neo4j-csv", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir()}
    assert "notes.txt" in names and "import.sh" in names and "nodes_Gone.csv" not in names
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not [n for n in names if n.startswith(".")], "no temporary directory is left"


def test_export_keeps_the_mode_of_the_file_it_replaces(cli, seed_db, tmp_path):
    output = tmp_path / "g.json"
    assert cli("export", "--db", seed_db, "-o", str(output)).exit_code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~_umask()
    output.chmod(0o640)
    assert cli("export", "--db", seed_db, "-o", str(output)).exit_code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_export_through_a_symlink_replaces_the_file_it_points_at(cli, seed_db, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    (tmp_path / "link.json").symlink_to(real)
    assert cli("export", "--db", seed_db, "-o", str(tmp_path / "link.json")).exit_code == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text())["nodes"]


def test_neo4j_csv_into_the_current_directory_keeps_it(cli, seed_db, tmp_path, monkeypatch):
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    inode = bulk.stat().st_ino
    monkeypatch.chdir(bulk)
    assert cli("export", "--db", seed_db, "--format", "neo4j-csv", "-o", ".").exit_code == 0
    assert Path(".").resolve() == bulk and Path("import.sh").exists(), "the shell's directory is still the export"
    assert bulk.stat().st_ino == inode and sorted(p.name for p in tmp_path.iterdir()) == ["bulk"]
