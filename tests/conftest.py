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


STORES = [
    pytest.param("ladybug", id="ladybug"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.skipif(
        not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: no Neo4j server to test against")),
]


@pytest.fixture(params=STORES)
def store_target(request, tmp_path: Path) -> str:
    """Where the store contract suite writes: a fresh LadybugDB file, or the Neo4j server
    named by NEO4J_URI, emptied first (point it at a throwaway database)."""
    if request.param == "ladybug":
        return str(tmp_path / "contract.db")
    uri = os.environ["NEO4J_URI"]
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
