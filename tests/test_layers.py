"""The layering contract: each app imports only from the apps below it, so that a change in one
never ripples downwards and no import cycle hides behind an import inside a function. An app
that must tell the ones above it something sends a signal (``events.signals``,
``delegations.signals``) or calls a registry (``accounts.admission.on_admission_lost``), and
they connect in their ``AppConfig.ready``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "exhibition"
LAYERS = [
    "core",
    "accounts",
    "events",
    "floorplans",
    "exhibitors",
    "booking",
    "delegations",
    "meetings",
    "accreditation",
    "webhooks",
    "privacy",
]
RANK = {app: i for i, app in enumerate(LAYERS)}
# Modules allowed to reach up, each with its reason.
EXCEPTIONS = {
    # The demo seed builds the whole show, every app's part of it, from the bottom up.
    "events/demo/show.py",
}


def _imports(path: Path):
    package = list(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            yield (
                node.lineno,
                ".".join(base + ([node.module] if node.module else []))
                if node.level
                else (node.module or ""),
            )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_app_imports_only_from_the_apps_below_it():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        app = rel.parts[0]
        if app not in RANK or "migrations" in rel.parts or rel.as_posix() in EXCEPTIONS:
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if (
                len(parts) > 1
                and parts[0] == "exhibition"
                and parts[1] in RANK
                and RANK[parts[1]] > RANK[app]
            ):
                upward.append(f"exhibition/{rel}:{line} ({app}) imports {module} ({parts[1]})")
    assert upward == [], (
        "imports against the layering (core < accounts < events < floorplans < exhibitors "
        "< booking < delegations < meetings < accreditation < webhooks < privacy):\n" + "\n".join(upward)
    )


def test_the_contract_sees_relative_and_inline_imports(tmp_path):
    """The checker itself: an import inside a function, or written relatively, is still seen."""
    module = ROOT / "core" / "colours.py"
    assert any(m.startswith(("exhibition.core", "django")) for _l, m in _imports(module))
    fake = ROOT / "events" / "api" / "views.py"
    assert "exhibition.events.models" in {m for _l, m in _imports(fake)} or "exhibition.events.selectors" in {
        m for _l, m in _imports(fake)
    }
