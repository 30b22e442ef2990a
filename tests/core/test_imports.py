"""Every module imports on its own: no import circle between liaison's modules.

A module that imports only modules that do not import it back imports in any order, so the
graph of module-level imports (read from the source, not by importing) must have no cycle.
Imports inside functions (unless the module calls the function as it loads) and under
``TYPE_CHECKING`` run later or never, and do not count.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "liaison"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(name: str, path: Path) -> set[str]:
    """The liaison modules ``name`` imports when it is imported."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    imported = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                imported.add(base)
                # ``from liaison.core import audit`` imports the module liaison.core.audit.
                imported.update(f"{base}.{alias.name}" for alias in node.names)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    visit(tree.body)
    # A function called at module level runs its imports at import time too.
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        called = (
            call.func.id if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) else ""
        )
        if called in functions:
            visit(functions[called].body)
    return {module for module in imported if module in MODULES and module != name}


def _cycle() -> list[str] | None:
    graph = {name: _top_level_imports(name, path) for name, path in MODULES.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_there_is_no_import_circle_between_liaisons_modules():
    assert _cycle() is None


def test_the_circle_finder_finds_a_circle(tmp_path, monkeypatch):
    """The oracle itself: two modules that import each other are reported."""
    package = tmp_path / "liaison"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from liaison import b\n")
    (package / "b.py").write_text("import liaison.a\n")
    (package / "c.py").write_text("def later():\n    from liaison import d\n")
    (package / "d.py").write_text("def now():\n    from liaison import c\n\n\nnow()\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    monkeypatch.setattr(sys.modules[__name__], "MODULES", _modules())
    assert _cycle() == ["liaison.a", "liaison.b", "liaison.a"]


API_MODULES = sorted(name for name in MODULES if name.endswith(".api") or name == "liaison.urls")


@pytest.mark.parametrize("module", API_MODULES)
def test_an_api_module_imports_in_a_fresh_interpreter(module):
    """The modules that once imported only after ``liaison.api`` (the router circle)."""
    code = f"import django; django.setup(); import {module}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "liaison.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
