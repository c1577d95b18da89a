"""Shared helpers for the scheduler tests: small problems in v1 JSON and the checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.shared_data import TOOLS_DIR, require_shared


def slot(day: int, hh: int, mm: int = 0) -> dict:
    start = f"2025-11-{17 + day:02d}T{hh:02d}:{mm:02d}:00+01:00"
    end_h, end_m = (hh, mm + 30) if mm == 0 else (hh + 1, 0)
    end = f"2025-11-{17 + day:02d}T{end_h:02d}:{end_m:02d}:00+01:00"
    return {"id": f"d{day}-{hh:02d}{mm:02d}", "start": start, "end": end}


def problem(
    participants: list[dict],
    meetings: list[dict],
    slots: list[dict] | None = None,
    locations: list[dict] | None = None,
) -> dict:
    if slots is None:
        slots = [slot(1, 9), slot(1, 9, 30), slot(1, 10), slot(1, 10, 30)]
    data = {
        "format": "exhibition.meetings/v1",
        "slots": slots,
        "participants": participants,
        "meetings": meetings,
    }
    if locations is not None:
        data["locations"] = locations
    return data


def check(problem_path: Path, schedule: dict, tmp_path: Path) -> dict:
    """Run the independent checker; return its JSON verdict."""
    require_shared()
    out = tmp_path / "schedule.json"
    out.write_text(json.dumps(schedule), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, str(TOOLS_DIR / "check_meetings.py"), str(problem_path), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def write(tmp_path: Path, data: dict, name: str = "problem.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
