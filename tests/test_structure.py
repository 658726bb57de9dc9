"""The package's shape: no import circle, layers that import only downwards, small modules, indexes that tell the truth.

Read from the sources (``ast``), so these tests are fast and import nothing of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lenet_explain"
MAX_LINES = 550  # "about 500 lines" per module, with room for a docstring
# The package's layers, bottom first: a module may import its own layer and the layers below it, never one above.
LAYERS = (
    ("errors", "limits", "terminal", "safe_files"),
    ("calculator",),
    ("models",),
    ("walkthrough",),
    ("cli", "__main__"),
    ("site",),
)
TOP = "__init__"  # the package's own __init__ re-exports from the bottom layer only


def module_name(path: Path) -> str:
    """Return the dotted name of a source file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_imports() -> dict[str, set[str]]:
    """Return every module's imports of other package modules, at module level and inside functions alike."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target.startswith("lenet_explain.") and target != name and not name.startswith(target + "."):
                    edges[name].add(target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one member (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_of(name: str) -> int:
    """Return the layer (0 = bottom) of a module ``lenet_explain.<unit>[.…]``."""
    unit = name.split(".")[1]
    return next(level for level, units in enumerate(LAYERS) if unit in units)


def test_circles_finds_a_loop_and_only_a_loop() -> None:
    """The checker itself: a three-module loop is found, a chain is not."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle_anywhere() -> None:
    assert circles(package_imports()) == []


def test_layers_import_only_downwards() -> None:
    upward = [f"{name} imports {target}" for name, targets in sorted(package_imports().items())
              for target in sorted(targets) if name != "lenet_explain" and layer_of(target) > layer_of(name)]
    assert upward == []


def test_every_unit_has_a_layer() -> None:
    units = {p.stem for p in PACKAGE.glob("*.py")} - {TOP} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    named = {unit for layer in LAYERS for unit in layer}
    assert units - named == set(), "a new subpackage or top-level module needs its place in LAYERS"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines; split it by concept"


@pytest.mark.parametrize("package", sorted(p.parent for p in PACKAGE.glob("*/__init__.py")), ids=lambda p: p.name)
def test_package_docstring_names_every_module(package: Path) -> None:
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    missing = [p.stem for p in sorted(package.glob("*.py")) if p.stem != "__init__" and p.stem not in docstring]
    assert missing == [], f"{package.name}/__init__.py does not say what these modules are"
