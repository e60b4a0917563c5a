"""The embedded store on disk: LadybugDB keeps a database in one file and, while it works,
a few files named after it beside it."""

from __future__ import annotations

# storage_utils.h / constants.h of LadybugDB: the write-ahead log, its checkpoint copy, the
# shadow pages, temporary files and the lock files.
SIDECARS = (".wal", ".wal.checkpoint", ".shadow", ".tmp", ".lock", ".checkpoint.intent.lock", ".checkpoint.apply.lock")
