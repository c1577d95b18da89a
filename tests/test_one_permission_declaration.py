"""One way to declare a permission, pages and API alike: ``permission_required`` (one, or one per
HTTP method) checked on ``get_permission_object()``, with ``hide_denied`` where a refusal must
not reveal that the object exists. No other declaration (``object_permission_map``,
``company_perm``, ...) and no role branching in a view: whether someone is an organiser is
asked through a permission (``user.has_perm``), whose predicate lives in the app's rules.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "exhibition"
OTHER_DECLARATIONS = {"object_permission_map", "company_perm", "delegation_perm", "permission_map", "perm"}
ROLE_FLAGS = {"is_organiser", "is_organiser_admin"}


def _view_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.endswith("/views.py") or "/views/" in rel:
            yield path


def declarations_and_role_checks(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
                found.extend(
                    f"{node.name}.{target.id} (line {stmt.lineno})"
                    for target in targets
                    if isinstance(target, ast.Name) and target.id in OTHER_DECLARATIONS
                )
        elif isinstance(node, ast.Attribute) and node.attr in ROLE_FLAGS:
            found.append(f".{node.attr} (line {node.lineno})")
    return found


def test_views_declare_permissions_one_way_and_branch_on_no_role():
    found = []
    for path in _view_modules():
        found += [f"{path.relative_to(ROOT)}: {f}" for f in declarations_and_role_checks(path.read_text())]
    assert found == [], "\n".join(found)


def test_the_check_sees_both():
    source = (
        "class V:\n    permission_required = 'x'\n    company_perm = 'y'\n"
        "def f(roles):\n    return roles.is_organiser\n"
    )
    assert declarations_and_role_checks(source) == ["V.company_perm (line 3)", ".is_organiser (line 5)"]
