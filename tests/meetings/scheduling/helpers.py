"""Shared helpers for the scheduler tests: small problems in v1 JSON and the checker."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from exhibition.meetings.scheduling.instance import Instance, bits
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


FIVE_SLOTS = [slot(1, 9), slot(1, 9, 30), slot(1, 10), slot(1, 10, 30), slot(1, 11)]


def mirrored_day(seed: int) -> dict:
    """Six people, eight meetings of two, two tables, five slots: nothing in the problem
    tells the morning from the end of the day."""
    rng = random.Random(seed)
    people = [{"id": x, "max_breaks": rng.choice([1, 2])} for x in "ABCDEF"]
    pairs = rng.sample([(a, b) for i, a in enumerate("ABCDEF") for b in "ABCDEF"[i + 1 :]], 8)
    meetings = [{"id": a + b, "participants": [a, b]} for a, b in pairs]
    return problem(people, meetings, slots=FIVE_SLOTS, locations=[{"id": "T1"}, {"id": "T2"}])


def fewest_breaks(inst: Instance) -> int | None:
    """Every schedule tried: the fewest breaks with every meeting placed, None if none."""
    best: list[int | None] = [None]
    busy = [0] * inst.P
    used = [0] * inst.S

    def place(m: int) -> None:
        if m == inst.M:
            total = 0
            for p in range(inst.P):
                b = inst.breaks_of_mask(busy[p])
                if b > inst.max_breaks[p]:
                    return
                total += b
            if best[0] is None or total < best[0]:
                best[0] = total
            return
        for s in bits(inst.dom[m]):
            if used[s] < inst.slot_cap[s] and not any(busy[p] >> s & 1 for p in inst.parts[m]):
                used[s] += 1
                for p in inst.parts[m]:
                    busy[p] |= 1 << s
                place(m + 1)
                used[s] -= 1
                for p in inst.parts[m]:
                    busy[p] &= ~(1 << s)

    place(0)
    return best[0]
