"""`newsgraph --help` and `--version` answer at once: they import no heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "models", "spacy", "scipy", "numpy", "networkx", "ladybug", "neo4j", "httpx", "dateparser")
PROBE = """
import atexit, sys
heavy = sys.argv[1].split(",")
atexit.register(lambda: print("imported:", ",".join(m for m in heavy if m in sys.modules), file=sys.stderr))
from pipeline.cli import main
sys.argv = ["newsgraph", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["export", "--help"], ["ingest", "--help"],
                                  ["query", "--help"], ["top-actors", "--help"]])  # fmt: skip
def test_cli_help_and_version_import_no_heavy_library(args):
    result = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), *args], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "imported:", result.stderr
