"""No module reaches into another module's private names.

A name that starts with one underscore is the module's own business: another module that
imports it (``from .x import _helper``) or calls it through the module (``x._helper()``) ties
itself to a detail that may change without notice. What several modules of a package share
gets a public name in the package (see README, "Where things live"). Tests may reach in;
the project's code may not.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "exhibition"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(dotted: str) -> bool:
    target = ROOT.joinpath(*dotted.split("."))
    return target.with_suffix(".py").exists() or (target / "__init__.py").exists()


def reaches_into_private_names(path: Path, source: str | None = None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    here = ".".join(_module_of(path))
    modules: dict[str, str] = {}  # local name -> project module it is bound to
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(path, node)
            if not source.startswith("exhibition"):
                continue
            for alias in node.names:
                local = alias.asname or alias.name
                if _is_module(f"{source}.{alias.name}"):
                    modules[local] = f"{source}.{alias.name}"
                elif _private(alias.name) and source != here:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {source}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("exhibition") and alias.asname:
                    modules[alias.asname] = alias.name
    found.extend(
        f"{path.relative_to(ROOT)}:{node.lineno} uses {modules[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and _private(node.attr)
        and modules[node.value.id] != here
    )
    return found


def test_no_module_uses_another_modules_private_names():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            found += reaches_into_private_names(path)
    assert found == [], "private names used from another module:\n" + "\n".join(found)


def test_the_check_sees_both_ways_of_reaching_in():
    """The checker itself: an imported private name and a private attribute of an imported
    module are both seen; a module's own private names and dunders are not."""
    source = (
        "from exhibition.core.errors import _x\n"
        "from exhibition.core import errors\n"
        "from . import views as v\n"
        "errors._helper()\n"
        "v._thing\n"
        "errors.__name__\n"
        "def _mine():\n    return _mine\n"
    )
    found = reaches_into_private_names(PACKAGE / "core" / "probe.py", source)
    assert sorted(f.split(" ", 1)[1] for f in found) == [
        "imports exhibition.core.errors._x",
        "uses exhibition.core.errors._helper",
        "uses exhibition.core.views._thing",
    ]
