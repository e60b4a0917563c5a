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

# What a neo4j-csv export writes into its directory.
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
    """A path to write instead of `target`; it replaces `target` in one rename on success
    (through a symlink: the file it points at is replaced, the link kept)."""
    target = Path(os.path.realpath(target))
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
    if target.exists() and not target.is_dir():
        raise UsageError(f"-o {target}: neo4j-csv writes a directory, and {target} is a file")


@contextlib.contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """A directory to fill instead of `target`. A new target is this directory, renamed into
    place; an existing one (a shell may be sitting in it) keeps its inode and other files: once
    the export is complete its files are moved in one by one, and export files of an earlier
    run that this one did not write are removed."""
    target = Path(os.path.realpath(target))  # `-o .` and symlinks: the directory itself
    check_export_directory(target)
    with _reported(target):
        partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        with _reported(target):
            yield partial
            if not target.exists():
                os.chmod(partial, _mode(target, 0o777))
                os.rename(partial, target)
                return
            written = sorted(p.name for p in partial.iterdir())
            for name in sorted(written, key=lambda n: n == "import.sh"):  # the script that names them last
                os.replace(partial / name, target / name)
            for stale in target.iterdir():
                if EXPORT_FILES.fullmatch(stale.name) and stale.name not in written:
                    stale.unlink()
    finally:
        shutil.rmtree(partial, ignore_errors=True)
