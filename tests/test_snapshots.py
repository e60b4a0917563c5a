"""Snapshots: export formats, slices, load and round trip, periods, diff and analytics."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from models import Node, Relationship
from pipeline.graph.build import build_graph
from pipeline.graph.schema import ACTOR_LABELS, ENTITY_LABELS, rel_types_owned_by
from pipeline.nlp.extract import extract
from pipeline.snapshots.analytics import actor_graph, pagerank
from pipeline.snapshots.elements import Snapshot
from pipeline.snapshots.load import read_snapshot
from pipeline.snapshots.slices import SliceSpec, in_window, slice_snapshot
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import SAMPLES

LOADABLE = [("json", "json"), ("cytoscape", "cyjs"), ("graphml", "graphml"), ("gexf", "gexf")]
RELATIONS = set(rel_types_owned_by("projected"))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    target = str(tmp_path_factory.mktemp("snapshots") / "samples.db")
    with open_store(target) as store:
        store.write([build_graph(r) for r in extract(read_sources([SAMPLES]))])
    return target


@pytest.fixture(scope="module")
def sample(sample_db) -> Snapshot:
    with open_store(sample_db, read_only=True) as store:
        return Snapshot.from_store(store)


@pytest.mark.parametrize("command", ["export", "load", "snapshot", "diff", "top-actors"])
def test_snapshots_help_ends_with_an_example(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert result.output.rstrip().splitlines()[-1].strip().startswith("newsgraph ")


@pytest.mark.parametrize(("fmt", "suffix"), LOADABLE, ids=[f for f, _ in LOADABLE])
def test_snapshots_round_trip_is_identical(cli, sample_db, tmp_path, fmt, suffix):
    first, second = tmp_path / f"first.{suffix}", tmp_path / f"second.{suffix}"
    copy = str(tmp_path / "copy.db")
    assert cli("export", "--db", sample_db, "--format", fmt, "-o", str(first)).exit_code == 0
    loaded = cli("load", str(first), "--db", copy)
    with open_store(sample_db, read_only=True) as store:
        articles = store.stats().nodes["Article"]
    assert loaded.exit_code == 0 and f"articles: {articles} new" in loaded.output
    assert cli("export", "--db", copy, "--format", fmt, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    with open_store(sample_db, read_only=True) as a, open_store(copy, read_only=True) as b:
        assert a.stats() == b.stats()


def test_snapshots_load_twice_changes_nothing(cli, sample_db, tmp_path):
    snapshot, copy = tmp_path / "g.json", str(tmp_path / "copy.db")
    cli("export", "--db", sample_db, "--format", "json", "-o", str(snapshot))
    cli("load", str(snapshot), "--db", copy)
    again = cli("load", str(snapshot), "--db", copy)
    with open_store(sample_db, read_only=True) as store:
        articles = store.stats().nodes["Article"]
    assert f"articles: 0 new, 0 updated, {articles} unchanged" in again.output


def test_snapshots_load_refuses_what_it_cannot_read(cli, sample_db, tmp_path):
    script = tmp_path / "g.cypher"
    cli("export", "--db", sample_db, "--format", "cypher", "-o", str(script))
    result = cli("load", str(script), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and "--format json, cytoscape, graphml, gexf" in result.output


def test_snapshots_properties_keep_their_types(sample_db, tmp_path, cli):
    path = tmp_path / "g.json"
    cli("export", "--db", sample_db, "--format", "json", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    mentions = [r for r in data["relationships"] if r["type"] == "MENTIONS"]
    assert all(isinstance(r["count"], int) and isinstance(r["aliases"], list) for r in mentions if "aliases" in r)
    events = [n for n in data["nodes"] if n["label"] == "Event"]
    assert all(isinstance(n["confidence"], float) for n in events)
    articles = [n for n in data["nodes"] if n["label"] == "Article"]
    dated = [a["published"] for a in articles if "published" in a]
    assert dated and all(len(p) >= 10 and p[4] == "-" for p in dated)
    graph = nx.node_link_graph(data, edges="relationships")  # networkx reads it as it is
    assert graph.number_of_nodes() == len(data["nodes"]) and graph.number_of_edges() == len(data["relationships"])


def test_snapshots_graphml_and_gexf_declare_types_and_order(sample_db, tmp_path, cli, sample):
    graphml, gexf = tmp_path / "g.graphml", tmp_path / "g.gexf"
    cli("export", "--db", sample_db, "--format", "graphml", "-o", str(graphml))
    cli("export", "--db", sample_db, "--format", "gexf", "-o", str(gexf))
    read = nx.read_graphml(graphml)
    some_mention = next(d for _, _, d in read.edges(data=True) if d["type"] == "MENTIONS")
    assert isinstance(some_mention["count"], int)
    assert list(read.nodes) == [node.id for node in sample.nodes], "canonical node order"
    root = ET.parse(gexf).getroot()
    ns = "{http://gexf.net/1.3}"
    declared = {a.get("title"): a.get("type") for a in root.iter(f"{ns}attribute")}
    assert declared["count"] == "long" and declared["confidence"] == "double"
    assert len(list(root.iter(f"{ns}edge"))) == len(sample.rels)


def test_snapshots_time_slice_on_event_dates(sample):
    part = slice_snapshot(sample, SliceSpec(since="2024-04", until="2024-06"))
    events = [n.props for n in part.nodes if n.label == "Event"]
    assert events and all(in_window(e["date"], "2024-04", "2024-06") for e in events)
    assert all(r.props["date"][:7] <= "2024-06" and r.props["date"] >= "2024-04"[: len(r.props["date"])]
               for r in part.rels if r.type in RELATIONS)  # fmt: skip
    reported = {r.target for r in part.rels if r.type == "REPORTS"}
    assert reported == {n.id for n in part.nodes if n.label == "Event"}
    ids = {node.id for node in part.nodes}
    assert all(r.source in ids and r.target in ids for r in part.rels)


def test_snapshots_time_slice_on_publication(sample):
    part = slice_snapshot(sample, SliceSpec(since="2025", by="published"))
    published = [n.props.get("published", "") for n in part.nodes if n.label == "Article"]
    everything = [n.props.get("published", "") for n in sample.nodes if n.label == "Article"]
    assert published and all(p >= "2025" for p in published)
    assert len(published) == sum(p >= "2025" for p in everything)


def test_snapshots_types_slice_keeps_only_those_events(sample):
    part = slice_snapshot(sample, SliceSpec(types=["MET"]))
    assert {r.type for r in part.rels if r.type in RELATIONS} == {"MET"}
    assert all(n.props["type"] == "CONSULT" for n in part.nodes if n.label == "Event")


def test_snapshots_ego_network_is_within_depth(sample):
    center = "person:vladimir-putin"
    one = slice_snapshot(sample, SliceSpec(around="Vladimir Putin", depth=1))
    two = slice_snapshot(sample, SliceSpec(around=center, depth=2))
    actors_one = {n.id for n in one.nodes if n.label in ACTOR_LABELS}
    actors_two = {n.id for n in two.nodes if n.label in ACTOR_LABELS}
    assert center in actors_one and actors_one < actors_two
    full = actor_graph(sample)
    assert actors_one <= set(nx.single_source_shortest_path_length(full, center, cutoff=1))
    assert set(full[center]) <= actors_one, "every direct counterpart is in the depth-1 ego network"


def test_snapshots_min_mentions_drops_rare_entities(sample):
    part = slice_snapshot(sample, SliceSpec(min_mentions=3))
    counts: dict[str, int] = {}
    for rel in sample.rels:
        if rel.type == "MENTIONS":
            counts[rel.target] = counts.get(rel.target, 0) + rel.props["count"]
    kept = {n.id for n in part.nodes if n.label in ENTITY_LABELS}
    assert kept == {n.id for n in sample.nodes if n.label in ENTITY_LABELS and counts.get(n.id, 0) >= 3}


def test_snapshots_unknown_actor_is_a_usage_error(cli, sample_db, tmp_path):
    result = cli("export", "--db", sample_db, "--around", "Nobody Atall", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "no actor named 'Nobody Atall'" in result.output


def test_snapshots_every_month_writes_files_and_manifest(cli, sample_db, sample, tmp_path):
    directory = tmp_path / "months"
    assert cli("snapshot", "--db", sample_db, "--every", "month", "-o", str(directory)).exit_code == 0
    manifest = json.loads((directory / "manifest.json").read_text())
    names = [p["name"] for p in manifest["periods"]]
    assert names == sorted(names) and "2024-04" in names
    for period in manifest["periods"]:
        content = (directory / period["file"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == period["sha256"]
        assert len(json.loads(content)["nodes"]) == period["nodes"]
    dates = [n.props["date"] for n in sample.nodes if n.label == "Event" and n.props.get("date")]
    monthly = {d[:7] for d in dates if len(d) >= 7}
    yearly = {d for d in dates if len(d) == 4}  # a year-only date is inside each of its months
    assert monthly <= set(names) and all(n in monthly or n[:4] in yearly for n in names)


def _tiny(relations: list[tuple[str, str, str, str]]) -> Snapshot:
    people = {s for s, _, _, _ in relations} | {t for _, _, t, _ in relations}
    nodes = [Node(id=f"person:{p}", label="Person", props={"name": p.title()}) for p in people]
    rels = [Relationship(source=f"person:{s}", type=rel, target=f"person:{t}", props={"event_id": f"ev:{n}", "date": d})
            for n, (s, rel, t, d) in enumerate(relations)]  # fmt: skip
    return Snapshot.of(nodes, rels)


def test_snapshots_diff_lists_added_and_removed(cli, tmp_path):
    from pipeline.snapshots.export import write_elements

    before = _tiny([("ann", "MET", "bob", "2024-01"), ("bob", "CALLED", "cid", "2024-01")])
    after = _tiny([("ann", "MET", "bob", "2024-01"), ("ann", "VISITED", "dan", "2024-02")])
    after.rels[-1] = after.rels[-1].model_copy(update={"props": {"event_id": "ev:new", "date": "2024-02"}})
    for name, graph in (("a.json", before), ("b.json", after)):
        write_elements(graph.nodes, graph.rels, tmp_path / name, "json")
    result = json.loads(cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json").output)
    assert [(a["change"], a["name"]) for a in result["actors"]] == [("removed", "Cid"), ("added", "Dan")]
    assert [(r["change"], r["source"], r["relation"], r["target"]) for r in result["relations"]] == [
        ("removed", "Bob", "CALLED", "Cid"),
        ("added", "Ann", "VISITED", "Dan"),
    ]


def test_snapshots_pagerank_matches_the_reference(sample):
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    graph = actor_graph(sample)
    graph.add_node("isolated:actor")  # a dangling node
    ours, reference = pagerank(graph), _pagerank_python(graph, weight="weight", tol=1e-12, max_iter=1000)
    assert ours.keys() == reference.keys()
    assert max(abs(ours[n] - reference[n]) for n in ours) < 1e-8


def test_snapshots_top_actors_ranks_and_pairs(cli, sample_db):
    result = json.loads(cli("top-actors", "--db", sample_db, "--by", "degree", "--format", "json").output)
    degrees = [a["degree"] for a in result["actors"]]
    assert degrees == sorted(degrees, reverse=True) and len(degrees) == 20
    assert [p["events"] for p in result["pairs"]] == sorted((p["events"] for p in result["pairs"]), reverse=True)
    members = [m for c in result["communities"] for m in c["members"]]
    assert len(members) == len(set(members)), "an actor is in one community"
    putin = json.loads(cli("top-actors", "--db", sample_db, "--around", "Vladimir Putin", "--format", "json").output)
    assert "Vladimir Putin" in {a["name"] for a in putin["actors"]}


def test_snapshots_read_rejects_dangling_relationships(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"nodes": [{"id": "a", "label": "Article"}],
                                "relationships": [{"source": "a", "target": "person:x", "type": "MENTIONS"}]}))  # fmt: skip
    with pytest.raises(Exception, match="points at a node the file lacks"):
        read_snapshot(path)
