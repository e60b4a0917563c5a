"""Near-duplicate benchmark: N near-identical items (one wire story, one word changed per copy).

    python bench/dedup_bench.py --items 1000 2000 10000        # the SeenIndex alone
    python bench/dedup_bench.py --items 1000 --cli             # `newsgraph ingest --no-fetch` on a feed

The first item is an original and every other one a near copy of it, so an index that compares
each item with every earlier copy does quadratic work; a bounded one stays linear. The index
mode times what `ingest` does per item before extraction (fingerprint, original_of, add); the
CLI mode times the whole command, extraction of the one original and the writes included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Article  # noqa: E402
from pipeline.sources.dedup import SeenIndex  # noqa: E402

STORY = (
    "The European Union adopted its thirteenth package of sanctions against Russia on Friday, on the eve of the "
    "second anniversary of the full-scale invasion of Ukraine, adding nearly two hundred companies and individuals "
    "to its lists. The measures target firms in China, India and Turkey accused of helping Moscow obtain drones and "
    "electronic components for its weapons, officials in Brussels said. Josep Borrell, the bloc's foreign policy "
    "chief, said the package showed that Europe remained united in its support for Kyiv. Hungary had delayed the "
    "agreement for several days before dropping its objections, diplomats said. The United States and Britain "
    "announced their own sanctions on the same day, targeting more than five hundred entities linked to the Russian "
    "military and its suppliers abroad. Russian officials dismissed the measures as illegitimate and said they "
    "would only strengthen the country's economy in the long run, according to state media reports. "
)


def items(count: int) -> list[Article]:
    words = STORY.split()
    out = []
    for index in range(count):
        changed = list(words)
        changed[(index * 7) % len(words)] = f"word{index}"  # one word differs: a near copy
        out.append(Article(id=f"copy-{index:05d}", title="EU adopts new sanctions", text=" ".join(changed)))
    return out


def bench_index(count: int) -> None:
    articles = items(count)
    seen = SeenIndex(None)
    started = time.perf_counter()
    copies = 0
    for article in articles:
        fingerprint = seen.fingerprint(article)
        original = seen.original_of(article, fingerprint)
        copies += original is not None
        seen.add(article, copy_of=original[0] if original else None, fingerprint=fingerprint)
    seconds = time.perf_counter() - started
    print(f"index: {count:6d} items  {seconds:8.2f} s  {count / seconds:8.0f} items/s  ({copies} near copies found)")


def bench_cli(count: int) -> None:
    entries = "".join(
        f"<item><title>{escape(a.title)}</title><link>https://wire.test/story/{i}</link>"
        f"<description>{escape(a.text)}</description></item>"
        for i, a in enumerate(items(count))
    )
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "wire.rss"
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>')
        newsgraph = str(Path(sys.executable).parent / "newsgraph")
        started = time.perf_counter()
        result = subprocess.run([newsgraph, "ingest", str(feed), "--db", str(Path(tmp) / "g.db"), "--no-fetch",
                                 "--quiet", "--json"], capture_output=True, text=True, check=False)  # fmt: skip
        seconds = time.perf_counter() - started
    print(f"cli:   {count:6d} items  {seconds:8.2f} s  exit {result.returncode}  {result.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--cli", action="store_true", help="Time the whole `newsgraph ingest --no-fetch` command.")
    args = parser.parse_args()
    for count in args.items:
        (bench_cli if args.cli else bench_index)(count)


if __name__ == "__main__":
    main()
