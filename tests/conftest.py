from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.extract import extract
from pipeline.sources import read_sources

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
