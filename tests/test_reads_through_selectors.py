"""Reads go through selectors, writes through services (CONVENTIONS.md, "Writing code" 1-2).

An AST check over the code, per app:

* page views and API views (``views.py``, ``views/``, ``api/views.py``) run no ORM query of
  their own: no ``Model.objects``, no ``get_object_or_404``, no queryset method (``filter``,
  ``order_by``, ...). They call a selector (reads) or a service (writes);
* selectors never write (no ``save``, ``create``, ``update``, ``delete``, ``get_or_create``,
  ...) and never import services.

A line may opt out only with ``# query: <reason>`` (on it or just above), for the rare read
that is not the view's to delegate (the reason says why).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXHIBITION = Path(__file__).resolve().parents[1] / "exhibition"
APPS = sorted(p.name for p in EXHIBITION.iterdir() if (p / "apps.py").exists() and p.name not in {"core"})
MARK = "# query:"

# Queryset and manager methods whose names say "a query" (``get``, ``count``, ``values``,
# ``update`` and ``delete`` also name dict, list or form methods: the check leaves them alone).
QUERY_METHODS = {
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "values_list",
    "order_by",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "only",
    "defer",
    "in_bulk",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "raw",
}
QUERY_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
QUERY_FUNCTIONS = {"get_object_or_404", "get_list_or_404"}
WRITE_METHODS = {
    "save",
    "create",
    "delete",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "select_for_update",
}


def _marked(lines: list[str], lineno: int) -> bool:
    here = lines[lineno - 1]
    above = lines[lineno - 2] if lineno > 1 else ""
    return MARK in here or above.strip().startswith(MARK)


def view_queries(path: Path) -> list[str]:
    """Each ORM query written in a view module, as ``path:line: what``."""
    text = path.read_text()
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        what = None
        if isinstance(node, ast.Attribute) and node.attr in QUERY_ATTRIBUTES:
            what = f".{node.attr}"
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in QUERY_FUNCTIONS:
                what = f"{func.id}()"
            elif isinstance(func, ast.Attribute) and func.attr in QUERY_METHODS:
                what = f".{func.attr}()"
        if what and not _marked(lines, node.lineno):
            found.append(
                (node.lineno, node.col_offset, f"{path.relative_to(EXHIBITION.parent)}:{node.lineno}: {what}")
            )
    return [f for *_, f in sorted(found)]


def selector_writes(path: Path) -> list[str]:
    """Each write, or import of services, in a selector module."""
    text = path.read_text()
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITE_METHODS:
                what = f".{node.func.attr}()"
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if "services" in (node.module or "").split(".") or "services" in names:
                what = f"imports {node.module or '.'} {sorted(names)}"
        if what and not _marked(lines, node.lineno):
            found.append(
                (node.lineno, node.col_offset, f"{path.relative_to(EXHIBITION.parent)}:{node.lineno}: {what}")
            )
    return [f for *_, f in sorted(found)]


def _modules(app: str, *names: str) -> list[Path]:
    root = EXHIBITION / app
    out = []
    for name in names:
        if (root / f"{name}.py").exists():
            out.append(root / f"{name}.py")
        if (root / name).is_dir():
            out += sorted((root / name).glob("*.py"))
    return out


@pytest.mark.parametrize("app", APPS)
def test_views_read_through_selectors(app):
    modules = _modules(app, "views") + _modules(app, "api/views")
    assert [q for path in modules for q in view_queries(path)] == []


@pytest.mark.parametrize("app", APPS)
def test_selectors_never_write(app):
    assert [w for path in _modules(app, "selectors") for w in selector_writes(path)] == []


def test_the_checks_see_a_query_and_a_write_and_accept_a_reasoned_line(tmp_path):
    view = EXHIBITION.parent / "tests" / "_probe_view.py"
    try:
        view.write_text(
            "def get(request, pk):\n"
            "    a = Stand.objects.all()\n"
            "    b = get_object_or_404(Stand, pk=pk)\n"
            "    c = request.user.memberships.filter(role='admin')\n"
            "    d = Stand.objects.first()  # query: the probe's own reason\n"
            "    return request.GET.get('q'), {}.values()\n"
            "def sel(event):\n"
            "    event.save()\n"
            "from exhibition.booking import services\n"
        )
        found = view_queries(view)
        assert [f.split(": ", 1)[1] for f in found] == [".objects", "get_object_or_404()", ".filter()"]
        assert [f.split(": ", 1)[1] for f in selector_writes(view)][:1] == [".save()"]
        assert any("imports exhibition.booking" in f for f in selector_writes(view))
    finally:
        view.unlink()
