"""Small builders and the shared checker, for the itinerary planner tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.shared_data import EXAMPLES_DIR, TOOLS_DIR, require_shared

EXAMPLES = [
    "itineraries-small-s101.json",
    "itineraries-small-matrix-s102.json",
    "itineraries-medium-s101.json",
    "itineraries-medium-matrix-s102.json",
]


def load_example(name: str) -> dict:
    require_shared()
    return json.loads((EXAMPLES_DIR / name).read_text())


def run_checker(problem_path: Path, plan_path: Path) -> tuple[int, dict]:
    """The independent checker's exit code and JSON line (skipped, visibly, without ../shared)."""
    require_shared()
    proc = subprocess.run(
        [sys.executable, str(TOOLS_DIR / "check_itineraries.py"), str(problem_path), str(plan_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def check_plan(
    tmp_path: Path, problem: dict, plan: dict, problem_path: Path | None = None
) -> tuple[int, dict]:
    if problem_path is None:
        problem_path = tmp_path / "problem.json"
        problem_path.write_text(json.dumps(problem))
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    return run_checker(problem_path, plan_path)


def tiny_problem(*, capacity: int = 1, n_delegations: int = 3, required: bool = False) -> dict:
    """One hall strip: stands S1..S4 in a row, 1 minute apart; delegations on one day."""
    stands = [
        {"id": f"S{i}", "x": 60.0 * i, "y": 0.0, "capacity": capacity,
         "windows": [{"day": "2025-11-18", "open": 600, "close": 720}]}
        for i in range(1, 5)
    ]  # fmt: skip
    delegations = [
        {
            "id": f"D{k}",
            "windows": [{"day": "2025-11-18", "start": 600, "end": 720, "from": "IN", "to": "IN"}],
            "visits": [
                {"stand": "S1", "score": 10, "duration": 30, "required": required and k == n_delegations},
                {"stand": "S2", "score": 1, "duration": 30},
            ],
        }
        for k in range(1, n_delegations + 1)
    ]
    return {
        "format": "exhibition.itineraries/v1",
        "days": ["2025-11-18"],
        "travel": {"kind": "euclidean", "metres_per_minute": 60},
        "points": [{"id": "IN", "x": 0.0, "y": 0.0}],
        "stands": stands,
        "delegations": delegations,
    }
