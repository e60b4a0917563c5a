"""Export benchmark: a synthetic store of ~100k nodes, exported in every streaming format.

    python bench/export_bench.py                  # 100k nodes, ~230k relationships
    python bench/export_bench.py --nodes 20000    # quicker

For each format it prints the wall time (untraced run) and the peak of Python allocations during the export
(tracemalloc), next to the peak of building the whole snapshot in memory (what a sliced export
or `load` does), so "streams with memory bounded" is a measured ratio, not a claim. LadybugDB's
own buffers are outside tracemalloc; the process's peak RSS is printed at the end.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import ArticleGraph, Node, Relationship  # noqa: E402
from pipeline.snapshots.elements import Snapshot  # noqa: E402
from pipeline.snapshots.export import write_snapshot  # noqa: E402
from pipeline.store import open_store  # noqa: E402

FORMATS = ("json", "cytoscape", "graphml", "gexf", "neo4j-csv", "cypher")
PEOPLE, EVENTS = 25, 20  # per article: 1 + 25 + 20 = 46 nodes, 25 + 20 + 40 + 20 = 105 relationships


def article_graph(index: int) -> ArticleGraph:
    """One synthetic article shaped like pipeline.graph.build builds them."""
    article = f"bench-{index:06d}"
    month = f"2024-{index % 12 + 1:02d}"
    nodes = [Node(id=article, label="Article", props={
        "url": f"https://example.org/{index}", "title": f"Article {index}", "source": "bench",
        "published": f"{month}-01", "content_hash": f"h{index}", "language": "en"})]  # fmt: skip
    rels: list[Relationship] = []
    people = [f"person:p{index}-{k}" for k in range(PEOPLE)]
    for k, person in enumerate(people):
        nodes.append(Node(id=person, label="Person", props={"name": f"Person {index}-{k}", "type": "PERSON"}))
        rels.append(Relationship(type="MENTIONS", source=article, target=person, props={
            "count": k % 5 + 1, "first_offset": k * 10, "field": "text", "surface": f"P{k}", "aliases": [f"P{k}"]}))  # fmt: skip
    for k in range(EVENTS):
        event = f"ev:{index}-{k}"
        source, target = people[k], people[(k + 1) % PEOPLE]
        date = f"{month}-{k % 28 + 1:02d}"
        nodes.append(Node(id=event, label="Event", props={
            "type": "CONSULT", "mode": "meet", "status": "happened", "date": date, "confidence": 0.9}))  # fmt: skip
        rels += [
            Relationship(type="REPORTS", source=article, target=event, props={
                "sentence": f"Person {index}-{k} met Person {index}-{k + 1}.", "field": "text",
                "start_offset": k * 40, "end_offset": k * 40 + 30, "trigger": "met", "trigger_start": k * 40 + 12,
                "trigger_end": k * 40 + 15, "confidence": 0.9}),
            Relationship(type="SOURCE", source=event, target=source),
            Relationship(type="TARGET", source=event, target=target),
            Relationship(type="MET", source=source, target=target, props={
                "event_id": event, "event_type": "CONSULT", "mode": "meet", "status": "happened", "date": date}),
        ]  # fmt: skip
    return ArticleGraph(article_id=article, nodes=nodes, relationships=rels)


def build_store(path: str, nodes: int) -> float:
    articles = max(1, nodes // (1 + PEOPLE + EVENTS))
    started = time.perf_counter()
    with open_store(path) as store:
        for start in range(0, articles, 200):
            store.write([article_graph(i) for i in range(start, min(articles, start + 200))])
    return time.perf_counter() - started


def measure(label: str, work) -> None:
    """Time one run, then trace a second: tracemalloc slows Python down several times."""
    gc.collect()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<22} {elapsed:7.2f} s   peak Python heap {peak / 2**20:7.1f} MiB   {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        print(f"building a store of ~{args.nodes} nodes: {build_store(db, args.nodes):.1f} s")
        with open_store(db, read_only=True) as store:
            stats = store.stats()
            print(f"nodes {sum(stats.nodes.values())}, relationships {sum(stats.relationships.values())}\n")
            measure("in-memory snapshot", lambda: len(Snapshot.from_store(store).rels))
            for fmt in FORMATS:
                target = Path(tmp) / f"out.{fmt}"
                measure(f"export {fmt}", lambda target=target, fmt=fmt: write_snapshot(store, target, fmt))
    print(f"\npeak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
