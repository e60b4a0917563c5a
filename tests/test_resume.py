"""Exactly once: a real `newsgraph ingest` killed with SIGKILL mid-run and started again ends
with the graph a clean run gives, and worker processes or a Dask cluster give that graph too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.store import open_store
from tests.conftest import ROOT, SAMPLES

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")


def _corpus(tmp_path: Path) -> Path:
    """The samples and the held-out articles: distinct stories, so each is really extracted."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SAMPLES.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
        (corpus / path.with_suffix(".json").name).write_bytes(path.with_suffix(".json").read_bytes())
    (corpus / "wire.jsonl").write_bytes((SAMPLES / "wire.jsonl").read_bytes())
    (corpus / "heldout.jsonl").write_bytes((ROOT / "tests" / "heldout" / "articles.jsonl").read_bytes())
    return corpus


def _graph(db: str) -> tuple[list, list]:
    with open_store(db, read_only=True) as store:
        return list(store.nodes()), list(store.relationships())


def _ingest(corpus: Path, db: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSGRAPH, "ingest", str(corpus), "--db", db, "--batch-size", "2", "--quiet", "--json", *extra],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    corpus = _corpus(tmp)
    db = str(tmp / "clean.db")
    result = _ingest(corpus, db)
    assert result.returncode == 0, result.stderr
    return corpus, _graph(db), json.loads(result.stdout)


def _kill_when_seen(process: subprocess.Popen, seen: Path, articles: int, extra_delay: float) -> None:
    """SIGKILL the run once it has recorded `articles` articles (a batch is about to commit
    or has just committed), after `extra_delay` more seconds: mid-batch, mid-write or between."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if seen.exists() and len(seen.read_text().splitlines()) >= articles:
            break
        time.sleep(0.01)
    time.sleep(extra_delay)
    os.kill(process.pid, signal.SIGKILL)


@pytest.mark.parametrize(("articles", "extra_delay"), [(2, 0.0), (6, 0.15), (12, 0.4)])
def test_resume_after_sigkill_gives_the_clean_graph(clean_run, tmp_path, articles, extra_delay):
    corpus, clean_graph, clean_summary = clean_run
    db = str(tmp_path / "killed.db")
    process = subprocess.Popen([NEWSGRAPH, "ingest", str(corpus), "--db", db, "--batch-size", "2", "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    _kill_when_seen(process, Path(f"{db}.state") / "seen.jsonl", articles, extra_delay)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    resumed = _ingest(corpus, db)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["new"] + summary["unchanged"] == clean_summary["new"]
    if articles >= 6:
        assert summary["unchanged"] >= 2, "the killed run had committed batches that the rerun skips"
    assert _graph(db) == clean_graph


def test_two_worker_processes_give_the_same_graph(clean_run, tmp_path):
    corpus, clean_graph, _ = clean_run
    db = str(tmp_path / "workers.db")
    result = _ingest(corpus, db, "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert _graph(db) == clean_graph


def test_dask_local_cluster_gives_the_same_graph(clean_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    corpus, clean_graph, _ = clean_run
    db = str(tmp_path / "dask.db")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = _ingest(corpus, db, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.returncode == 0, result.stderr
    assert _graph(db) == clean_graph


def test_dask_without_scheduler_is_a_usage_error(cli, db_path):
    result = cli("ingest", str(SAMPLES), "--db", db_path, "--executor", "dask")
    assert result.exit_code == 2 and "--scheduler" in result.output


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the worker processes")
def test_workers_exit_when_the_ingest_is_killed(clean_run, tmp_path):
    corpus = clean_run[0]
    process = subprocess.Popen([NEWSGRAPH, "ingest", str(corpus), "--db", str(tmp_path / "w.db"), "--workers", "2",
                                "--batch-size", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None and len(workers) < 2:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the run ended before its workers could be seen"
    time.sleep(1.0)  # let them get into their initializer and load the model
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"worker processes {survivors} outlived the killed ingest"


def test_ctrl_c_prints_what_was_committed_and_exits_130(clean_run, tmp_path):
    corpus, clean_graph, _ = clean_run
    db = str(tmp_path / "interrupted.db")
    process = subprocess.Popen([NEWSGRAPH, "ingest", str(corpus), "--db", db, "--batch-size", "2", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    seen = Path(f"{db}.state") / "seen.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if seen.exists() and len(seen.read_text().splitlines()) >= 4:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    summary = json.loads(stdout)
    assert summary["interrupted"] and summary["new"] >= 2 and "Aborted" not in stderr
    assert "interrupted: the summary counts the batches committed" in stderr
    with open_store(db, read_only=True) as store:
        [[articles]] = store.query("MATCH (a:Article) RETURN count(a)").rows
    assert articles == summary["new"] + summary["duplicate"]  # the counts are what the store holds
    resumed = _ingest(corpus, db)
    assert resumed.returncode == 0, resumed.stderr
    assert _graph(db) == clean_graph
