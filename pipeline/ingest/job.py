"""The batch ingest job: sources are read and cut into batches; each batch goes through the
typed steps of `pipeline.ingest.steps` (screen, deduplicate, extract, write) with one writer.

Exactly once: each batch is one store transaction, what was seen is recorded before the
batch commits, and articles already stored with the same content hash are skipped before
extraction. A run killed at any moment and started again ends with the graph a clean run
gives: no duplicate and no lost article.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models import Article, RunSummary, Skipped
from pipeline.errors import InputError
from pipeline.ingest import steps
from pipeline.ingest.executors import Executor, make_executor
from pipeline.nlp.fingerprint import extractor_fingerprint
from pipeline.sources.dedup import SeenIndex
from pipeline.sources.read import read_sources
from pipeline.store import GraphStore


class IngestOptions(BaseModel):
    """How an ingest runs; the CLI's options, typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: int = Field(default=32, ge=1)
    force: bool = False
    fetch: bool = True
    workers: int = Field(default=1, ge=1)
    executor: str = "local"
    scheduler: str | None = None
    model: str | None = None
    languages: tuple[str, ...] = ("en",)
    allow_private_addresses: bool = False  # URLs from fetched documents may reach intranet hosts


def state_dir_for(target: str) -> Path:
    """Where run state lives: beside the embedded store, or under ~/.newsgraph/ for a server,
    one folder per server and database."""
    if "://" in target:
        import os
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        key = f"{parts.hostname}_{parts.port or 7687}_{os.environ.get('NEO4J_DATABASE') or 'default'}"
        safe = "".join(c if c.isalnum() else "_" for c in key)
        return Path.home() / ".newsgraph" / safe
    return Path(f"{target}.state")


def run_ingest(
    paths: Iterable[str],
    store: GraphStore,
    *,
    state_dir: Path,
    options: IngestOptions | None = None,
    on_skip: Callable[[Skipped], None] = lambda skipped: None,
    on_progress: Callable[[RunSummary], None] = lambda summary: None,
) -> RunSummary:
    """Ingest every source into `store`. The run state in `state_dir` is never read as input,
    even when it lies in a directory ingested (`newsgraph ingest .` with the default store)."""
    from pipeline.sources.fetch import Fetcher

    options = options or IngestOptions()
    started = time.perf_counter()
    summary = RunSummary()
    seen = SeenIndex(state_dir / "seen.jsonl")
    fetcher = Fetcher(cache_path=state_dir / "http-cache.json", allow_private=options.allow_private_addresses)
    executor = make_executor(options.executor, workers=options.workers, scheduler=options.scheduler,
                             model=options.model, batch_size=options.batch_size)  # fmt: skip
    extractor = extractor_fingerprint(options.model)  # stored facts of another extractor are stale
    completed = False
    try:
        items = read_sources(paths, fetcher, fetch_pages=options.fetch, exclude=[state_dir])
        in_run: dict[str, tuple[str, str]] = {}
        for batch in steps.batches(items, options.batch_size):
            prepared = _prepare_batch(batch, store, seen, executor, options, in_run, extractor)
            with _ctrl_c_waits():  # a batch is committed and counted, or neither
                tally, records = _commit_batch(prepared, store, seen, options)
                for name, count in tally.items():
                    setattr(summary, name, getattr(summary, name) + count)
            for record in records:
                on_skip(record)
            summary.seconds = time.perf_counter() - started
            on_progress(summary)
        completed = True
    except KeyboardInterrupt:
        # Ctrl-C: the batch in flight rolled back; the summary tells what the batches before it
        # committed, and the same command run again goes on from there.
        summary.interrupted = True
    finally:
        executor.close()
        fetcher.close(save=completed)
    stats = store.stats()
    summary.nodes, summary.relationships = sum(stats.nodes.values()), sum(stats.relationships.values())
    summary.seconds = time.perf_counter() - started
    return summary


@contextlib.contextmanager
def _ctrl_c_waits() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) until the block is done, then raise it: the summary then counts
    exactly the batches the store committed. Only the main thread can handle signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


@dataclass
class _Prepared:
    screened: steps.Screened
    deduplicated: steps.Deduplicated
    extracted: steps.Extracted


def _prepare_batch(batch: Sequence[Article | InputError], store: GraphStore, seen: SeenIndex, executor: Executor,
                   options: IngestOptions, in_run: dict[str, tuple[str, str]], extractor: str) -> _Prepared:  # fmt: skip
    """Screen, deduplicate and extract one batch: nothing is written yet."""
    screened = steps.screen(batch, options.languages)
    deduplicated = steps.deduplicate(screened.articles, store, seen, force=options.force, extractor=extractor,
                                     in_run=in_run)  # fmt: skip
    return _Prepared(screened, deduplicated, steps.extract(deduplicated.fresh, executor))


def _commit_batch(prepared: _Prepared, store: GraphStore, seen: SeenIndex,
                  options: IngestOptions) -> tuple[Counter[str], list[Skipped]]:  # fmt: skip
    """Write one prepared batch; its counts and its reported items."""
    deduplicated, extracted = prepared.deduplicated, prepared.extracted
    records = prepared.screened.skipped + deduplicated.skipped + extracted.skipped
    report = steps.write(store, seen, deduplicated.seen, deduplicated.copies + extracted.graphs, force=options.force)
    tally = Counter("warnings" if record.kind == "warning" else record.kind for record in records)
    tally["unchanged"] += deduplicated.unchanged
    extracted_ids = {a.id for a in deduplicated.fresh}
    tally.update(outcome for article_id, outcome in report.outcomes.items() if article_id in extracted_ids)
    return tally, records
