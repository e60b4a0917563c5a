"""Read articles from .txt (+ sidecar .json), .jsonl, .json, RSS/Atom feeds,
OPML and plain-text lists of feeds, HTML pages, URLs, directories mixing all of them, and stdin.

Readers yield either an `Article` or an `InputError` for a bad record, so a batch reports
the bad item and goes on with the rest. Feeds and URLs are fetched with the `Fetcher`; the
pages behind feed entries too unless `fetch_pages` is off (`--no-fetch`), when the feed's own
summary or content is used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from models import Article, content_hash
from pipeline.errors import InputError
from pipeline.sources import formats

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".json", ".rss", ".atom", ".xml", ".opml", ".html", ".htm", "")
SKIPPED_NAMES = {".DS_Store"}
ReadItem = Article | InputError


def read_sources(paths: Iterable[str | Path], fetcher=None, fetch_pages: bool = True) -> Iterator[ReadItem]:
    """Every article from every path or URL, in a stable order; `-` reads JSONL from stdin."""
    for raw in paths:
        text = str(raw)
        if text == "-":
            yield from _read_stdin()
        elif text.startswith(("http://", "https://")):
            yield from read_url(text, fetcher, fetch_pages)
        elif not (path := Path(raw)).exists():
            yield InputError(str(path), "no such file or directory")
        elif path.is_dir():
            yield from _read_directory(path, fetcher, fetch_pages)
        else:
            yield from read_file(path, fetcher, fetch_pages)


def _read_directory(directory: Path, fetcher=None, fetch_pages: bool = True) -> Iterator[ReadItem]:
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    for path in files:
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # a sidecar, read with its .txt
        if path.name in SKIPPED_NAMES or path.name.startswith("."):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield from read_file(path, fetcher, fetch_pages)


def read_file(path: Path, fetcher=None, fetch_pages: bool = True) -> Iterator[ReadItem]:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(where, f"cannot read: {exc.strerror}")
        return
    if problem := formats.check_bytes(data, where):
        yield problem
        return
    kind = formats.sniff(data, path.suffix)
    if kind == "txt" and path.suffix.lower() not in {".txt", ""}:
        yield InputError(where, f"unsupported file type {path.suffix}: not a feed, OPML, HTML or JSON")
    elif kind == "txt":
        yield _read_txt(path)
    else:
        yield from _read_kind(kind, data, where, fetcher, fetch_pages, url=None)


def read_url(url: str, fetcher=None, fetch_pages: bool = True) -> Iterator[ReadItem]:
    if fetcher is None:
        yield InputError(url, "no HTTP client: a URL cannot be read here")
        return
    try:
        fetched = fetcher.get(url, conditional=True)
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
                yield entry if isinstance(entry, InputError) else _entry_article(entry, fetcher if fetch_pages else None)
        elif kind == "opml":
            for feed in formats.opml_feeds(data, where):
                yield from read_sources([feed], fetcher, fetch_pages)
        elif kind == "urls":
            yield from read_sources(formats.url_list(data), fetcher, fetch_pages)
        elif kind == "html":
            yield formats.html_article(data, where, url=url)
        elif kind == "jsonl":
            text = _decode_bytes(data, where)
            yield from (_read_jsonl_lines(text.splitlines(), where) if isinstance(text, str) else [text])
        elif kind == "json":
            yield from _read_json_text(_decode_bytes(data, where), where)
        else:
            yield InputError(where, f"unsupported content ({kind})")
    except InputError as error:
        yield error


def _entry_article(entry: formats.FeedEntry, fetcher) -> ReadItem:
    """A feed entry's article: its page when fetching is on, else what the feed carries."""
    if fetcher is not None and entry.url:
        try:
            fetched = fetcher.get(entry.url)
            page = formats.html_article(fetched.content, entry.url, url=entry.url)
            if isinstance(page, Article):
                return page.model_copy(update={
                    "title": page.title or entry.title, "published": page.published or entry.published,
                    "source": page.source or entry.source,
                })  # fmt: skip
        except InputError:
            pass  # fall back on the feed's own text, and say so if there is none
    return entry.to_article()


def _decode_bytes(data: bytes, where: str) -> str | InputError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return InputError(f"{where}:{line}", f"undecodable bytes (not UTF-8) at byte {exc.start}")


def _decode(path: Path) -> str | InputError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return InputError(str(path), f"cannot read: {exc.strerror}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return InputError(f"{path}:{line}", f"undecodable bytes (not UTF-8) at byte {exc.start}")


def _read_txt(path: Path) -> ReadItem:
    text = _decode(path)
    if isinstance(text, InputError):
        return text
    meta: dict[str, Any] = {}
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        raw = _decode(sidecar)
        if isinstance(raw, InputError):
            return raw
        try:
            meta = json.loads(raw)
        except json.JSONDecodeError as exc:
            return InputError(f"{sidecar}:{exc.lineno}", f"invalid JSON in sidecar: {exc.msg}")
        if not isinstance(meta, dict):
            return InputError(str(sidecar), "sidecar must hold one JSON object")
    if "title" in meta:
        body = text  # the sidecar names the title, so the whole file is the body
    else:
        title, _, body = text.partition("\n")
        meta["title"] = title.strip()
    meta.setdefault("id", path.stem)
    return _build(meta | {"text": body}, str(path))


def _read_json_text(raw: str | InputError, path: str) -> Iterator[ReadItem]:
    if isinstance(raw, InputError):
        yield raw
        return
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield InputError(f"{path}:{exc.lineno}", f"invalid JSON: {exc.msg}")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records, start=1):
        where = f"{path}[{index}]" if isinstance(data, list) else str(path)
        yield _build(record, where)


def _read_stdin() -> Iterator[ReadItem]:
    """JSONL from standard input, read as bytes so a bad line is reported, not fatal."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream (tests, embedding): already decoded
        yield from _read_jsonl_lines(sys.stdin, "<stdin>")
        return
    for number, raw in enumerate(stream, start=1):
        text = _decode_bytes(raw, f"<stdin>:{number}")
        if isinstance(text, InputError):
            yield InputError(f"<stdin>:{number}", text.reason)
            continue
        for item in _read_jsonl_lines([text], "<stdin>"):
            if isinstance(item, InputError):
                item = InputError(f"<stdin>:{number}", item.reason)
            yield item


def _read_jsonl_lines(lines: Iterable[str], origin: str) -> Iterator[ReadItem]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON: {exc.msg}")
            continue
        yield _build(record, where)


def _build(record: Any, where: str) -> ReadItem:
    if not isinstance(record, dict):
        return InputError(where, "expected a JSON object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "empty text")
    record = dict(record)
    record.setdefault("title", "")
    if not record.get("id"):
        record["id"] = content_hash(record.get("title"), text)[:16]
    try:
        return Article.model_validate(record)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return InputError(where, problems)
