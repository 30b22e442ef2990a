"""The layers hold: views and API endpoints read through selectors, and modules stay small.

A view or endpoint validates, calls a service or a selector, and renders; the queries (and the
access rules applied in them) live in the selectors. Read from the source (ast), not by running.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "liaison"
MAX_LINES = 600

# Methods that only a queryset (or a manager) has among what views handle.
QUERY_METHODS = {
    "filter",
    "exclude",
    "order_by",
    "annotate",
    "aggregate",
    "values_list",
    "select_related",
    "prefetch_related",
    "first",
    "last",
    "exists",
}
# Methods a dict, a QueryDict, a list or a str has too; told apart by how they are called:
# a queryset's get takes lookups (keywords), dict.get and QueryDict.get do not; a queryset's
# count takes nothing, list.count and str.count take what to count; a queryset's values names
# fields, dict.values names nothing.
QUERY_IF_KEYWORDS = {"get"}
QUERY_IF_NO_ARGUMENTS = {"count"}
QUERY_IF_ARGUMENTS = {"values"}


def _is_view_or_api(path: Path) -> bool:
    name = path.stem
    return name in {"views", "api"} or name.endswith(("_views", "_api"))


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


VIEW_MODULES = [p for p in _sources() if _is_view_or_api(p)]


def _decorators(tree: ast.AST) -> set[int]:
    """The decorators' calls (``@router.get("/path", response=...)`` routes, it reads nothing)."""
    return {
        id(decorator)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for decorator in node.decorator_list
    }


def _queries(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    routes = _decorators(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, ".objects"))
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if id(node) in routes:
            continue
        method = node.func.attr
        if (
            method in QUERY_METHODS
            or (method in QUERY_IF_KEYWORDS and node.keywords)
            or (method in QUERY_IF_NO_ARGUMENTS and not node.args and not node.keywords)
            or (method in QUERY_IF_ARGUMENTS and (node.args or node.keywords))
        ):
            found.append((node.lineno, f".{method}()"))
    return sorted(found)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_endpoints_query_through_selectors(path):
    found = _queries(ast.parse(path.read_text(), filename=str(path)))
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in found)


def test_the_check_sees_a_query_and_lets_a_dict_be():
    """The check itself: a manager, a queryset's methods and lookups are found; reading a
    request's parameters, a dict's values or a list's count is not."""
    found = _queries(
        ast.parse(
            "Site.objects.all()\n"
            "qs.filter(a=1).order_by('b')\n"
            "qs.get(pk=1)\n"
            "qs.count()\n"
            "request.GET.get('page')\n"
            "errors.values()\n"
            "codes.count('x')\n"
        )
    )
    assert found == [
        (1, ".objects"),
        (2, ".filter()"),
        (2, ".order_by()"),
        (3, ".get()"),
        (4, ".count()"),
    ]


def test_no_module_is_over_600_lines():
    """Past ~600 lines a module is split by domain step (migrations are generated, and aside)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in _sources()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
