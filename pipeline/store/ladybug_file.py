"""The embedded store on disk, and the checks that run before LadybugDB opens it.

LadybugDB 0.22 keeps a database in one file of 4 KiB pages (plus, while it works, a few files
named after it beside it: the write-ahead log, shadow pages, locks). Page 0 is a header:
the magic bytes `LBUG`, the storage version (u64), the page ranges (u32 start, u32 count) of
the catalog and of the metadata, and the database id.

LadybugDB has no checksums on data pages, and damaged pages do not always raise: in tests,
200 KB of random bytes in a store made a count loop for good, or crashed the process
(SIGSEGV, std::bad_alloc). So a store is checked before it is opened:

1. The header, in this process (instant): an empty file, a directory, a file that is no
   LadybugDB database, another storage version, or a header that points past the end of the
   file (a truncated store) each get their own message.
2. A probe, in a child process with a time limit: open read-only and count the nodes and
   relationships of every table, which reads every table's structure. A probe that loops is
   killed; one that crashes or raises is reported as a corrupt store.
3. A probe that passes is remembered under the user cache directory by the file's identity
   (device, inode, size, modification and change times, and the log's), so an unchanged
   store is probed once, not on every command; a store newsgraph wrote and closed is
   remembered the same way. Any change to the file, by newsgraph or anything else, makes
   the next open probe it again.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.errors import StoreError

PAGE_SIZE = 4096
MAGIC = b"LBUG"
HEADER = struct.Struct("<4sQIIII")  # magic, storage version, catalog start/pages, metadata start/pages
NO_PAGE = 0xFFFFFFFF
# storage_utils.h / constants.h of LadybugDB: the write-ahead log, its checkpoint copy, the
# shadow pages, temporary files and the lock files.
SIDECARS = (".wal", ".wal.checkpoint", ".shadow", ".tmp", ".lock", ".checkpoint.intent.lock", ".checkpoint.apply.lock")
REMEDY = ("restore it from a backup, or rebuild it: `newsgraph ingest` the sources (or `newsgraph load` an "
          "export) into a new --db")  # fmt: skip
PROBE_SECONDS = 3.0  # plus one second per 25 MB of store; a healthy probe takes a small fraction
PROBE_BYTES_PER_SECOND = 25 * 2**20
REMEMBERED = 64  # stores whose last good probe is kept
BUSY = ("lock", "checkpointing", "retry later")  # LadybugDB's words for a store another process is writing

# Runs in the child: open read-only, count every table, print the tables or the error.
_PROBE = """
import json, sys
import ladybug
db = ladybug.Database(sys.argv[1], read_only=True, buffer_pool_size=int(sys.argv[2]))
conn = ladybug.Connection(db)
try:
    tables = conn.execute("CALL show_tables() RETURN name, type").get_all()
    for name, kind in tables:
        pattern = f"(n:`{name}`) RETURN count(n)" if kind == "NODE" else f"()-[n:`{name}`]->() RETURN count(n)"
        conn.execute("MATCH " + pattern).get_all()
    if tables:
        conn.execute("MATCH (n) RETURN count(n)").get_all()
        conn.execute("MATCH ()-[r]->() RETURN count(r)").get_all()
except Exception as exc:
    print(json.dumps({"error": str(exc)}))
    sys.exit(3)
print(json.dumps({"tables": [name for name, _ in tables]}))
"""


def check_store(path: str, *, read_only: bool, buffer_bytes: int) -> None:
    """Raise a StoreError that says what is wrong with the store at `path`, or return when
    LadybugDB can open it (a missing path is the caller's business)."""
    store = Path(path)
    if store.is_dir():
        raise StoreError(f"{path} is a directory, not a newsgraph store: LadybugDB keeps a store in one file; "
                         f"pass that file's path with --db")  # fmt: skip
    if not store.exists():
        return
    if store.stat().st_size == 0:
        if read_only:
            raise StoreError(f"{path} is empty (0 bytes), not a newsgraph store: pass the right --db, or delete "
                             f"it and `newsgraph ingest` (or `newsgraph load`) into it")  # fmt: skip
        return  # LadybugDB makes a new store in an empty file
    _check_header(path)
    if _remembered(path):
        return
    size = store.stat().st_size + (os.stat(f"{path}.wal").st_size if Path(f"{path}.wal").exists() else 0)
    tables = probe(path, buffer_bytes=buffer_bytes, seconds=PROBE_SECONDS + size / PROBE_BYTES_PER_SECOND)
    if tables is None:
        return  # another process is writing it: the open itself reports that
    if read_only and "Article" not in tables:
        raise StoreError(f"{path} is a LadybugDB database but not a newsgraph store (it has no Article table): "
                         f"pass the right --db, or `newsgraph ingest` into it")  # fmt: skip
    remember(path)


def _read_header(path: str) -> tuple[bytes, int]:
    """The header, then the size: a writer only appends pages before it rewrites the header."""
    with open(path, "rb") as handle:
        head = handle.read(HEADER.size)
        return head, os.fstat(handle.fileno()).st_size


def _check_header(path: str) -> None:
    head, size = _read_header(path)
    if len(head) < HEADER.size or head[:4] != MAGIC:
        if Path(f"{path}.wal").exists() and len(head) < HEADER.size:
            return  # a store killed before its first checkpoint: the log holds it
        raise StoreError(f"{path} is not a newsgraph store: it does not start with LadybugDB's header, so it is "
                         f"another kind of file or a corrupt store; pass the right --db, or {REMEDY}")  # fmt: skip
    _, version, catalog, catalog_pages, metadata, metadata_pages = HEADER.unpack(head)
    supported = _storage_version()
    if version != supported:
        raise StoreError(f"{path} was written by another LadybugDB version (storage version {version}; this "
                         f"newsgraph reads {supported}): export it with the newsgraph that wrote it, then "
                         f"`newsgraph load` the export into a new --db")  # fmt: skip
    pages = size // PAGE_SIZE
    last = max((start + count for start, count in ((catalog, catalog_pages), (metadata, metadata_pages))
                if start != NO_PAGE), default=0)  # fmt: skip
    if last > pages:
        for _ in range(3):  # a checkpoint of another process in flight changes them: LadybugDB then says so
            time.sleep(0.1)
            if _read_header(path) != (head, size):
                return
        raise StoreError(f"{path} is truncated: its header points at page {last - 1}, but the file holds "
                         f"{pages} pages ({size} bytes); {REMEDY}")  # fmt: skip


def _storage_version() -> int:
    import ladybug

    return int(ladybug.Database.get_storage_version())


def probe(path: str, *, buffer_bytes: int, seconds: float) -> list[str] | None:
    """The store's tables, read by a child process within `seconds`; None when another
    process is writing it. Raises StoreError when the child loops, crashes or fails."""
    command = [sys.executable, "-I", "-c", _PROBE, path, str(buffer_bytes)]
    try:
        child = subprocess.run(command, capture_output=True, text=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise StoreError(f"{path} is corrupt: LadybugDB did not finish reading it in {seconds:.0f} s (damaged "
                         f"pages make it loop); {REMEDY}") from None  # fmt: skip
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise StoreError(f"{path} is corrupt: LadybugDB crashed reading it ({name}); {REMEDY}")
    lines = child.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        answer = {"error": (child.stderr.strip().splitlines() or ["no answer"])[-1]}
    if "error" in answer:
        if any(word in answer["error"] for word in BUSY):
            return None  # another process holds the store: the open itself says so
        raise StoreError(f"{path} is corrupt: LadybugDB cannot read it ({answer['error']}); {REMEDY}")
    return list(answer["tables"])


# --- stores known good ----------------------------------------------------------------------


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsgraph" / "checked-stores.json"


def _identity(path: str) -> list[int]:
    """What changes whenever the store's bytes do (the change time cannot be set back)."""
    found = []
    for name in (path, f"{path}.wal"):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            found += [0, 0, 0, 0, 0]
            continue
        found += [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
    return found + [_storage_version()]


def _known() -> dict[str, list[int]]:
    try:
        known = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _remembered(path: str) -> bool:
    return _known().get(os.path.realpath(path)) == _identity(path)


def remember(path: str) -> None:
    """Record the store as known good in its current state; quietly skipped when the cache
    directory cannot be written."""
    known = _known()
    known.pop(os.path.realpath(path), None)
    known[os.path.realpath(path)] = _identity(path)
    kept = dict(list(known.items())[-REMEMBERED:])
    cache = _cache_file()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=cache.parent, prefix=".checked-", suffix=".part")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as sink:
            json.dump(kept, sink)
        os.replace(name, cache)
    except OSError:
        Path(name).unlink(missing_ok=True)
