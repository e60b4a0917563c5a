"""The analysts' questions: canned commands and every query of the Cypher cookbook."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.graph.build import build_graph
from pipeline.nlp.extract import extract
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import ROOT, SAMPLES, STORES, neo4j_uri

COOKBOOK = ROOT / "docs" / "QUERIES.md"


def cookbook_queries() -> list[tuple[str, str, dict]]:
    text = COOKBOOK.read_text(encoding="utf-8")
    found = []
    for title, block in re.findall(r"## (.+?)\n.*?```cypher\n(.*?)```", text, flags=re.S):
        params_line, _, statement = block.partition("\n")
        params = json.loads(params_line.removeprefix("// params:").strip())
        found.append((title, statement.strip(), params))
    return found


@pytest.fixture(scope="module", params=STORES)
def sample_db(request, tmp_path_factory) -> str:
    """The samples ingested into each store of the contract suite."""
    if request.param == "ladybug":
        target = str(tmp_path_factory.mktemp("queries") / "samples.db")
    else:
        target = neo4j_uri()
        with open_store(target) as store:
            store.query("MATCH (n) DETACH DELETE n", write=True)
    with open_store(target) as store:
        store.write([build_graph(r) for r in extract(read_sources([SAMPLES]))])
    return target


def test_cookbook_has_the_queries():
    assert len(cookbook_queries()) >= 12


@pytest.mark.parametrize(("title", "statement", "params"), cookbook_queries(), ids=[q[0] for q in cookbook_queries()])
def test_cookbook_query_runs_and_answers(sample_db, title, statement, params):
    with open_store(sample_db, read_only=True) as store:
        result = store.query(statement, params)
    assert result.rows, f"{title!r} found nothing in the samples"


def test_actors_ranks_by_events(cli, sample_db):
    rows = json.loads(cli("actors", "--db", sample_db, "--format", "json", "--limit", "50").output)
    counts = [row["events"] for row in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 5
    assert {"Vladimir Putin", "Sergey Lavrov"} <= {row["actor"] for row in rows}


def test_relations_of_an_actor_with_evidence(cli, sample_db):
    rows = json.loads(cli("relations", "sergey lavrov", "--db", sample_db, "--format", "json").output)
    assert {"date": "2024-04-09", "source": "Sergey Lavrov", "relation": "MET", "target": "Xi Jinping"}.items() <= rows[0].items()
    assert all(row["evidence"] and row["url"].startswith("https://") for row in rows)
    within = json.loads(cli("relations", "Sergey Lavrov", "--until", "2024-04", "--db", sample_db, "--format", "json").output)
    assert within and all(row["date"][:7] <= "2024-04" for row in within)


def test_timeline_is_in_date_order_and_filters(cli, sample_db):
    rows = json.loads(cli("timeline", "Vladimir Putin", "--db", sample_db, "--format", "json").output)
    dates = [row["date"] for row in rows if row["date"]]
    assert dates == sorted(dates) and "2023-10" in dates
    later = json.loads(cli("timeline", "Vladimir Putin", "--since", "2024-05-01", "--db", sample_db, "--format", "json").output)
    assert later and all(row["date"] >= "2024-05" for row in later)


def test_path_between_actors(cli, sample_db):
    rows = json.loads(cli("path", "Janet Yellen", "Vladimir Putin", "--db", sample_db, "--format", "json").output)
    assert rows[0]["from"] == "Janet Yellen" and rows[-1]["to"] == "Vladimir Putin"
    assert all(row["event_id"].startswith("ev:") for row in rows)
    missing = cli("path", "Janet Yellen", "Nobody Atall", "--db", sample_db)
    assert missing.exit_code == 2 and "no actor named" in missing.output


def test_show_cypher_prints_the_statement(cli, sample_db):
    result = cli("actors", "--db", sample_db, "--show-cypher", "--since", "2024")
    assert "MATCH (a)-[r]-(b)" in result.output and '"since": "2024"' in result.output
