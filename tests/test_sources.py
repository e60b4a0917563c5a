"""Readers: every format, and bad input reported with file and line while the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

from models import Article
from pipeline.errors import InputError
from pipeline.sources.read import path_id, read_sources


def _split(items):
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    return articles, errors


def test_txt_first_line_is_title_and_sidecar_gives_metadata(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title line\nBody text here.", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({"url": "https://x.test/a", "published": "2024-01-02", "source": "Wire"}))
    [article] = list(read_sources([tmp_path / "a.txt"]))
    assert article.title == "Title line" and article.text == "Body text here."
    assert article.id == path_id(tmp_path / "a.txt") and article.id.startswith("a-")
    assert article.source == "Wire" and article.published.isoformat() == "2024-01-02"


def test_jsonl_id_defaults_to_content_hash(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "Some text."}) + "\n", encoding="utf-8")
    [first] = list(read_sources([path]))
    [second] = list(read_sources([path]))
    assert first.id == second.id and len(first.id) == 16


def test_json_array_and_directory_recursion(tmp_path: Path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "many.json").write_text(json.dumps([{"id": "x", "text": "One."}, {"id": "y", "text": "Two."}]))
    (tmp_path / "one.txt").write_text("T\nBody.")
    articles, errors = _split(list(read_sources([tmp_path])))
    assert {a.id for a in articles} == {"x", "y", path_id(tmp_path / "one.txt")} and not errors


def test_bad_records_are_reported_with_line_and_the_rest_goes_on(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "ok1", "text": "Fine."}), "{not json", json.dumps({"id": "empty", "text": "  "}),
             json.dumps({"id": "ok2", "text": "Also fine."})]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = _split(list(read_sources([path])))
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [e.where for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "invalid JSON" in errors[0].reason and "empty text" in errors[1].reason


def test_missing_file_and_undecodable_bytes(tmp_path: Path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes(b"Title\nCaf\xe9 society\n")
    items = list(read_sources([tmp_path / "nope.jsonl", bad]))
    _, errors = _split(items)
    assert "no such file" in errors[0].reason and errors[0].where.endswith("nope.jsonl")
    assert "not UTF-8" in errors[1].reason and errors[1].where == f"{bad}:2"


def test_empty_txt_and_invalid_sidecar(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("Only a title\n")
    (tmp_path / "side.txt").write_text("T\nBody.")
    (tmp_path / "side.json").write_text("{broken")
    _, errors = _split(list(read_sources([tmp_path / "empty.txt", tmp_path / "side.txt"])))
    assert "empty text" in errors[0].reason
    assert "invalid JSON in sidecar" in errors[1].reason and errors[1].where.endswith("side.json:1")


def test_stdin_dash_reads_jsonl(monkeypatch, tmp_path: Path):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "s", "text": "From stdin."}) + "\n"))
    [article] = list(read_sources(["-"]))
    assert article.id == "s"
