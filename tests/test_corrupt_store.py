"""A damaged store makes every command fail fast with one line that says so and what to do;
it never spins, crashes or prints a traceback. Run through the real `newsgraph` command."""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.graph.build import build_graph
from pipeline.store import open_store

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")
PAGE = 4096
REMEDY = "restore it from a backup, or rebuild it"


@pytest.fixture(scope="module")
def good_store(tmp_path_factory, seed_result) -> Path:
    target = tmp_path_factory.mktemp("good") / "good.db"
    with open_store(str(target)) as store:
        store.write([build_graph(seed_result)])
    return target


def _random_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _overwrite(path: Path, page: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(page * PAGE)
        handle.write(data)


def _metadata_start(path: Path) -> int:
    """The first page of the metadata the header points at (catalog and metadata come last)."""
    return struct.unpack_from("<I", path.read_bytes()[:32], 20)[0]


def _damage(store: Path, how: str) -> None:
    pages = store.stat().st_size // PAGE
    if how == "random file":  # 200 KB of random bytes where the store was
        store.write_bytes(_random_bytes(200 * 1024, 1))
    elif how.startswith("200 KB at "):  # ... written into the store's data pages
        fraction = {"1/3": 1 / 3, "4/7": 4 / 7}[how.removeprefix("200 KB at ")]
        _overwrite(store, int(pages * fraction), _random_bytes(200 * 1024, 2))
    elif how == "metadata pages":
        _overwrite(store, _metadata_start(store) + 70, _random_bytes(3 * PAGE, 3))
    elif how == "truncated":
        with store.open("r+b") as handle:
            handle.truncate(store.stat().st_size // 2)
    elif how == "empty":
        store.write_bytes(b"")
    elif how == "directory":
        store.unlink()
        store.mkdir()
        (store / "data").write_bytes(_random_bytes(200 * 1024, 4))
    else:
        raise AssertionError(how)


def _run(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([NEWSGRAPH, *args], capture_output=True, text=True, timeout=120, check=False)
    return result, time.monotonic() - started


DAMAGE = {
    "random file": "is not a newsgraph store",
    "200 KB at 1/3": "is corrupt",
    "200 KB at 4/7": "is corrupt",
    "metadata pages": "is corrupt",
    "truncated": "is truncated",
    "empty": "is empty (0 bytes), not a newsgraph store",
    "directory": "is a directory, not a newsgraph store",
}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_stats_on_a_damaged_store_fails_fast_with_one_line(good_store, tmp_path, how):
    store = tmp_path / "damaged.db"
    shutil.copy(good_store, store)
    _damage(store, how)
    result, elapsed = _run("stats", "--db", str(store))
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {store} {DAMAGE[how]}"), line
    if how != "directory":
        assert REMEDY in line or "pass the right --db" in line, line
    assert elapsed < 20, f"{elapsed:.1f} s"


@pytest.mark.parametrize("command", [["export", "-o", "{tmp}/g.json"], ["actors"], ["query", "MATCH (n) RETURN count(n)"],
                                     ["top-actors"], ["load", "{tmp}/in.json"], ["ingest", "{tmp}/in.jsonl"]])  # fmt: skip
def test_every_command_refuses_a_store_that_spins(good_store, tmp_path, command):
    (tmp_path / "in.json").write_text('{"nodes": [], "relationships": []}')
    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": "Vladimir Putin met Xi Jinping on Tuesday."}\n')
    store = tmp_path / "damaged.db"
    shutil.copy(good_store, store)
    _damage(store, "200 KB at 4/7")
    before = store.read_bytes()
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result, elapsed = _run(*args, "--db", str(store))
    assert result.returncode == 1 and result.stderr.splitlines()[-1].startswith(f"error: {store} is corrupt"), result.stderr
    assert elapsed < 20, f"{elapsed:.1f} s"
    assert store.read_bytes() == before, "a corrupt store is not written to"
    assert not (tmp_path / "g.json").exists()


def test_a_healthy_store_is_checked_once_per_change(good_store, tmp_path, monkeypatch):
    from pipeline.store import ladybug_file

    store = tmp_path / "good.db"
    shutil.copy(good_store, store)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    probes: list[str] = []
    real = ladybug_file.probe
    monkeypatch.setattr(ladybug_file, "probe", lambda path, **kw: probes.append(path) or real(path, **kw))
    for _ in range(2):
        with open_store(str(store), read_only=True) as opened:
            assert opened.stats().nodes["Article"] == 1
    assert len(probes) == 1, "the second open trusts the unchanged file"
    _overwrite(store, store.stat().st_size // PAGE * 4 // 7, _random_bytes(200 * 1024, 2))
    with pytest.raises(Exception, match="is corrupt"):
        open_store(str(store), read_only=True)
    assert len(probes) == 2, "a changed file is checked again"
