"""The import structure stays as the data flows: no module imports a later stage, and no two
modules import each other, however indirectly (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# Lowest first; a module may import from its own layer and the layers before it.
LAYERS = [
    ["models"],
    ["pipeline.errors", "pipeline.data_files"],
    ["pipeline.sources"],
    ["pipeline.nlp"],
    ["pipeline.graph"],
    ["pipeline.store"],
    ["pipeline.ingest", "pipeline.snapshots", "pipeline.evaluate"],
    ["pipeline.cli"],
]


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("models", "pipeline"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(path: Path, known: dict[str, Path], name: str) -> set[str]:
    """Project modules that `name` imports; `from package import module` names the module."""
    is_package = path.name == "__init__.py"
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rsplit(".", 1)[0]
                for _ in range(node.level - 1):
                    package = package.rsplit(".", 1)[0]
                base = f"{package}.{base}" if base else package
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                imported.add(target)
    return imported


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known, name) for name, path in known.items()}


def _layer(module: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return -1  # the `pipeline` package itself: documentation only


def test_layers_no_module_imports_a_later_stage():
    upward = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_layers_no_import_circles():
    graph = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_layers_every_module_belongs_to_a_layer():
    assert [m for m in _modules() if _layer(m) < 0 and m != "pipeline"] == []
