from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.nlp.extract import extract
from pipeline.sources.read import read_sources

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "asiae-2024-04-17-china-russia-exports.txt"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def seed_result():
    [result] = list(extract(read_sources([SEED])))
    return result


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_result) -> str:
    """The seed article in a LadybugDB store, one per test module (modules may write to it)."""
    from pipeline.graph.build import build_graph
    from pipeline.store import open_store

    target = str(tmp_path_factory.mktemp("seed") / "seed.db")
    with open_store(target) as store:
        store.write([build_graph(seed_result)])
    return target


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "graph.db")


# `make test` starts a private Neo4j when java and mvn are on the PATH (tools/neo4j/) and sets
# NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD; CI sets NEWSGRAPH_REQUIRE_NEO4J=1 so that a
# missing server fails the run instead of skipping its tests.
REQUIRE_NEO4J = os.environ.get("NEWSGRAPH_REQUIRE_NEO4J", "") not in ("", "0")
NO_NEO4J = "no Neo4j server: NEO4J_URI is not set (make test starts one when java and mvn are on the PATH)"


def pytest_configure(config):
    if REQUIRE_NEO4J and not os.environ.get("NEO4J_URI"):
        raise pytest.UsageError(
            "NEWSGRAPH_REQUIRE_NEO4J is set but NEO4J_URI is not: the Neo4j contract tests would be skipped")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The Neo4j tests empty and fill one shared server, so they cannot run on two pytest-xdist
    workers at once (`make test` runs them in a serial pass after the parallel one). Refuse
    rather than fail at random."""
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("NEO4J_URI"):
        shared = [item.nodeid for item in items if item.get_closest_marker("neo4j")]
        if shared:
            raise pytest.UsageError(
                f"{shared[0]} and {len(shared) - 1} other Neo4j tests share one server: run them "
                "without -n (pytest -m neo4j), the rest with -n (pytest -n 2 -m 'not neo4j')")


def neo4j_uri() -> str:
    """The Neo4j server to test against, or a skip of the test that asked for it."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip(NO_NEO4J)
    return uri


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Every skip for want of a server is reported from one place, so `-ra` folds them into
    one line instead of one per test."""
    report = (yield).get_result()
    if report.skipped and isinstance(report.longrepr, tuple) and NO_NEO4J in str(report.longrepr[2]):
        report.longrepr = (__file__, neo4j_uri.__code__.co_firstlineno, report.longrepr[2])


STORES = [
    pytest.param("ladybug", id="ladybug"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
]


@pytest.fixture(params=STORES)
def store_target(request, tmp_path: Path) -> str:
    """Where the store contract suite writes: a fresh LadybugDB file, or the Neo4j server
    named by NEO4J_URI, emptied first (point it at a throwaway database)."""
    if request.param == "ladybug":
        return str(tmp_path / "contract.db")
    uri = neo4j_uri()
    from pipeline.store import open_store

    with open_store(uri) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
    return uri


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of samples/ for tests that change articles."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


# --- servers of a test's own: started, killed and restarted by that test -------------------

NEO4J_TOOL = ROOT / "tools" / "neo4j" / "server.py"
NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")


class OwnNeo4j:
    """A Neo4j server that one test starts with tools/neo4j/server.py (auth on), and may kill
    (SIGKILL, no shutdown), restart on the same data and port, or start on a home that
    `neo4j-admin database import` filled. It watches the pytest process, so nothing outlives
    the run."""

    def __init__(self, state_dir: Path):
        self.state_dir = state_dir

    def _tool(self, *args: str) -> None:
        done = subprocess.run([sys.executable, str(NEO4J_TOOL), *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    def start(self, home: Path | None = None) -> OwnNeo4j:
        self._tool("start", "--state-dir", str(self.state_dir), "--watch-pid", str(os.getpid()),
                   *(["--home", str(home)] if home else []))  # fmt: skip
        return self

    @property
    def state(self) -> dict:
        return json.loads((self.state_dir / "server.json").read_text(encoding="utf-8"))

    @property
    def uri(self) -> str:
        return self.state["uri"]

    def env(self, home: Path, **extra: str) -> dict[str, str]:
        """The environment of a `newsgraph` subprocess pointed at this server; its run state
        (~/.newsgraph) goes under `home`."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "NEWSGRAPH_DB"}
        env.update({"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.state["user"],
                    "NEO4J_PASSWORD": self.state["password"], "HOME": str(home)} | extra)  # fmt: skip
        return env

    def kill(self) -> None:
        pid = int(self.state["pid"])
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:  # not our child: init reaps it
            time.sleep(0.05)

    def restart(self) -> None:
        self._tool("restart", "--state-dir", str(self.state_dir))

    def stop(self) -> None:
        if (self.state_dir / "server.json").exists():
            self._tool("stop", "--state-dir", str(self.state_dir))


@pytest.fixture
def own_neo4j(tmp_path: Path):
    """Start servers of this test's own (only where make test runs Neo4j: NEO4J_URI is set)."""
    neo4j_uri()
    servers: list[OwnNeo4j] = []

    def make(home: Path | None = None) -> OwnNeo4j:
        server = OwnNeo4j(tmp_path / f"neo4j-state-{len(servers)}")
        servers.append(server)
        return server.start(home)

    yield make
    for server in servers:
        server.stop()
