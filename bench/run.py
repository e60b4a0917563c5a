"""newsgraph benchmarks: ratios measured side by side in one process run.

    python bench/run.py                 # everything, a few minutes on 2 cores
    python bench/run.py --only extract  # pipeline vs bare spaCy
    python bench/run.py --only write    # relationships/s into LadybugDB and, with NEO4J_URI, Neo4j
    make bench                          # all of it, with a private Neo4j when java and mvn are there

Machines here are shared and noisy, so every figure that matters is a ratio of two runs made
back to back on the same input: the pipeline against bare `nlp.pipe`, one batch size against
another.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Article, ArticleGraph, Node, Relationship  # noqa: E402
from pipeline.nlp.components import ENTITY_REPAIR  # noqa: E402
from pipeline.nlp.extract import extract  # noqa: E402
from pipeline.nlp.model import load_model  # noqa: E402
from pipeline.sources.clean import clean  # noqa: E402
from pipeline.sources.read import read_sources  # noqa: E402
from pipeline.store import open_store  # noqa: E402


def corpus(copies: int) -> list[Article]:
    """The samples and both evaluation sets, repeated with distinct ids and publication dates
    (so neither deduplication nor a cached date shortens the work)."""
    import datetime as dt

    sources = [ROOT / "samples", ROOT / "tests" / "heldout" / "articles.jsonl", ROOT / "tests" / "blind" / "articles.jsonl"]
    base = [a for a in read_sources(sources) if isinstance(a, Article)]
    return [
        a.model_copy(update={"id": f"{a.id}#{i}", "published": (a.published_date or dt.date(2025, 1, 1)) + dt.timedelta(days=i)})
        for i in range(copies) for a in base
    ]  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_extract(copies: int, batch_size: int) -> None:
    articles = corpus(copies)
    words = sum(len((a.title + " " + a.text).split()) for a in articles)
    nlp = load_model()
    texts = [clean(a).text for a in articles]
    # Warm both up, so one-time costs (model, gazetteer and lexicon loading) stay out of the
    # steady-state rates compared here.
    list(nlp.pipe(texts[:20], batch_size=batch_size))
    list(extract(articles[:4], batch_size=batch_size))

    gc.collect()
    started = time.perf_counter()
    with nlp.select_pipes(disable=[ENTITY_REPAIR]):  # bare: spaCy's own components only
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
    bare = time.perf_counter() - started

    gc.collect()
    started = time.perf_counter()
    results = list(extract(articles, batch_size=batch_size))
    full = time.perf_counter() - started
    events = sum(len(r.events) for r in results)

    print(f"extract: {len(articles)} articles, {words} words, batch {batch_size}, 1 process")
    print(f"  bare spaCy nlp.pipe : {len(articles) / bare:8.1f} articles/s  {words / bare:9.0f} words/s")
    print(f"  newsgraph extract   : {len(articles) / full:8.1f} articles/s  {words / full:9.0f} words/s  ({events} events)")
    print(f"  ratio pipeline/bare : {bare / full:.2f}  (target >= 0.8)")
    print(f"  peak RSS            : {peak_rss_mb():.0f} MB")


def bench_workers(copies: int, batch_size: int) -> None:
    """The same extraction on 1 and on 2 worker processes (the executors `ingest` uses)."""
    from pipeline.ingest.executors import LocalExecutor, ProcessExecutor

    articles = corpus(copies)
    chunks = [articles[i : i + batch_size] for i in range(0, len(articles), batch_size)]
    rates = {}
    for workers in (1, 2):
        pool = LocalExecutor(None, batch_size) if workers == 1 else ProcessExecutor(workers, None, batch_size)
        if workers > 1:
            list(pool.map([articles[:workers]]))  # start the workers and load their models
        started = time.perf_counter()
        done = sum(len(results) for results in pool.map(chunks))
        rates[workers] = done / (time.perf_counter() - started)
        pool.close()
    print(f"workers: {len(articles)} articles, chunks of {batch_size}")
    print(f"  1 worker : {rates[1]:6.1f} articles/s")
    print(f"  2 workers: {rates[2]:6.1f} articles/s   ratio {rates[2] / rates[1]:.2f} (target >= 1.7 on 2 cores)")


def bench_memory(copies: int) -> None:
    """Peak memory of a whole extraction run for a corpus and for one four times larger,
    each in a fresh process: streaming keeps it flat."""
    import subprocess

    peaks = {}
    for size in (copies, copies * 4):
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r});"
                "import resource; from run import corpus; from pipeline.ingest.executors import LocalExecutor;"
                f"articles = corpus({size}); pool = LocalExecutor(None, 32);"
                "n = sum(len(r) for r in pool.map(articles[i:i+32] for i in range(0, len(articles), 32)));"
                "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")  # fmt: skip
        out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
        count, peak = out.stdout.split()[-2:]
        peaks[size] = (int(count), int(peak))
    small, large = peaks[copies], peaks[copies * 4]
    print(f"memory: {small[0]} articles peak {small[1]} MB; {large[0]} articles peak {large[1]} MB; "
          f"ratio {large[1] / small[1]:.2f} for 4x the articles (the corpus itself is held in memory here)")


def synthetic_graphs(articles: int, mentions: int) -> list[ArticleGraph]:
    """Article graphs with `mentions` MENTIONS each, over a shared pool of people."""
    graphs = []
    pool = max(mentions * 4, 200)
    for a in range(articles):
        article = Node(id=f"art-{a}", label="Article", props={"content_hash": f"h{a}"})
        people = [f"person:p{(a * 7 + m) % pool}" for m in range(mentions)]
        nodes = [article] + [Node(id=p, label="Person", props={"name": p, "type": "PERSON"}) for p in dict.fromkeys(people)]
        rels = [
            Relationship(type="MENTIONS", source=article.id, target=p,
                         props={"count": 1, "first_offset": m, "field": "text", "surface": p, "aliases": []})
            for m, p in enumerate(people)
        ]  # fmt: skip
        graphs.append(ArticleGraph(article_id=article.id, nodes=nodes, relationships=rels))
    return graphs


def _write_rate(target: str, graphs: list[ArticleGraph], articles_per_batch: int) -> tuple[float, int]:
    """Relationships per second writing `graphs` into an empty store, one transaction per
    `articles_per_batch` articles; and how many MENTIONS the store then holds."""
    with open_store(target) as store:
        if "://" in target:
            store.query("MATCH (n) DETACH DELETE n", write=True)
        started = time.perf_counter()
        for start in range(0, len(graphs), articles_per_batch):
            store.write(graphs[start : start + articles_per_batch])
        elapsed = time.perf_counter() - started
        written = store.stats().relationships.get("MENTIONS", 0)
    return written / elapsed, written


def bench_write(relationships: int, batch_sizes: list[int], repeats: int) -> None:
    """Both stores on the same synthetic graphs, interleaved (LadybugDB, Neo4j, LadybugDB, …)
    and repeated, so a noisy moment of the machine hits both: the median and the best run."""
    import statistics

    mentions = 20
    graphs = synthetic_graphs(relationships // mentions, mentions)
    targets = [("ladybug", None)]
    if os.environ.get("NEO4J_URI"):
        targets.append(("neo4j", os.environ["NEO4J_URI"]))
    else:
        print("write: no NEO4J_URI, LadybugDB only (make bench starts a Neo4j when java and mvn are there)")
    for _, uri in targets:  # warm-up, not measured: a fresh server's JIT, LadybugDB's first table files
        directory = tempfile.mkdtemp()
        _write_rate(uri or os.path.join(directory, "bench.db"), graphs, 100)
        shutil.rmtree(directory, ignore_errors=True)
    rates: dict[tuple[str, int], list[float]] = {}
    for _ in range(repeats):
        for articles_per_batch in batch_sizes:
            for name, uri in targets:
                directory = tempfile.mkdtemp()
                rate, written = _write_rate(uri or os.path.join(directory, "bench.db"), graphs, articles_per_batch)
                shutil.rmtree(directory, ignore_errors=True)
                assert written == len(graphs) * mentions, (name, written)
                rates.setdefault((name, articles_per_batch), []).append(rate)
    print(f"write: {len(graphs)} articles x {mentions} MENTIONS = {len(graphs) * mentions} relationships, "
          f"relationships/s, median and best of {repeats}")  # fmt: skip
    header = "".join(f"  {name:>8s} median     best" for name, _ in targets)
    print(f"  batch (articles, rels){header}" + ("   neo4j/ladybug" if len(targets) > 1 else ""))
    for articles_per_batch in batch_sizes:
        cells, medians = "", []
        for name, _ in targets:
            runs = rates[(name, articles_per_batch)]
            medians.append(statistics.median(runs))
            cells += f"  {medians[-1]:15.0f} {max(runs):8.0f}"
        ratio = f"   {medians[1] / medians[0]:13.2f}" if len(medians) > 1 else ""
        print(f"  {articles_per_batch:5d} ({articles_per_batch * mentions:6d} rels)  {cells}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["extract", "write", "workers", "memory"])
    parser.add_argument("--copies", type=int, default=4, help="Times the corpus is repeated.")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--relationships", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3, help="Runs of each write measurement.")
    args = parser.parse_args()
    if args.only in (None, "extract"):
        bench_extract(args.copies, args.batch_size)
    if args.only in (None, "workers"):
        bench_workers(args.copies, args.batch_size)
    if args.only in (None, "memory"):
        bench_memory(args.copies)
    if args.only in (None, "write"):
        bench_write(args.relationships, [10, 100, 500, 1000], args.repeats)


if __name__ == "__main__":
    main()
