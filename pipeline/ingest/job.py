"""The batch ingest job: sources -> checks (language, duplicates, already stored) ->
extraction (local, worker processes or Dask) -> graph -> one writer to the store.

Exactly once: each batch is one store transaction, what was seen is recorded before the
batch commits, and articles already stored with the same content hash are skipped before
extraction. A run killed at any moment and started again ends with the graph a clean run
gives: no duplicate and no lost article.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from models import Article, ExtractionResult, RunSummary, Skipped
from pipeline.sources.dedup import SeenIndex
from pipeline.errors import InputError
from pipeline.ingest.executors import make_executor
from pipeline.graph.build import build_duplicate_graph, build_graph
from pipeline.sources.read import read_sources
from pipeline.store import GraphStore

Progress = Callable[[RunSummary], None]


@functools.cache
def _langid():
    import py3langid

    return py3langid


def language_of(article: Article) -> str:
    """The article's language: as declared, else detected from its text."""
    if article.language:
        return article.language.split("-")[0].lower()
    return _langid().classify((article.title + " " + article.text)[:2000])[0]


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


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_ingest(
    paths: Iterable[str],
    store: GraphStore,
    *,
    state_dir: Path,
    batch_size: int = 32,
    force: bool = False,
    fetch: bool = True,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    model: str | None = None,
    languages: tuple[str, ...] = ("en",),
    on_skip: Callable[[Skipped], None] = lambda skipped: None,
    on_progress: Progress = lambda summary: None,
) -> RunSummary:
    from pipeline.sources.fetch import Fetcher

    started = time.perf_counter()
    summary = RunSummary()
    seen = SeenIndex(state_dir / "seen.jsonl")
    fetcher = Fetcher(cache_path=state_dir / "http-cache.json")
    pool = make_executor(executor, workers=workers, scheduler=scheduler, model=model, batch_size=batch_size)
    completed = False
    try:
        for batch in _batches(read_sources(paths, fetcher, fetch_pages=fetch), batch_size):
            _ingest_batch(batch, store, seen, pool, summary, force, languages, on_skip)
            summary.seconds = time.perf_counter() - started
            on_progress(summary)
        completed = True
    finally:
        pool.close()
        fetcher.close(save=completed)
    stats = store.stats()
    summary.nodes, summary.relationships = sum(stats.nodes.values()), sum(stats.relationships.values())
    summary.seconds = time.perf_counter() - started
    return summary


def _skip(summary: RunSummary, on_skip, record: Skipped) -> None:
    setattr(summary, record.kind, getattr(summary, record.kind) + 1)
    on_skip(record)


def _ingest_batch(batch, store, seen, pool, summary, force, languages, on_skip) -> None:
    articles: list[Article] = []
    for item in batch:
        if isinstance(item, InputError):
            _skip(summary, on_skip, Skipped(source=item.where, kind="failed", reason=item.reason))
        elif (language := language_of(item)) not in languages:
            _skip(summary, on_skip, Skipped(source=item.url or item.id, kind="skipped", article_id=item.id,
                                            reason=f"language {language!r}: no model configured for it"))  # fmt: skip
        else:
            articles.append(item.model_copy(update={"language": language}))
    stored = store.known_hashes([a.id for a in articles]) if articles else {}
    fresh, graphs, records = [], [], []
    batch_ids: dict[str, str] = {}
    for article in articles:
        if article.id in batch_ids:
            if batch_ids[article.id] != article.content_hash:
                _skip(summary, on_skip, Skipped(source=article.url or article.id, kind="failed", article_id=article.id,
                                                reason="another article in this batch has the same id"))  # fmt: skip
            continue
        batch_ids[article.id] = article.content_hash
        if stored.get(article.id) == article.content_hash and not force:
            summary.unchanged += 1  # known: skipped before the costly extraction
            continue
        fingerprint = seen.fingerprint(article)
        original = seen.original_of(article, fingerprint)
        if original is not None and original[0] not in stored and original[0] not in batch_ids:
            # the original was seen but never committed (a killed run): link only to stored ones
            if not store.known_hashes([original[0]]):
                original = None
        records.append(seen.add(article, copy_of=original[0] if original else None, fingerprint=fingerprint))
        if original is not None:
            original_id, kind = original
            graphs.append(build_duplicate_graph(article, original_id, kind))
            _skip(summary, on_skip, Skipped(source=article.url or article.id, kind="duplicate", article_id=article.id,
                                            reason=f"{kind} copy of {original_id}"))  # fmt: skip
            continue
        fresh.append(article)
    chunk = max(1, len(fresh) // max(1, getattr(pool, "workers", 1)))
    for results in pool.map(_batches(fresh, chunk)):
        for result in results:
            if isinstance(result, ExtractionResult):
                graphs.append(build_graph(result))
            else:
                _skip(summary, on_skip, Skipped(source=result.where, kind="failed", reason=result.reason))
    seen.save(records)  # before the commit: a kill in between leaves nothing half-known
    report = store.write(graphs, force=force)
    extracted = {a.id for a in fresh}
    for article_id, outcome in report.outcomes.items():
        if article_id in extracted:
            setattr(summary, outcome, getattr(summary, outcome) + 1)
