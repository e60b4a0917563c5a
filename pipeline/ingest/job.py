"""The batch ingest job: sources are read and cut into batches; each batch goes through the
typed steps of `pipeline.ingest.steps` (screen, deduplicate, extract, write) with one writer.

Exactly once: each batch is one store transaction, what was seen is recorded before the
batch commits, and articles already stored with the same content hash are skipped before
extraction. A run killed at any moment and started again ends with the graph a clean run
gives: no duplicate and no lost article.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models import Article, RunSummary, Skipped
from pipeline.errors import InputError
from pipeline.ingest import steps
from pipeline.ingest.executors import Executor, make_executor
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
    completed = False
    try:
        items = read_sources(paths, fetcher, fetch_pages=options.fetch, exclude=[state_dir])
        in_run: dict[str, tuple[str, str]] = {}
        for batch in steps.batches(items, options.batch_size):
            _ingest_batch(batch, store, seen, executor, options, summary, on_skip, in_run)
            summary.seconds = time.perf_counter() - started
            on_progress(summary)
        completed = True
    finally:
        executor.close()
        fetcher.close(save=completed)
    stats = store.stats()
    summary.nodes, summary.relationships = sum(stats.nodes.values()), sum(stats.relationships.values())
    summary.seconds = time.perf_counter() - started
    return summary


def _ingest_batch(batch: Sequence[Article | InputError], store: GraphStore, seen: SeenIndex, executor: Executor,
                  options: IngestOptions, summary: RunSummary, on_skip: Callable[[Skipped], None],
                  in_run: dict[str, tuple[str, str]]) -> None:  # fmt: skip
    screened = steps.screen(batch, options.languages)
    deduplicated = steps.deduplicate(screened.articles, store, seen, force=options.force, in_run=in_run)
    extracted = steps.extract(deduplicated.fresh, executor)
    for record in screened.skipped + deduplicated.skipped + extracted.skipped:
        counter = "warnings" if record.kind == "warning" else record.kind
        setattr(summary, counter, getattr(summary, counter) + 1)
        on_skip(record)
    summary.unchanged += deduplicated.unchanged
    report = steps.write(store, seen, deduplicated.seen, deduplicated.copies + extracted.graphs, force=options.force)
    extracted_ids = {a.id for a in deduplicated.fresh}
    for article_id, outcome in report.outcomes.items():
        if article_id in extracted_ids:
            setattr(summary, outcome, getattr(summary, outcome) + 1)
