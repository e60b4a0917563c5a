"""Where extraction runs: in this process, in N worker processes, or on a Dask cluster.

Every executor takes chunks of articles and yields their extraction results in input order,
so one writer can commit them in a stable order. The spaCy model is loaded once per worker.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from models import Article, ExtractionResult
from pipeline.errors import InputError, UsageError
from pipeline.nlp.extract import extract

Results = list[ExtractionResult | InputError]


class Executor(Protocol):
    """Runs extraction on chunks of articles and yields each chunk's results in input order."""

    workers: int

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[Results]: ...

    def close(self) -> None: ...


def extract_chunk(articles: list[Article], model: str | None = None, batch_size: int = 32) -> Results:
    """Extract one chunk (runs in a worker; the model is cached per process): results, and
    an InputError for each article that could not be analysed."""
    return list(extract(articles, model=model, batch_size=batch_size))


def _warm(model: str | None) -> None:
    from pipeline.nlp.model import load_model

    load_model(model)


def _exit_with_parent(parent: int) -> None:
    """End this worker when the ingest that started it is gone: killed with SIGKILL, the parent
    cannot shut its pool down, and a worker holding a 350 MB model would run on for good.
    Linux sends SIGKILL on the parent's death (PR_SET_PDEATHSIG); elsewhere, and as a second
    guard, a thread checks every second that the parent is still the one that started it."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        pass  # not Linux: the thread below does it
    if os.getppid() != parent:
        os._exit(1)  # the parent died before this worker got here

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="newsgraph-parent-watch", daemon=True).start()


def _start_worker(model: str | None, parent: int) -> None:
    """A worker process's initializer: Ctrl-C is for the parent to handle (it stops the run and
    reports what was committed); the worker dies with its parent; the model is loaded once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    _warm(model)


class LocalExecutor:
    """In this process."""

    workers = 1

    def __init__(self, model: str | None, batch_size: int):
        self.model, self.batch_size = model, batch_size

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[Results]:
        for chunk in chunks:
            yield extract_chunk(chunk, self.model, self.batch_size)

    def close(self) -> None:
        pass


class ProcessExecutor:
    """N worker processes; at most 2N chunks in flight, so memory stays flat."""

    def __init__(self, workers: int, model: str | None, batch_size: int):
        self.model, self.batch_size, self.workers = model, batch_size, workers
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(model, os.getpid()))

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[Results]:
        pending: list[Future[Results]] = []
        for chunk in chunks:
            pending.append(self.pool.submit(extract_chunk, chunk, self.model, self.batch_size))
            if len(pending) >= 2 * self.workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskExecutor:
    """The Dask distributed scheduler at `address`; each worker process loads the model once."""

    def __init__(self, address: str, model: str | None, batch_size: int):
        try:
            from distributed import Client
        except ImportError as exc:
            raise UsageError("--executor dask needs the dask extra: pip install 'newsgraph[dask]'") from exc
        self.model, self.batch_size = model, batch_size
        try:
            self.client = Client(address, timeout="10s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[Results]:
        pending: list[Any] = []
        for chunk in chunks:
            pending.append(self.client.submit(extract_chunk, chunk, self.model, self.batch_size, pure=False))
            if len(pending) >= 2 * self.workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()

    def close(self) -> None:
        self.client.close()


def make_executor(kind: str, *, workers: int, scheduler: str | None, model: str | None, batch_size: int) -> Executor:
    if kind == "dask":
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return DaskExecutor(scheduler, model, batch_size)
    if workers > 1:
        return ProcessExecutor(workers, model, batch_size)
    return LocalExecutor(model, batch_size)
