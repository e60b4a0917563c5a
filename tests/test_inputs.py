"""Input that must not lose data or crash: ids unique per source, odd bytes and odd files
reported with the line or file they are in, and the good items beside them kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from models import Article
from pipeline.errors import InputError, InputWarning
from pipeline.sources.read import path_id, read_sources
from pipeline.store import open_store

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")
PUTIN = "Vladimir Putin met Xi Jinping in Beijing on Tuesday to discuss trade."
LAVROV = "Sergey Lavrov visited Ankara on Friday for talks with Turkish officials."


def _articles(db: str) -> dict[str, str]:
    with open_store(db, read_only=True) as store:
        return dict(store.query("MATCH (a:Article) RETURN a.id, a.title").rows)


def _report(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ingest_same_stem_in_two_folders_gives_two_articles_in_any_batch_size_or_run(cli, tmp_path):
    for folder, body in (("a", PUTIN), ("b", LAVROV)):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "story.txt").write_text(f"Story {folder}\n{body}\n")
    ids = {path_id(tmp_path / "in" / f / "story.txt"): f"Story {f}" for f in "ab"}
    one_batch, per_article, two_runs = (str(tmp_path / name) for name in ("one.db", "per.db", "runs.db"))
    first = cli("ingest", str(tmp_path / "in"), "--db", one_batch, "--json", "--quiet")
    second = cli("ingest", str(tmp_path / "in"), "--db", per_article, "--batch-size", "1", "--json", "--quiet")
    assert json.loads(first.stdout)["new"] == json.loads(second.stdout)["new"] == 2
    runs = [json.loads(cli("ingest", str(tmp_path / "in" / f), "--db", two_runs, "--json", "--quiet").stdout) for f in "ab"]
    assert [r["new"] for r in runs] == [1, 1] and all(r["updated"] == r["failed"] == 0 for r in runs)
    assert _articles(one_batch) == _articles(per_article) == _articles(two_runs) == ids
    # the same file reached another way (a file argument, a symlinked folder) keeps its id
    (tmp_path / "link").symlink_to(tmp_path / "in" / "a")
    again = cli("ingest", str(tmp_path / "link" / "story.txt"), "--db", one_batch, "--json", "--quiet")
    assert json.loads(again.stdout)["unchanged"] == 1


@pytest.mark.parametrize("batch_size", ["1", "32"])
def test_ingest_same_id_twice_in_a_run_fails_the_second_naming_both_files(cli, tmp_path, batch_size):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"id": "story", "text": PUTIN}) + "\n")
    second.write_text(json.dumps({"id": "story", "text": LAVROV}) + "\n")
    report = tmp_path / "report.jsonl"
    result = cli("ingest", str(first), str(second), "--db", str(tmp_path / "g.db"), "--batch-size", batch_size,
                 "--report", str(report), "--json")  # fmt: skip
    assert result.exit_code == 3 and json.loads(result.stdout)["new"] == 1
    [failed] = _report(report)
    assert failed["source"] == f"{second}:1" and f"{first}:1" in failed["reason"] and "'story'" in failed["reason"]


def test_ingest_article_id_in_an_entity_id_space_is_refused_and_the_batch_goes_on(cli, tmp_path):
    records = tmp_path / "ids.jsonl"
    records.write_text(json.dumps({"id": "country:ru", "text": "Russia said on Monday it would expand trade with China."})
                       + "\n" + json.dumps({"id": "ok", "text": PUTIN}) + "\n")  # fmt: skip
    db, report = str(tmp_path / "g.db"), tmp_path / "report.jsonl"
    for _ in range(2):  # the rerun does not crash either
        result = cli("ingest", str(records), "--db", db, "--report", str(report))
        assert result.exit_code == 3, result.output
        assert f"{records}:1: id: 'country:ru' starts with 'country:'" in result.stderr
        assert [r["source"] for r in _report(report)] == [f"{records}:1"]
    assert set(_articles(db)) == {"ok"}


def test_lone_surrogate_line_is_reported_and_the_record_beside_it_kept(cli, tmp_path):
    records = tmp_path / "odd.jsonl"
    records.write_text('{"id": "bad", "text": "Officials met in Vienna \\ud800 on Monday."}\n'
                       + json.dumps({"id": "ok", "text": PUTIN}) + "\n")  # fmt: skip
    result = cli("ingest", str(records), "--db", str(tmp_path / "g.db"))
    assert result.exit_code == 3 and "1 new" in result.stdout
    assert f"{records}:1: text: lone surrogate '\\ud800' at character 25" in result.stderr
    extracted = cli("extract", str(records), "-o", str(tmp_path / "out.jsonl"))
    assert extracted.exit_code == 3 and "lone surrogate" in extracted.stderr
    assert [json.loads(line)["article"]["id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()] == ["ok"]


def test_huge_sparse_files_are_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(40 * 1024**3)  # 40 GB of holes: reading it whole would need 40 GB
    (tmp_path / "story.txt").write_text(f"Title\n{PUTIN}\n")
    with (tmp_path / "story.json").open("wb") as handle:
        handle.truncate(40 * 1024**3)
    errors = list(read_sources([huge, tmp_path / "story.txt"]))
    assert [(e.where, e.reason.split(" (")[0]) for e in errors] == [(str(huge), "too large"),
                                                                   (str(tmp_path / "story.json"), "too large")]


def test_huge_stdin_line_is_reported_and_the_next_line_kept(tmp_path):
    big = json.dumps({"id": "big", "text": "x" * (21 * 1024 * 1024)}).encode()
    lines = big + b"\n" + json.dumps({"id": "ok", "text": PUTIN}).encode() + b"\n"
    code = "import sys; from pipeline.sources.read import read_sources; [print(repr(i)) for i in read_sources(['-'])]"
    result = subprocess.run([sys.executable, "-c", code], input=lines, capture_output=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    out = result.stdout.decode().splitlines()
    assert len(out) == 2 and "<stdin>:1: line too large" in out[0] and "id='ok'" in out[1]


def test_unknown_metadata_fields_are_ignored_with_a_warning_and_the_article_kept(cli, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "story.txt").write_text(f"Title\n{PUTIN}\n")
    (inputs / "story.json").write_text(json.dumps({"id": "story", "author": "A. Writer", "source": "Wire"}))
    (inputs / "wire.jsonl").write_text(json.dumps({"id": "w", "text": LAVROV, "author": "B", "tags": ["x"]}) + "\n")
    report = tmp_path / "report.jsonl"
    result = cli("ingest", str(inputs), "--db", str(tmp_path / "g.db"), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stdout and "0 failed" in result.stdout
    warnings = {r["source"]: r["reason"] for r in _report(report) if r["kind"] == "warning"}
    assert warnings[str(inputs / "story.json")].startswith('ignored unknown field "author" (known: id, url, title,')
    assert warnings[f"{inputs / 'wire.jsonl'}:1"].startswith('ignored unknown fields "author", "tags"')
    assert f"warning {inputs / 'story.json'}: ignored unknown field" in result.stderr


def test_jsonl_line_with_a_nul_byte_loses_only_that_line(tmp_path):
    records = tmp_path / "nul.jsonl"
    records.write_bytes(json.dumps({"id": "a", "text": PUTIN}).encode() + b"\n"
                        + b'{"id": "b", "text": "bro\x00ken"}\n' + json.dumps({"id": "c", "text": LAVROV}).encode())
    items = list(read_sources([records]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "c"]
    [error] = [i for i in items if isinstance(i, InputError)]
    assert error.where == f"{records}:2" and "NUL byte at column 25" in error.reason


def test_messages_name_the_problem_and_where_it_is(tmp_path):
    records = tmp_path / "bad.jsonl"
    records.write_text('{"id": "u", "text": "no end\n{"id": "n", "text": 5}\n{"id": "l", "title": "t"}\n')
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    errors = [str(e) for e in read_sources([records, loop, dangling])]
    assert errors == [
        f"{records}:1: invalid JSON: Unterminated string starting at column 21",
        f"{records}:2: text must be a string, not a number",
        f"{records}:3: no 'text' field",
        f"{loop}: symlink loop: the link leads back to itself",
        f"{dangling}: broken symlink: its target {tmp_path / 'nowhere.txt'} does not exist",
    ]


def test_directory_walk_follows_symlinked_directories_once_and_survives_loops(tmp_path):
    real = tmp_path / "real"
    (real / "deep").mkdir(parents=True)
    (real / "deep" / "one.txt").write_text(f"One\n{PUTIN}\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "linked").symlink_to(real, target_is_directory=True)
    (real / "deep" / "up").symlink_to(real, target_is_directory=True)  # a loop back to an ancestor
    items = list(read_sources([corpus]))
    assert [(type(i).__name__, i.title) for i in items if not isinstance(i, InputWarning)] == [("Article", "One")]
    assert items[0].id == path_id(real / "deep" / "one.txt")


def _as_nobody() -> list[str] | None:
    """A command prefix that drops root's privileges, so file permissions apply."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unreadable_directory_and_path_are_reported_and_the_rest_stored():
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested honestly")
    work = Path(tempfile.mkdtemp(prefix="newsgraph-perm-"))
    try:
        inputs = work / "in"
        (inputs / "locked").mkdir(parents=True)
        (inputs / "ok.txt").write_text(f"Fine\n{PUTIN}\n")
        (inputs / "locked" / "secret.txt").write_text(f"Secret\n{LAVROV}\n")
        beside = work / "beside.txt"
        beside.write_text(f"Beside\n{LAVROV}\n")
        for path in (work, inputs, inputs / "ok.txt", beside):
            os.chown(path, 65534, 65534)
        (inputs / "locked").chmod(0)
        report = work / "report.jsonl"
        result = subprocess.run([*prefix, NEWSGRAPH, "ingest", str(inputs), str(inputs / "locked" / "secret.txt"),
                                 str(beside), "--db", str(work / "g.db"), "--report", str(report), "--json"],
                                capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(work)},
                                check=False)  # fmt: skip
        assert result.returncode == 3, result.stderr
        reported = {(r["source"], r["reason"]) for r in _report(report)}
        assert reported == {(str(inputs / "locked"), "cannot read directory: Permission denied"),
                            (str(inputs / "locked" / "secret.txt"), "cannot read: Permission denied")}
        assert json.loads(result.stdout)["new"] == 2
    finally:
        (work / "in" / "locked").chmod(0o755)
        shutil.rmtree(work)


def test_outputs_that_are_inputs_or_the_store_are_refused_before_anything_is_written(cli, tmp_path):
    records = tmp_path / "in.jsonl"
    content = json.dumps({"id": "a", "text": PUTIN}) + "\n"
    records.write_text(content)
    db = str(tmp_path / "g.db")
    cli("ingest", str(records), "--db", db, "--quiet")
    store_bytes = Path(db).read_bytes()
    attempts = [
        ("ingest", str(records), "--db", db, "--report", str(records)),
        ("ingest", str(tmp_path), "--db", db, "--report", str(tmp_path / "." / "in.jsonl")),
        ("ingest", str(tmp_path), "--db", db, "--report", str(tmp_path / "new-report.jsonl")),
        ("ingest", str(records), "--db", db, "--report", db),
        ("ingest", str(records), "--db", db, "--report", f"{db}.state/seen.jsonl"),
        ("watch", str(records), "--db", db, "--times", "1", "--every", "1s", "--report", str(records)),
        ("extract", str(records), "-o", str(records)),
    ]
    for args in attempts:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("error: --") and "choose another file" in result.stderr
    assert records.read_text() == content and Path(db).read_bytes() == store_bytes


def test_ingest_a_folder_holding_its_store_does_not_read_the_store_state(cli, tmp_path, monkeypatch):
    (tmp_path / "story.txt").write_text(f"Story\n{PUTIN}\n")
    monkeypatch.chdir(tmp_path)  # the default store ./newsgraph.db, its state in the folder ingested
    for _ in range(2):
        result = cli("ingest", ".", "--json", "--quiet")
        assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["unchanged"] == 1 and summary["new"] == summary["failed"] == 0


def test_short_english_without_a_sidecar_is_ingested_and_a_language_skip_is_reported(cli, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "merkel.txt").write_text("Angela Merkel met Emmanuel Macron in Berlin on Monday.\n"
                                       "Angela Merkel met Emmanuel Macron in Berlin on Monday.\n")  # fmt: skip
    (inputs / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "short", "text": "Kenyan Sprinter Withdraws From Diamond League Meet"},
        {"id": "de", "text": "Die Europäische Union hat am Dienstag neue Sanktionen gegen Russland beschlossen."},
    ]) + "\n")  # fmt: skip
    report = tmp_path / "report.jsonl"
    result = cli("ingest", str(inputs), "--db", str(tmp_path / "g.db"), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stdout and "1 skipped" in result.stdout
    [skipped] = _report(report)
    assert skipped["article_id"] == "de" and skipped["reason"].startswith("language 'de' (detected, probability ")
    assert f"skipped {inputs / 'wire.jsonl'}:2: language 'de'" in result.stderr
    unknown = cli("ingest", str(inputs), "--db", str(tmp_path / "g.db"), "--language", "xx")
    assert unknown.exit_code == 2 and "--language xx" in unknown.stderr


def test_watch_reports_a_locked_store_and_retries_at_the_next_poll(tmp_path):
    records = tmp_path / "wire.jsonl"
    records.write_text(json.dumps({"id": "a", "text": PUTIN}) + "\n")
    db = str(tmp_path / "g.db")
    holder = open_store(db)  # another ingest holds the lock when the first poll comes
    process = subprocess.Popen([NEWSGRAPH, "watch", str(records), "--db", db, "--every", "1s", "--times", "3"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert "poll 1: store busy, trying again at the next poll" in first and "lock" in first
    finally:
        holder.close()
    stdout, _ = process.communicate(timeout=300)
    assert process.returncode == 0
    assert "poll 2: 1 new" in stdout and "poll 3: 0 new" in stdout


def test_watch_refuses_zero_polls_and_a_zero_interval(cli, tmp_path):
    for args in (["--times", "0"], ["--every", "0s"], ["--every", "0.0m"]):
        result = cli("watch", str(tmp_path), "--db", str(tmp_path / "g.db"), *args)
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "g.db").exists()


def test_ingest_that_finds_no_articles_says_so(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "picture.png").write_bytes(b"\x89PNG")
    result = cli("ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "g.db"), "--quiet")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"no articles found in {tmp_path / 'empty'}: nothing to ingest")


def test_ingest_json_keeps_progress_and_item_lines_on_stderr_unless_quiet(cli, tmp_path):
    records = tmp_path / "wire.jsonl"
    records.write_text(json.dumps({"id": "a", "text": PUTIN}) + "\n{broken\n")
    shown = cli("ingest", str(records), "--db", str(tmp_path / "g.db"), "--json")
    assert json.loads(shown.stdout)["new"] == 1
    assert f"failed {records}:2: invalid JSON" in shown.stderr and "articles" in shown.stderr
    quiet = cli("ingest", str(records), "--db", str(tmp_path / "g.db"), "--json", "--quiet")
    assert quiet.stderr == "" and json.loads(quiet.stdout)["unchanged"] == 1
