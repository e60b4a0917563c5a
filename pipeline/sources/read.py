"""Read articles from .txt (+ sidecar .json), .jsonl, .json, RSS/Atom feeds,
OPML and plain-text lists of feeds, HTML pages, URLs, directories mixing all of them, and stdin.

Readers yield an `Article`, an `InputError` for a bad record (so a batch reports the bad item
and goes on with the rest), or an `InputWarning` for something ignored in a record that is
kept. Feeds and URLs are fetched with the `Fetcher`; the pages behind feed entries too unless
`fetch_pages` is off (`--no-fetch`), when the feed's own summary or content is used.

No file is read whole before its size is known: every reader (files, sidecars, stdin lines)
stops at the cap. Directories are walked following symlinks, each real directory once.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from models import Article
from pipeline.errors import AddressRefused, InputError, InputWarning
from pipeline.sources import formats
from pipeline.sources.formats import MAX_BYTES, build, decode_utf8, json_problem, read_json, read_jsonl_lines

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".json", ".rss", ".atom", ".xml", ".opml", ".html", ".htm", "")
SKIPPED_NAMES = {".DS_Store"}
ReadItem = Article | InputError


def read_sources(paths: Iterable[str | Path], fetcher=None, fetch_pages: bool = True, *,
                 exclude: Iterable[str | Path] = (), trusted: bool = True) -> Iterator[ReadItem]:  # fmt: skip
    """Every article from every path or URL, in a stable order; `-` reads JSONL from stdin.
    Files and directories in `exclude` (the store's run state) are left out of directory
    walks. `trusted` URLs are the user's own (see `pipeline.sources.fetch`)."""
    excluded = frozenset(Path(p).resolve() for p in exclude)
    for raw in paths:
        text = str(raw)
        if text == "-":
            yield from _read_stdin()
        elif text.startswith(("http://", "https://")):
            yield from read_url(text, fetcher, fetch_pages, trusted=trusted)
        elif problem := _path_problem(Path(raw)):
            yield problem
        elif Path(raw).is_dir():
            yield from _read_directory(Path(raw), fetcher, fetch_pages, excluded)
        else:
            yield from read_file(Path(raw), fetcher, fetch_pages)


def _path_problem(path: Path) -> InputError | None:
    """Why a path named on the command line cannot be read, in words that say which case it is."""
    try:
        path.stat()
        return None
    except OSError as exc:
        error = exc
    try:
        is_link = os.path.islink(path)
    except OSError:
        is_link = False
    if error.errno == errno.ELOOP:
        return InputError(str(path), "symlink loop: the link leads back to itself")
    if error.errno == errno.ENOENT and is_link:
        return InputError(str(path), f"broken symlink: its target {os.readlink(path)} does not exist")
    if error.errno == errno.ENOENT:
        return InputError(str(path), "no such file or directory")
    return InputError(str(path), f"cannot read: {error.strerror}")


def _walk(directory: Path) -> tuple[list[Path], list[InputError]]:
    """The files under `directory`, symlinked directories followed, each real directory once
    (a link back to an ancestor would loop); and the directories that could not be listed."""
    errors: list[InputError] = []
    files: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        errors.append(InputError(str(exc.filename), f"cannot read directory: {exc.strerror}"))

    for root, dirs, names in os.walk(directory, onerror=unreadable, followlinks=True):
        try:
            info = os.stat(root)
        except OSError as exc:
            unreadable(exc)
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in visited:
            dirs[:] = []  # reached again through a symlink: its files are read already
            continue
        visited.add((info.st_dev, info.st_ino))
        dirs.sort()
        files.extend(Path(root) / name for name in names)
    return sorted(files), errors


def _read_directory(directory: Path, fetcher, fetch_pages: bool, excluded: frozenset[Path]) -> Iterator[ReadItem]:
    files, errors = _walk(directory)
    yield from errors
    for path in files:
        if path.name in SKIPPED_NAMES or path.name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if excluded and (path.resolve() in excluded or not excluded.isdisjoint(path.resolve().parents)):
            continue  # the store's own state, or the report this run writes
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # a sidecar, read with its .txt
        if not path.is_file():
            if path.is_symlink():
                yield _path_problem(path) or InputError(str(path), "not a file")
            continue  # a FIFO, a socket, a device: no article source
        yield from read_file(path, fetcher, fetch_pages)


def _read_capped(path: Path) -> bytes | InputError:
    """The file's bytes, refused before reading when it is over the cap (a 40 GB sparse file
    is never loaded); at most cap + 1 bytes are read from anything whose size is unknown."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                return InputError(str(path), f"too large ({size} bytes; the cap is {MAX_BYTES})")
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return InputError(str(path), f"cannot read: {exc.strerror}")
    if len(data) > MAX_BYTES:
        return InputError(str(path), f"too large (over {MAX_BYTES} bytes)")
    return data


def read_file(path: Path, fetcher=None, fetch_pages: bool = True) -> Iterator[ReadItem]:
    where = str(path)
    data = _read_capped(path)
    if isinstance(data, InputError):
        yield data
        return
    kind = formats.sniff(data, path.suffix)
    if kind != "jsonl" and (problem := formats.check_bytes(data, where)):
        yield problem  # JSONL is judged line by line: one bad line loses only itself
        return
    if kind == "txt" and path.suffix.lower() not in {".txt", ""}:
        yield InputError(where, f"unsupported file type {path.suffix}: not a feed, OPML, HTML or JSON")
    elif kind == "txt":
        yield from _read_txt(path, data)
    else:
        yield from _read_kind(kind, data, where, fetcher, fetch_pages, url=None)


def read_url(url: str, fetcher=None, fetch_pages: bool = True, *, trusted: bool = True) -> Iterator[ReadItem]:
    if fetcher is None:
        yield InputError(url, "no HTTP client: a URL cannot be read here")
        return
    try:
        fetched = fetcher.get(url, conditional=True, trusted=trusted)
    except InputError as error:
        yield error
        return
    if fetched.not_modified:
        return  # a feed unchanged since the last run
    kind = formats.sniff(fetched.content, Path(urlsplit(fetched.url).path).suffix)
    yield from _read_kind(kind, fetched.content, url, fetcher, fetch_pages, url=fetched.url)


def _read_kind(kind: str, data: bytes, where: str, fetcher, fetch_pages: bool, url: str | None) -> Iterator[ReadItem]:
    try:
        if kind == "feed":
            for entry in formats.feed_entries(data, where, base=url):
                if isinstance(entry, InputError):
                    yield entry
                else:
                    yield from _entry_article(entry, fetcher if fetch_pages else None)
        elif kind in ("opml", "urls"):
            entries = formats.opml_feeds(data, where) if kind == "opml" else formats.url_list(data)
            for named in entries:
                if url is not None and not named.startswith(("http://", "https://")):
                    # a fetched document naming "/etc/passwd" or a folder must not read local files
                    yield InputError(where, f"entry {named!r} is not an http(s) URL: a fetched document may only name URLs")
                else:  # a local list is the user's own; a fetched one is not
                    yield from read_sources([named], fetcher, fetch_pages, trusted=url is None)
        elif kind == "html":
            yield formats.html_article(data, where, url=url)
        elif kind == "jsonl":
            yield from read_jsonl_lines(data.split(b"\n"), where)
        elif kind == "json":
            yield from read_json(data, where)
        else:
            yield InputError(where, f"unsupported content ({kind})")
    except InputError as error:
        yield error


def _entry_article(entry: formats.FeedEntry, fetcher) -> Iterator[ReadItem]:
    """A feed entry's article: its page when fetching is on, else what the feed carries (with a
    warning when the page was refused for its address)."""
    if fetcher is not None and entry.url:
        try:
            fetched = fetcher.get(entry.url)
            page = formats.html_article(fetched.content, entry.url, url=entry.url)
            if isinstance(page, Article):
                yield page.model_copy(update={
                    "title": page.title or entry.title, "published": page.published or entry.published,
                    "source": page.source or entry.source,
                })  # fmt: skip
                return
        except AddressRefused as refused:
            yield InputWarning(entry.where, f"page not fetched ({refused.reason}); the feed's own text is used")
        except InputError:
            pass  # unreachable or no article: fall back on the feed's own text, and say so if there is none
    yield entry.to_article()


def path_id(path: Path) -> str:
    """The id of a file whose sidecar names none: its name, then a hash of the path it really
    has (symlinks resolved), so two folders' `story.txt` are two articles in any run."""
    digest = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:12]
    return f"{path.stem.encode('utf-8', 'replace').decode('utf-8')}-{digest}"


def _read_txt(path: Path, data: bytes) -> Iterator[ReadItem]:
    text = decode_utf8(data, str(path))
    if isinstance(text, InputError):
        yield text
        return
    meta: dict[str, Any] = {}
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        side_bytes = _read_capped(sidecar)
        raw = decode_utf8(side_bytes, str(sidecar)) if isinstance(side_bytes, bytes) else side_bytes
        if isinstance(raw, InputError):
            yield raw
            return
        try:
            meta = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield InputError(f"{sidecar}:{exc.lineno}", f"invalid JSON in sidecar: {json_problem(exc)}")
            return
        if not isinstance(meta, dict):
            yield InputError(str(sidecar), "sidecar must hold one JSON object")
            return
    if "title" in meta:
        body = text  # the sidecar names the title, so the whole file is the body
    else:
        title, _, body = text.partition("\n")
        meta["title"] = title.strip()
    if not meta.get("id"):
        meta["id"] = path_id(path)
    for item in build(meta | {"text": body}, str(path)):
        if isinstance(item, InputWarning):
            item = InputWarning(str(sidecar), item.reason)  # the unknown field is in the sidecar
        yield item


def _read_stdin() -> Iterator[ReadItem]:
    """JSONL from standard input, read as bytes line by line, each line capped, so a bad or
    huge line is reported, not fatal."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream (tests, embedding): already decoded
        yield from read_jsonl_lines((line.encode("utf-8", "surrogatepass") for line in sys.stdin), "<stdin>")
        return
    yield from read_jsonl_lines(_capped_lines(stream), "<stdin>")


def _capped_lines(stream) -> Iterator[bytes | None]:
    """Lines of a byte stream; None for a line over the cap, whose rest is skipped unread."""
    while raw := stream.readline(MAX_BYTES + 1):
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
            yield None
        else:
            yield raw
