"""tools/neo4j/server.py without a server: a record is trusted only while its pid is the
launcher of that very start, and the environment it hands out says nothing stale."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("neo4j_server_tool", ROOT / "tools" / "neo4j" / "server.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def _record(state_dir, pid: int, token: str = "t0k3n", home=None) -> None:
    state = {"pid": pid, "token": token, "port": 1, "uri": "bolt://127.0.0.1:1", "user": "neo4j",
             "password": "pw", "home": str(home) if home else None}  # fmt: skip
    tool.write_state(state_dir, state)


def test_a_record_of_a_dead_server_is_discarded_with_its_data(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _record(tmp_path, dead.pid, home=home)
    assert tool.running(tmp_path) is None
    assert not (tmp_path / tool.STATE_FILE).exists() and not home.exists()


def test_a_live_pid_that_is_not_the_recorded_launcher_is_never_signalled(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _record(tmp_path, other.pid)
        tool.stop(tmp_path, quiet=True)
        assert other.poll() is None, "stop signalled a process it did not start"
        assert not (tmp_path / tool.STATE_FILE).exists()
    finally:
        other.kill()
        other.wait()


def test_the_launcher_of_another_start_is_not_ours(tmp_path):
    fake = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", tool.MAIN_CLASS, "--token", "abc"])
    try:
        # the child's command line shows once it has exec'd, which a busy machine may delay
        deadline = time.monotonic() + 10
        while b"--token" not in Path(f"/proc/{fake.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert tool.is_ours({"pid": fake.pid, "token": "abc"})
        assert not tool.is_ours({"pid": fake.pid, "token": "other"})
        assert not tool.is_ours({"pid": fake.pid, "token": ""})
    finally:
        fake.kill()
        fake.wait()


def test_the_record_is_private_and_env_lines_quote_and_clear(tmp_path):
    _record(tmp_path, 1)
    assert (tmp_path / tool.STATE_FILE).stat().st_mode & 0o077 == 0
    state = json.loads((tmp_path / tool.STATE_FILE).read_text())
    assert tool.env_lines(state) == [
        "export NEO4J_URI=bolt://127.0.0.1:1", "export NEO4J_USERNAME=neo4j",
        "export NEO4J_PASSWORD=pw", "unset NEO4J_DATABASE",
    ]  # fmt: skip
    assert "unset NEO4J_PASSWORD" in tool.env_lines({**state, "password": None})


def test_a_private_run_hides_an_outside_server_from_the_child(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://elsewhere:7687")
    monkeypatch.setenv("NEO4J_DATABASE", "prod")
    env = tool.child_env({"uri": "bolt://127.0.0.1:5", "user": "neo4j", "password": None})
    assert env["NEO4J_URI"] == "bolt://127.0.0.1:5" and "NEO4J_DATABASE" not in env and "NEO4J_PASSWORD" not in env
    assert "NEO4J_URI" not in tool.child_env(None)
