"""Stage 1, sources: read articles from .txt (+ sidecar .json), .jsonl, .json, directories and stdin.

Readers yield either an `Article` or an `InputError` for a bad record, so a batch reports
the bad item and goes on with the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import Article, content_hash
from pipeline.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".json")
ReadItem = Article | InputError


def read_sources(paths: Iterable[str | Path]) -> Iterator[ReadItem]:
    """Every article from every path, in a stable order; `-` reads JSONL from stdin."""
    for raw in paths:
        if str(raw) == "-":
            yield from _read_jsonl_lines(sys.stdin, "<stdin>")
            continue
        path = Path(raw)
        if not path.exists():
            yield InputError(str(path), "no such file or directory")
        elif path.is_dir():
            yield from _read_directory(path)
        else:
            yield from read_file(path)


def _read_directory(directory: Path) -> Iterator[ReadItem]:
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    for path in files:
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # a sidecar, read with its .txt
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[ReadItem]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        yield _read_txt(path)
    elif suffix == ".jsonl":
        text = _decode(path)
        if isinstance(text, InputError):
            yield text
        else:
            yield from _read_jsonl_lines(text.splitlines(), str(path))
    elif suffix == ".json":
        yield from _read_json(path)
    else:
        yield InputError(str(path), f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl or .json")


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


def _read_json(path: Path) -> Iterator[ReadItem]:
    raw = _decode(path)
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
