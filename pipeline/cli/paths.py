"""Output paths that would destroy what a command reads: the store, the files LadybugDB and
newsgraph keep beside it, or an input snapshot of the same command.

Paths are compared resolved (symlinks, `..`, relative spellings) and, when both exist, as the
same file on disk (hard links, bind mounts).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import UsageError


def _resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def store_files(db: str | None) -> tuple[Path | None, list[Path]]:
    """The embedded store a command opens, and what lives beside it: its run state (as
    `pipeline.ingest.job.state_dir_for` names it) and LadybugDB's own files. (None, []) for
    a Neo4j server."""
    from pipeline.store import NEO4J_SCHEMES, resolve_target
    from pipeline.store.ladybug_file import SIDECARS

    target = resolve_target(db)
    if target.startswith(NEO4J_SCHEMES):
        return None, []
    return Path(target), [Path(f"{target}.state")] + [Path(f"{target}{suffix}") for suffix in SIDECARS]


def check_output(output: str | Path, *, db: str | None = None, reads: Iterable[str | Path] = (),
                 option: str = "-o") -> None:  # fmt: skip
    """Refuse an output that is the store, is inside it or beside it, or is a snapshot the
    command reads."""
    where = _resolved(output)
    store, beside = store_files(db)
    if store is not None:
        home = _resolved(store)
        if _same(where, home) or home in where.parents:
            raise UsageError(f"{option} {output} is the store (--db {store}): writing there would destroy it; "
                             f"choose another path")  # fmt: skip
        for path in beside:
            near = _resolved(path)
            if _same(where, near) or near in where.parents:
                raise UsageError(f"{option} {output} is beside the store {store}, where {path.name} belongs to it: "
                                 f"choose another path")  # fmt: skip
    for source in reads:
        if _same(where, _resolved(source)):
            raise UsageError(f"{option} {output} is the snapshot it reads ({source}): write to another path")
