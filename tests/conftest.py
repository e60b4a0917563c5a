from __future__ import annotations

import os
import shutil
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
        store.query("MATCH (n) DETACH DELETE n")
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
