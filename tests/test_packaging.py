"""A plain `pip install .` (even with the pip 23.2 of Python 3.11) gives a working newsgraph:
every module the code imports comes from a declared dependency, and so does what a dependency
only asks for through an extra that old pips do not resolve."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT

# The dask extra, imported only by --executor dask; the train extra, only by `make model`.
OPTIONAL = {"distributed", "sklearn", "scipy"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_packaging_every_import_comes_from_a_declared_dependency():
    declared = {_name(r) for r in _project()["project"]["dependencies"]}
    imported: set[str] = set()
    for path in [*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "models").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"pipeline", "models", "__future__"} - OPTIONAL
    distributions = importlib.metadata.packages_distributions()
    undeclared = {m for m in third_party if not {_name(d) for d in distributions.get(m, [m])} & declared}
    assert not undeclared, f"imported but not declared in pyproject.toml: {sorted(undeclared)}"
    # jusText (under trafilatura) imports lxml.html.clean and asks for it as lxml[html_clean],
    # an extra pip 23.2 does not match to lxml's "html-clean"
    assert "lxml-html-clean" in declared


def test_packaging_license_is_an_spdx_string_for_a_setuptools_that_reads_it():
    project = _project()
    assert project["project"]["license"] == "MIT"
    [setuptools] = [r for r in project["build-system"]["requires"] if _name(r) == "setuptools"]
    assert re.search(r">=\s*(7[7-9]|[89]\d)", setuptools), setuptools  # PEP 639 strings arrived in 77
