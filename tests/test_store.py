"""The store contract: every store is idempotent and incremental, keeps one node per actor,
and treats hostile text as data. Runs on LadybugDB always and on Neo4j when NEO4J_URI is set."""

from __future__ import annotations

import json
from pathlib import Path

from models import Article
from pipeline.graph.build import build_graph
from pipeline.nlp.extract import extract
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import SEED


def _graphs(items):
    return [build_graph(r) for r in extract(items)]


def _article(article_id: str, text: str, title: str = "") -> Article:
    return Article(id=article_id, title=title, text=text, published="2024-03-01", source="Test Wire")


def test_store_second_ingest_changes_no_count(store_target):
    graphs = _graphs(read_sources([SEED]))
    with open_store(store_target) as store:
        first = store.write(graphs)
        before = store.stats()
        second = store.write(graphs)
        forced = store.write(graphs, force=True)
        after = store.stats()
    assert first.count("new") == 1 and second.count("unchanged") == 1 and forced.count("updated") == 1
    assert before == after
    assert before.nodes["Person"] == 5 and before.relationships["MENTIONS"] > 0


def test_store_one_node_per_actor_across_articles(store_target):
    a = _article("a", "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing on Tuesday.")
    b = _article("b", "Putin later spoke with Xi by phone, the Kremlin said.")
    with open_store(store_target) as store:
        store.write(_graphs([a, b]))
        rows = store.query("MATCH (p:Person) RETURN p.name ORDER BY p.name").rows
        mentions = store.query(
            "MATCH (:Article)-[m:MENTIONS]->(p:Person {name: 'Vladimir Putin'}) RETURN sum(m.count)"
        ).rows
    assert rows == [["Vladimir Putin"], ["Xi Jinping"]]
    assert mentions == [[2]]


def test_store_changed_article_replaces_only_its_own_facts(store_target):
    a = _article("a", "Turkish Foreign Minister Hakan Fidan visited Moscow on Monday and met Sergey Lavrov.")
    b = _article("b", "Sergey Lavrov met Hakan Fidan in Ankara on Friday. Fidan criticized NATO.")
    with open_store(store_target) as store:
        store.write(_graphs([a, b]))
        b_before = store.query("MATCH (:Article {id: 'b'})-[m:MENTIONS]->(n) RETURN n.id, m.count ORDER BY n.id").rows
        b_events = store.query("MATCH (:Article {id: 'b'})-[:REPORTS]->(e:Event) RETURN e.id ORDER BY e.id").rows
        changed = _article("a", "Indian Prime Minister Narendra Modi visited Washington on Monday.")
        report = store.write(_graphs([changed]))
        a_after = store.query("MATCH (:Article {id: 'a'})-[:MENTIONS]->(n) RETURN n.name ORDER BY n.name").rows
        b_after = store.query("MATCH (:Article {id: 'b'})-[m:MENTIONS]->(n) RETURN n.id, m.count ORDER BY n.id").rows
        b_events_after = store.query("MATCH (:Article {id: 'b'})-[:REPORTS]->(e:Event) RETURN e.id ORDER BY e.id").rows
        moscow = store.query("MATCH (p:Place {name: 'Moscow'}) RETURN count(p)").rows
        modi_visits = store.query(
            "MATCH (:Person {name: 'Narendra Modi'})-[r:VISITED]->(t)-[:IN_COUNTRY]->(c) RETURN t.name, c.name").rows
    assert report.count("updated") == 1
    assert b_after == b_before and b_events_after == b_events
    assert ["Narendra Modi"] in a_after and ["Hakan Fidan"] not in a_after
    assert moscow == [[0]], "an entity only the old version mentioned is gone"
    assert modi_visits == [["Washington", "United States"]]


def test_store_same_event_from_two_articles_is_one_event_node(store_target):
    a = _article("a", "Sergey Lavrov met Wang Yi in Beijing on Tuesday.")
    b = _article("b", "On Tuesday, Sergey Lavrov met Wang Yi in Beijing, officials said.")
    with open_store(store_target) as store:
        store.write(_graphs([a]))
        store.write(_graphs([b]))
        rows = store.query(
            "MATCH (a:Article)-[:REPORTS]->(e:Event {type: 'CONSULT'}) RETURN e.id, count(a) AS reports"
        ).rows
        met = store.query("MATCH (:Person)-[r:MET]->(:Person) RETURN count(r)").rows
        removed = store.write(_graphs([_article("a", "Sergey Lavrov criticized NATO on Tuesday.")]))
        still = store.query("MATCH (a:Article)-[:REPORTS]->(e:Event {type: 'CONSULT'}) RETURN count(a)").rows
    assert len(rows) == 1 and rows[0][1] == 2 and met == [[1]]
    assert removed.count("updated") == 1 and still == [[1]]


def test_store_hostile_names_are_data_not_cypher(store_target, tmp_path: Path):
    nasty = "Robert '}) DETACH DELETE n // `Tables` O\"Brien"
    text = f"{nasty} met Vladimir Putin in Moscow on Tuesday.\nPutin criticized {nasty[:40]}."
    article = Article(id="x'}) DETACH DELETE n //", title="`; MATCH (n) DETACH DELETE n", text=text,
                      url="https://x.test/?q=') RETURN 1 //", published="2024-03-01")  # fmt: skip
    with open_store(store_target) as store:
        store.write(_graphs([article]))
        store.write(_graphs(read_sources([SEED])))
        ids = store.query("MATCH (a:Article) RETURN a.id ORDER BY a.id").rows
        title = store.query("MATCH (a:Article {id: $id}) RETURN a.title", {"id": article.id}).rows
    assert ids == [["asiae-2024-04-17-china-russia-exports"], [article.id]]
    assert title == [[article.title]]


def test_store_exports_every_node_and_relationship(store_target, tmp_path: Path, cli):
    with open_store(store_target) as store:
        store.write(_graphs(read_sources([SEED])))
        stats = store.stats()
    out = tmp_path / "graph.json"
    result = cli("export", "--db", store_target, "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert len(data["nodes"]) == sum(stats.nodes.values())
    assert len(data["relationships"]) == sum(stats.relationships.values())


def test_store_batch_with_only_null_numbers_writes(store_target):
    """A batch where no row has a value for a numeric property (a snapshot from another tool,
    say) writes: the all-null column is left out instead of being typed as text."""
    from models import ArticleGraph, Node, Relationship

    graph = ArticleGraph(article_id="a", nodes=[
        Node(id="a", label="Article", props={"content_hash": "h", "title": "T"}),
        Node(id="ev:1", label="Event", props={"type": "CONSULT", "confidence": None}),
    ], relationships=[Relationship(type="REPORTS", source="a", target="ev:1",
                                   props={"sentence": "S", "start_offset": None, "end_offset": None, "confidence": None})])
    with open_store(store_target) as store:
        store.write([graph])
        rows = store.query("MATCH (:Article {id: 'a'})-[r:REPORTS]->(e:Event) RETURN e.type, r.sentence, r.start_offset").rows
    assert rows == [["CONSULT", "S", None]]
