"""Write rates of two versions of the store code in one run: before and after a change.

    git archive 9405f14 | tar -x -C /tmp/before          # the older tree, anywhere
    python bench/compare_write.py /tmp/before [--repeats 4] [--before-without-rust]

Each measurement is a process of its own (a tree's `pipeline` is imported from that tree), the
two versions interleaved on the same synthetic graphs as `bench/run.py --only write`, on
LadybugDB and, with NEO4J_URI, on that Neo4j server (emptied before each run), after one
unmeasured warm-up per version and store. `--before-without-rust` hides the driver's Rust
packstream from the older tree, as it ran before neo4j-rust-ext was a dependency.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCHES = (10, 100, 500, 1000)


def measure(tree: str, store_name: str, batch: int, without_rust: bool) -> None:
    """Child process: one write of 1,000 articles x 20 MENTIONS; prints relationships/s."""
    if without_rust:

        class HideRust:
            def find_spec(self, name, path=None, target=None):
                if name == "neo4j._rust" or name.startswith("neo4j._rust."):
                    raise ImportError("hidden by compare_write.py")

        sys.meta_path.insert(0, HideRust())  # type: ignore[arg-type]
    sys.path[:0] = [tree, os.path.join(tree, "bench")]
    import logging

    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    from run import synthetic_graphs

    from pipeline.store import open_store

    graphs = synthetic_graphs(1000, 20)
    directory = tempfile.mkdtemp()
    target = os.environ["NEO4J_URI"] if store_name == "neo4j" else os.path.join(directory, "bench.db")
    with open_store(target) as store:
        if store_name == "neo4j":
            try:
                store.query("MATCH (n) DETACH DELETE n", write=True)
            except TypeError:  # a version whose query() has no write flag
                store.query("MATCH (n) DETACH DELETE n")
        started = time.perf_counter()
        for start in range(0, len(graphs), batch):
            store.write(graphs[start : start + batch])
        elapsed = time.perf_counter() - started
        written = store.stats().relationships.get("MENTIONS", 0)
    shutil.rmtree(directory, ignore_errors=True)
    if written != 20000:
        raise SystemExit(f"wrote {written} MENTIONS, not 20000")
    print(f"{written / elapsed:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", nargs="?", help="the older tree (a checkout or a git archive of it)")
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--before-without-rust", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("TREE", "STORE", "BATCH"), help=argparse.SUPPRESS)
    parser.add_argument("--without-rust", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child[0], args.child[1], int(args.child[2]), args.without_rust)
        return
    if not args.before:
        parser.error("name the older tree")
    versions = {"before": (str(Path(args.before).resolve()), args.before_without_rust), "after": (str(HERE.parent), False)}
    stores = ["ladybug"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])

    def one(version: str, store: str, batch: int) -> float:
        tree, without_rust = versions[version]
        command = [sys.executable, __file__, "--child", tree, store, str(batch)] + (["--without-rust"] if without_rust else [])
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{version} {store} batch {batch} failed:\n{done.stderr[-2000:]}")
        return float(done.stdout.split()[-1])

    for store in stores:
        for version in versions:
            one(version, store, 1000)  # warm-up
    rates: dict[tuple[str, str, int], list[float]] = {}
    for _ in range(args.repeats):
        for batch in BATCHES:
            for store in stores:
                for version in versions:
                    rates.setdefault((version, store, batch), []).append(one(version, store, batch))
    print(f"relationships/s, median (best) of {args.repeats} interleaved runs, 1000 articles x 20 MENTIONS")
    print("  batch" + "".join(f" | {store + ' ' + version:>17s}" for store in stores for version in versions))
    for batch in BATCHES:
        cells = []
        for store in stores:
            for version in versions:
                runs = rates[(version, store, batch)]
                cells.append(f"{statistics.median(runs):8.0f} ({max(runs):6.0f})")
        print(f"  {batch:5d}" + "".join(f" | {cell:>17s}" for cell in cells))


if __name__ == "__main__":
    main()
