"""Option values the CLI refuses before it touches a store: dates, event types, counts."""

from __future__ import annotations

import pytest

FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


def _windowed(db: str, out: str) -> list[list[str]]:
    """Every command that takes --since/--until, ready for the date options."""
    return [
        ["export", "--db", db, "--format", "json", "-o", out],
        ["top-actors", "--db", db],
        ["actors", "--db", db],
        ["relations", "Sergey Lavrov", "--db", db],
        ["timeline", "Sergey Lavrov", "--db", db],
        ["export", "--db", db, "--dates", "published", "--format", "json", "-o", out],
    ]


@pytest.mark.parametrize("value", ["garbage", "yesterday", "2024-13-45", "2024-02-30", "24", "2024-4", "2024/04/17"])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_cli_dates_that_are_not_dates_are_usage_errors(cli, seed_db, tmp_path, option, value):
    for command in _windowed(seed_db, str(tmp_path / "x.json")):
        result = cli(*command, option, value)
        assert result.exit_code == 2, (command, result.output)
        assert FORMS in result.output and repr(value) in result.output and option in result.output
    assert not (tmp_path / "x.json").exists()


def test_cli_since_after_until_is_a_usage_error(cli, seed_db, tmp_path):
    for command in _windowed(seed_db, str(tmp_path / "x.json")):
        result = cli(*command, "--since", "2024-05", "--until", "2024-04-30")
        assert result.exit_code == 2, (command, result.output)
        assert "--since 2024-05 is after --until 2024-04-30" in result.output


@pytest.mark.parametrize(("since", "until"), [("2024", "2024-04-30"), ("2024-04-09", "2024-04"), ("2024-02-29", None)])
def test_cli_partial_dates_in_order_are_accepted(cli, seed_db, tmp_path, since, until):
    window = ["--since", since] + (["--until", until] if until else [])
    for command in _windowed(seed_db, str(tmp_path / "x.json")):
        result = cli(*command, *window)
        assert result.exit_code == 0, (command, result.output)


@pytest.mark.parametrize("command", ["export", "top-actors"])
def test_cli_unknown_types_are_refused_with_the_known_ones(cli, seed_db, tmp_path, command):
    out = tmp_path / "x.json"
    args = [command, "--db", seed_db] + (["--format", "json", "-o", str(out)] if command == "export" else [])
    result = cli(*args, "--types", "MET,NOSUCH,CONSULT")
    assert result.exit_code == 2, result.output
    assert "'NOSUCH'" in result.output
    assert "PLOVER types: AGREE, CONSULT," in result.output and "relation types: ACCUSED," in result.output
    assert not out.exists()
    known = cli(*args, "--types", "met, consult")
    assert known.exit_code == 0, known.output


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [("path", "--max-hops", "-1"), ("path", "--max-hops", "0"), ("path", "--max-hops", "1000"),
     ("path", "--max-hops", "31"), ("actors", "--limit", "-5"), ("actors", "--limit", "0")],
)  # fmt: skip
def test_cli_counts_out_of_range_are_usage_errors(cli, seed_db, command, option, value):
    args = ["path", "Sergey Lavrov", "Xi Jinping"] if command == "path" else ["actors"]
    result = cli(*args, "--db", seed_db, f"{option}={value}")
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert "exception" not in result.output.lower() and "refused a statement" not in result.output


def test_cli_counts_in_range_reach_the_store(cli, seed_db):
    assert cli("path", "Sergey Lavrov", "Xi Jinping", "--db", seed_db, "--max-hops", "30").exit_code == 0
    assert cli("actors", "--db", seed_db, "--limit", "1").exit_code == 0
