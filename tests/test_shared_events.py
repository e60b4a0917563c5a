"""An event reported by several articles (issue 12, item 15): its confidence, date_text, cameo
and LOCATION edges are derived from all its reports, so a clean ingest, a forced one and one
resumed in another order export byte for byte the same graph. Both stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.store import open_store

# One meeting, three reports that differ in confidence (a noun trigger in b), date text (c) and
# place (Beijing in a, Shanghai in b and c).
REPORTS = {
    "a": "Sergey Lavrov met Wang Yi in Beijing on Tuesday.",
    "b": "On Tuesday, Sergey Lavrov held a meeting with Wang Yi in Shanghai, officials said.",
    "c": "Russian Foreign Minister Sergey Lavrov met Chinese Foreign Minister Wang Yi in Shanghai on March 5.",
}


def _jsonl(path: Path, ids: str) -> Path:
    lines = [json.dumps({"id": i, "text": REPORTS[i], "published": "2024-03-07", "source": "Test Wire", "language": "en"})
             for i in ids]  # short texts: the language is declared, not detected
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def fresh(store_target, tmp_path: Path, monkeypatch):
    """A function that empties the store (and its run state) and returns its target."""
    counter = iter(range(100))

    def make() -> str:
        monkeypatch.setenv("HOME", str(tmp_path / f"home-{next(counter)}"))  # the run state of a server
        if store_target.startswith("bolt"):
            with open_store(store_target) as store:
                store.query("MATCH (n) DETACH DELETE n", write=True)
            return store_target
        return str(tmp_path / f"store-{next(counter)}.db")

    return make


def test_shared_event_is_the_same_after_clean_forced_and_resumed_ingests(fresh, cli, tmp_path: Path):
    everything = _jsonl(tmp_path / "all.jsonl", "abc")

    def ingest(target: str, source: Path, *extra: str) -> None:
        result = cli("ingest", str(source), "--db", target, "--quiet", *extra)
        assert result.exit_code == 0, result.output

    def export(target: str, name: str) -> bytes:
        path = tmp_path / f"{name}.json"
        assert cli("export", "--db", target, "--format", "json", "-o", str(path)).exit_code == 0
        return path.read_bytes()

    clean = fresh()
    ingest(clean, everything)
    expected = export(clean, "clean")
    graph = json.loads(expected)
    assert sorted(r["source"] for r in graph["relationships"] if r["type"] == "REPORTS") == ["a", "b", "c"]
    [event] = [n for n in graph["nodes"] if n["label"] == "Event"]
    reported = [r["confidence"] for r in graph["relationships"] if r["type"] == "REPORTS"]
    assert (event["confidence"], event["date_text"], event["cameo"]) == (max(reported), "Tuesday", "040")
    places = sorted(r["target"] for r in graph["relationships"] if r["type"] == "LOCATION")
    assert places == ["place:beijing", "place:shanghai"]

    forced = fresh()
    ingest(forced, everything)
    ingest(forced, everything, "--force")
    assert export(forced, "forced") == expected

    forced_one_by_one = fresh()
    ingest(forced_one_by_one, everything)
    ingest(forced_one_by_one, everything, "--force", "--batch-size", "1")
    assert export(forced_one_by_one, "forced-one-by-one") == expected

    resumed = fresh()  # a run that stored c before it was stopped, then the whole run again
    ingest(resumed, _jsonl(tmp_path / "c.jsonl", "c"))
    ingest(resumed, everything, "--batch-size", "1")
    assert export(resumed, "resumed") == expected

    reversed_order = fresh()
    ingest(reversed_order, _jsonl(tmp_path / "cba.jsonl", "cba"), "--batch-size", "1")
    assert export(reversed_order, "reversed") == expected


def test_shared_event_loses_what_only_a_changed_report_said(fresh, cli, tmp_path: Path):
    target = fresh()
    assert cli("ingest", str(_jsonl(tmp_path / "all.jsonl", "abc")), "--db", target, "--quiet").exit_code == 0
    changed = tmp_path / "a.jsonl"
    changed.write_text(json.dumps({"id": "a", "text": "Sergey Lavrov criticized NATO on Tuesday.", "language": "en",
                                   "published": "2024-03-07", "source": "Test Wire"}) + "\n", encoding="utf-8")  # fmt: skip
    assert cli("ingest", str(changed), "--db", target, "--quiet").exit_code == 0
    with open_store(target, read_only=True) as store:
        rows = store.query("MATCH (e:Event {type: 'CONSULT'}) RETURN e.confidence, e.date_text").rows
        left = store.query("MATCH (:Article)-[r:REPORTS]->(e:Event {type: 'CONSULT'}) RETURN max(r.confidence)").rows
        places = store.query("MATCH (e:Event {type: 'CONSULT'})-[:LOCATION]->(p) RETURN p.id").rows
        beijing = store.query("MATCH (p:Place {id: 'place:beijing'}) RETURN count(p)").rows
    assert rows == [[left[0][0], "Tuesday"]], "the highest confidence left; b is now the lowest article id"
    assert places == [["place:shanghai"]] and beijing == [[0]]


def test_ladybug_store_from_before_gains_the_report_columns(tmp_path: Path, cli):
    """A store made before REPORTS carried cameo and locations exports as it is, gains the
    columns when opened for writing, and ingests into it."""
    import ladybug

    db = str(tmp_path / "old.db")
    with open_store(db):
        pass
    conn = ladybug.Connection(old := ladybug.Database(db))
    for column in ("cameo", "locations"):
        conn.execute(f"ALTER TABLE REPORTS DROP {column}")
    conn.close()
    old.close()
    exported = cli("export", "--db", db, "--format", "json", "-o", str(tmp_path / "old.json"))
    assert exported.exit_code == 0, exported.output  # read as it is
    result = cli("ingest", str(_jsonl(tmp_path / "all.jsonl", "abc")), "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    with open_store(db, read_only=True) as store:
        assert store.query("MATCH (:Article {id: 'c'})-[r:REPORTS]->() RETURN r.cameo, r.locations").rows == [
            ["040", ["place:shanghai"]]]
