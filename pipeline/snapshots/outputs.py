"""Writing an export so that a failure never leaves half of it: the writer fills a temporary
file (or directory) beside the target, which is renamed into place only once it is complete.

A failed export (a full disk, an error halfway through the store, Ctrl-C) removes its
temporary file and leaves whatever was at the target before, byte for byte. Devices and
pipes (`-o /dev/stdout`) are written in place: they cannot be renamed over.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import OutputError, UsageError

# What a neo4j-csv export directory holds; another directory is never replaced by one.
EXPORT_FILES = re.compile(r"(nodes|rels)_\w+\.csv|import\.sh")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode(target: Path, default: int) -> int:
    """The permissions the target has (a replaced file keeps them), else what open() gives."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return default & ~_umask()


def _is_device(path: Path) -> bool:
    return path.exists() and not path.is_file() and not path.is_dir()


@contextlib.contextmanager
def _reported(target: Path) -> Iterator[None]:
    """An OSError while writing names the target, not the temporary file."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}; nothing was changed there") from exc


@contextlib.contextmanager
def replacing_file(target: Path) -> Iterator[Path]:
    """A path to write instead of `target`; it replaces `target` in one rename on success."""
    if _is_device(target):
        with _reported(target):
            yield target
        return
    with _reported(target):
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(handle)
    partial = Path(name)
    try:
        with _reported(target):
            yield partial
            os.chmod(partial, _mode(target, 0o666))
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def check_export_directory(target: Path) -> None:
    """Refuse to replace a directory that holds anything but a previous neo4j-csv export."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"-o {target}: neo4j-csv writes a directory, and {target} is a file")
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if not EXPORT_FILES.fullmatch(p.name))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
            raise UsageError(f"-o {target}: the directory holds files that are not a neo4j-csv export ({shown}), "
                             f"and the export replaces the directory: choose a new or empty one")  # fmt: skip


@contextlib.contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """A directory to fill instead of `target`; it takes `target`'s place on success, and a
    previous export there is removed only then."""
    check_export_directory(target)
    with _reported(target):
        partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        with _reported(target):
            yield partial
            os.chmod(partial, _mode(target, 0o777))
            if target.exists():
                previous = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
                os.replace(target, previous)  # an empty directory is replaced by a rename
                os.rename(partial, target)
                shutil.rmtree(previous, ignore_errors=True)
            else:
                os.rename(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
