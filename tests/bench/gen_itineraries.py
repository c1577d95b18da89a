"""Deterministic show-scale generator for ``exhibition.itineraries/v1`` problems.

    .venv/bin/python tests/bench/gen_itineraries.py --out /tmp/show.json [--seed 7]
        [--delegations 150] [--stands 1100] [--halls 6] [--days 4]

The floor: ``halls`` halls side by side in two rows along a corridor. In a hall,
stands face east-west aisles (a stand sits 4 m off its aisle), with cross aisles at
both ends and in the middle; walking is along the aisles. Each hall has one door
on the corridor; the corridor holds an entrance per hall, a welcome desk and a
VIP lounge. Walking is 60 m/min and entering a hall (from the corridor or from
another hall) costs one more minute of badge control, so the matrix is not
symmetric. Stands open 09:30-18:00 (17:00 on the last day), about 6% close for a
lunch-time demo (12:00-13:00) on some days, 4% host two delegations at a time.

Delegations come for 1 to all days (09:30-11:00 until 15:00-18:00), want 20-60
stands drawn with Zipf-like popularity (partly clustered in a favourite hall),
15-30 minutes each, scores 1-10 (skewed low), and up to 3 required visits. The
required visits are only marked after a witness plan holding all of them was
built (visits timed one after the other, respecting walking, hours and
capacity), so a plan with every required visit exists.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SPEED = 60.0  # metres per minute
BADGE = 1.0  # minutes, on entering a hall
HALL_W, HALL_H = 180.0, 130.0
GAP = 40.0  # corridor between the two rows of halls
AISLE_STEP = 26.0
STAND_STEP = 7.5


def _hall_origin(h: int, halls: int) -> tuple[float, float]:
    per_row = (halls + 1) // 2
    col, row = h % per_row, h // per_row
    x = col * (HALL_W + 20.0)
    y = 0.0 if row == 0 else HALL_H + GAP
    return x, y


def _floor(n_stands: int, halls: int, rng: random.Random):
    """Stands: (id, hall, x, y, aisle_y); doors per hall (x, y)."""
    stands = []
    doors = []
    per_hall = [n_stands // halls + (1 if h < n_stands % halls else 0) for h in range(halls)]
    for h in range(halls):
        ox, oy = _hall_origin(h, halls)
        row = h // ((halls + 1) // 2)
        door = (ox + HALL_W / 2, oy + HALL_H if row == 0 else oy)
        doors.append(door)
        aisles = [oy + AISLE_STEP * (k + 0.5) for k in range(int(HALL_H // AISLE_STEP))]
        slots = []
        for a_i, ay in enumerate(aisles):
            for side in (-4.0, 4.0):
                x = ox + 6.0
                while x < ox + HALL_W - 6.0:
                    if abs(x - (ox + HALL_W / 2)) > 4.0:  # keep the middle cross aisle free
                        slots.append((x, ay + side, ay, a_i, side))
                    x += STAND_STEP
        rng.shuffle(slots)
        chosen = sorted(slots[: per_hall[h]], key=lambda s: (s[3], s[4], s[0]))
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        count: dict[str, int] = {}
        for x, y, ay, a_i, side in chosen:
            letter = letters[2 * a_i + (0 if side < 0 else 1)]
            count[letter] = count.get(letter, 0) + 1
            sid = f"{h + 1}{letter}-{100 + count[letter]}"
            stands.append((sid, h, round(x, 1), round(y, 1), ay))
    return stands, doors


def _in_hall_metres(a, b, h_origin_x) -> float:
    """Walking between two points of one hall along the aisles: (x, y, aisle_y)."""
    xa, ya, aya = a
    xb, yb, ayb = b
    off = abs(ya - aya) + abs(yb - ayb)
    if aya == ayb:
        return abs(xa - xb) + off
    crosses = (h_origin_x + 2.0, h_origin_x + HALL_W / 2, h_origin_x + HALL_W - 2.0)
    return min(abs(xa - c) + abs(c - xb) for c in crosses) + abs(aya - ayb) + off


def generate(
    seed: int = 7, n_delegations: int = 150, n_stands: int = 1100, halls: int = 6, n_days: int = 4
) -> dict:
    rng = random.Random(seed)
    days = [f"2025-11-{18 + i:02d}" for i in range(n_days)]
    stands, doors = _floor(n_stands, halls, rng)
    # corridor places (x, y): entrances just outside each door, desk, lounge
    cy = HALL_H + GAP / 2
    points = [
        (f"ENTRANCE-HALL{h + 1}", doors[h][0], cy + (-6.0 if doors[h][1] <= cy else 6.0))
        for h in range(halls)
    ]
    total_w = _hall_origin(halls - 1, halls)[0] + HALL_W
    points.append(("WELCOME-DESK", round(total_w / 2, 1), cy))
    points.append(("VIP-LOUNGE", 5.0, cy))

    # ---- travel matrix
    ids = [p[0] for p in points] + [s[0] for s in stands]
    # a place is (hall or -1, x, y, aisle_y)
    place = [(-1, p[1], p[2], p[2]) for p in points] + [(s[1], s[2], s[3], s[4]) for s in stands]
    door_pt = []
    for h in range(halls):
        ox, oy = _hall_origin(h, halls)
        dx, dy = doors[h]
        # just inside the door: on the nearest aisle, middle cross aisle
        aisles = [oy + AISLE_STEP * (k + 0.5) for k in range(int(HALL_H // AISLE_STEP))]
        ay = min(aisles, key=lambda a: abs(a - dy))
        door_pt.append((dx, dy, ay))
    to_door = {}  # place index -> metres to its hall's door
    for i, (h, x, y, ay) in enumerate(place):
        if h >= 0:
            dx, dy, day_ = door_pt[h]
            ox = _hall_origin(h, halls)[0]
            to_door[i] = _in_hall_metres((x, y, ay), (dx, day_, day_), ox) + abs(dy - day_)

    def corridor(p, q):
        return abs(p[0] - q[0]) + abs(p[1] - q[1])

    minutes: dict[str, dict[str, float]] = {}
    n = len(ids)
    for i in range(n):
        hi, xi, yi, ayi = place[i]
        row = {}
        for j in range(n):
            if i == j:
                continue
            hj, xj, yj, ayj = place[j]
            if hi >= 0 and hi == hj:
                m = _in_hall_metres((xi, yi, ayi), (xj, yj, ayj), _hall_origin(hi, halls)[0]) / SPEED
            else:
                metres = 0.0
                a = (xi, yi)
                if hi >= 0:
                    metres += to_door[i]
                    a = doors[hi]
                b = (xj, yj)
                if hj >= 0:
                    metres += to_door[j]
                    b = doors[hj]
                metres += corridor(a, b)
                m = metres / SPEED + (BADGE if hj >= 0 else 0.0)
            row[ids[j]] = round(m, 2)
        minutes[ids[i]] = row

    # ---- stands: hours, capacity
    stand_objs = []
    for sid, _h, x, y, _ay in stands:
        cap = 2 if rng.random() < 0.04 else 1
        wins = []
        lunch_days = {d for d in range(n_days) if rng.random() < 0.06}
        for d in range(n_days):
            close = 1020 if d == n_days - 1 else 1080
            if d in lunch_days:
                wins += [
                    {"day": days[d], "open": 570, "close": 720},
                    {"day": days[d], "open": 780, "close": close},
                ]
            else:
                wins.append({"day": days[d], "open": 570, "close": close})
        stand_objs.append({"id": sid, "x": x, "y": y, "capacity": cap, "windows": wins})

    # ---- delegations
    order = list(range(len(stands)))
    rng.shuffle(order)
    pop = [0.0] * len(stands)
    for rank, si in enumerate(order):
        pop[si] = 1.0 / (rank + 1) ** 0.7
    by_hall = [[i for i, s in enumerate(stands) if s[1] == h] for h in range(halls)]
    point_ids = [p[0] for p in points]
    delegations = []
    codes = set()
    while len(codes) < n_delegations:
        codes.add("DEL-" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)))
    for code in sorted(codes):
        n_win = rng.choice([1, 1, 2, 2, 2, 3, 3, n_days])
        win_days = sorted(rng.sample(range(n_days), min(n_win, n_days)))
        windows = []
        for d in win_days:
            start = rng.choice([570, 600, 630, 660])
            end = rng.choice([900, 960, 1020, 1080])
            if d == n_days - 1:
                end = min(end, 1020)
            frm = rng.choice(point_ids)
            to = frm if rng.random() < 0.6 else rng.choice(point_ids)
            windows.append({"day": days[d], "start": start, "end": end, "from": frm, "to": to})
        k = rng.randint(20, 60)
        fav = rng.randrange(halls)
        chosen: list[int] = []
        seen = set()
        while len(chosen) < k:
            if rng.random() < 0.4:
                pool = by_hall[fav]
                si = rng.choices(pool, weights=[pop[i] for i in pool])[0]
            else:
                si = rng.choices(range(len(stands)), weights=pop)[0]
            if si not in seen:
                seen.add(si)
                chosen.append(si)
        visits = []
        for si in chosen:
            score = min(10, 1 + int(rng.expovariate(0.35)))
            visits.append(
                {
                    "stand": stands[si][0],
                    "score": score,
                    "duration": rng.choice([15, 20, 25, 30]),
                    "required": False,
                }
            )
        delegations.append({"id": code, "windows": windows, "visits": visits})

    # ---- required visits, with a witness plan that holds all of them
    cap_of = {s["id"]: s["capacity"] for s in stand_objs}
    hours = {(s["id"], w["day"]): [] for s in stand_objs for w in s["windows"]}
    for s in stand_objs:
        for w in s["windows"]:
            hours[s["id"], w["day"]].append((w["open"], w["close"]))
    busy: dict[tuple[str, str], list[tuple[float, float]]] = {}

    def free(sid, day, s, e):
        if not any(o <= s and e <= c for o, c in hours.get((sid, day), [])):
            return False
        load = sum(1 for a, b in busy.get((sid, day), []) if a < e and s < b)
        return load < cap_of[sid]

    for d in delegations:
        want = rng.choice([0, 1, 1, 2, 2, 3, 3])
        if not want or not d["windows"]:
            continue
        w = rng.choice(d["windows"])
        day = w["day"]
        t, loc = float(w["start"]), w["from"]
        picks = rng.sample(range(len(d["visits"])), min(want, len(d["visits"])))
        for vi in picks:
            v = d["visits"][vi]
            s = t + minutes[loc][v["stand"]]
            placed = False
            while s + v["duration"] + minutes[v["stand"]][w["to"]] <= w["end"]:
                if free(v["stand"], day, s, s + v["duration"]):
                    placed = True
                    break
                s += 5.0
            if placed:
                busy.setdefault((v["stand"], day), []).append((s, s + v["duration"]))
                v["required"] = True
                t, loc = s + v["duration"], v["stand"]

    return {
        "format": "exhibition.itineraries/v1",
        "name": f"generated show seed {seed}",
        "days": days,
        "travel": {"kind": "matrix", "minutes": minutes},
        "points": [{"id": p[0], "x": round(p[1], 1), "y": round(p[2], 1)} for p in points],
        "stands": stand_objs,
        "delegations": delegations,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--delegations", type=int, default=150)
    ap.add_argument("--stands", type=int, default=1100)
    ap.add_argument("--halls", type=int, default=6)
    ap.add_argument("--days", type=int, default=4)
    a = ap.parse_args(argv)
    data = generate(a.seed, a.delegations, a.stands, a.halls, a.days)
    Path(a.out).write_text(json.dumps(data, separators=(",", ":")))
    n_req = sum(v["required"] for d in data["delegations"] for v in d["visits"])
    print(
        f"{a.out}: {len(data['stands'])} stands, {len(data['delegations'])} delegations, {n_req} required visits"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
