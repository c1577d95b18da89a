"""Deterministic generator of show-scale `exhibition.meetings/v1` problems.

    .venv/bin/python tests/bench/gen_meetings.py [--seed N] [--tables N] [--scale F] OUT.json

Mimics the generator of ``shared/data/examples`` (see its README): Zipf-like
popularity of exhibitors; delegations' requests weigh more (priority 2-3) than
visitors' (mostly 1); a few three-party meetings; participants away for lunch, on
other days, or arriving late; caps on meetings and breaks; a few meetings
restricted to the mornings or to one day; about 1% of delegation meetings pinned
(jointly feasible); optionally tables, some closed at times. The default is the
show scale: 3,670 participants (1,100 exhibitors, 70 delegations, 2,500 visitors),
20,000 accepted requests, 4 days of sixteen 30-minute slots (09:00-12:30 and
14:00-18:30).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, datetime, timedelta, timezone

TZ = timezone(timedelta(hours=1))
MORNING = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (12, 0)]
AFTERNOON = [(14, 0), (14, 30), (15, 0), (15, 30), (16, 0), (16, 30), (17, 0), (17, 30), (18, 0)]


def generate(
    seed: int = 1,
    exhibitors: int = 1100,
    delegations: int = 70,
    visitors: int = 2500,
    requests: int = 20000,
    days: int = 4,
    tables: int = 0,
) -> dict:
    rng = random.Random(seed)
    first = date(2025, 11, 18)
    slots, day_slots, morning = [], [], set()
    for d in range(days):
        ids = []
        for h, mi in MORNING + AFTERNOON:
            start = datetime(first.year, first.month, first.day, h, mi, tzinfo=TZ) + timedelta(days=d)
            sid = f"d{d + 1}-{h:02d}{mi:02d}"
            slots.append(
                {"id": sid, "start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat()}
            )
            ids.append(sid)
            if (h, mi) in MORNING:
                morning.add(sid)
        day_slots.append(ids)
    all_ids = [s["id"] for s in slots]
    n_slots = len(all_ids)

    def lunch(d: int) -> list[str]:
        ids = day_slots[d]
        return rng.choice([ids[5:7], ids[6:8], ids[6:7], ids[7:8]])

    participants, unavailable = [], {}
    exh = [f"EXH-{i + 1:04d}" for i in range(exhibitors)]
    dels = [f"DEL-{i + 1:03d}" for i in range(delegations)]
    vis = [f"VIS-{i + 1:05d}" for i in range(visitors)]
    for pid in exh:
        un: list[str] = []
        r = rng.random()
        if r < 0.06:
            d = rng.randrange(days)
            un += lunch(d) if rng.random() < 0.5 else day_slots[d][-rng.randint(2, 4) :]
        participants.append({"id": pid, "kind": "exhibitor", "unavailable": un})
    for pid in dels:
        un = []
        for d in range(days):
            if rng.random() < 0.6:
                un += lunch(d)
            if rng.random() < 0.15:
                un += day_slots[d][: rng.randint(2, 5)]
        participants.append(
            {"id": pid, "kind": "delegation", "unavailable": sorted(set(un), key=all_ids.index)}
        )
    for pid in vis:
        un = []
        present = set(rng.sample(range(days), min(days, rng.choice([1, 1, 2, 2, 2, 3, 4]))))
        for d in range(days):
            if d not in present:
                un += day_slots[d]
                continue
            if rng.random() < 0.3:
                un += lunch(d)
            if rng.random() < 0.15:
                un += day_slots[d][: rng.randint(1, 6)]  # arriving late
            elif rng.random() < 0.1:
                un += day_slots[d][-rng.randint(1, 5) :]  # leaving early
        participants.append({"id": pid, "kind": "visitor", "unavailable": sorted(set(un), key=all_ids.index)})
    for p in participants:
        unavailable[p["id"]] = set(p["unavailable"])
        cap_p = {"exhibitor": 0.22, "visitor": 0.1, "delegation": 0.0}[p["kind"]]
        if rng.random() < cap_p:
            p["max_meetings"] = rng.randint(2, 16) if p["kind"] == "exhibitor" else rng.randint(2, 6)
        mb_p = {"exhibitor": 0.1, "visitor": 0.0, "delegation": 0.1}[p["kind"]]
        if rng.random() < mb_p:
            p["max_breaks"] = rng.randint(1, 4) * days

    # Zipf-like popularity, each exhibitor receiving at most 1.5 x the slots.
    weight = [1.0 / (i + 1) ** 0.8 for i in range(exhibitors)]
    order = list(range(exhibitors))
    rng.shuffle(order)
    pop = {exh[order[i]]: weight[i] for i in range(exhibitors)}
    max_deg = int(1.5 * n_slots)
    degree = dict.fromkeys(exh, 0)
    vis_degree: dict[str, int] = {}
    pairs: set[frozenset[str]] = set()
    meetings = []

    def pick_exhibitor(exclude: set[str]) -> str | None:
        for _ in range(50):
            e = exh_pool[rng.randrange(len(exh_pool))]
            if e not in exclude and degree[e] < max_deg:
                return e
        return None

    # a pool with repetitions is much faster to sample than rng.choices over 1,100 weights
    exh_pool = [e for e in exh for _ in range(max(1, round(pop[e] * 200)))]

    n_del = int(requests * 0.19)
    n_three = int(requests * 0.02)
    n_vis = requests - n_del - n_three
    del_weight = [rng.uniform(0.5, 1.5) for _ in dels]
    vis_weight = [rng.paretovariate(2.2) for _ in vis]
    vis_max = 40

    def add(ps: list[str], priority: int) -> None:
        key = frozenset(ps)
        if key in pairs:
            return
        pairs.add(key)
        for p in ps:
            if p in degree:
                degree[p] += 1
        meetings.append({"participants": ps, "priority": priority})

    target = len(meetings) + n_del
    while len(meetings) < target:
        d = rng.choices(dels, weights=del_weight)[0]
        e = pick_exhibitor(set())
        if e:
            add([e, d], rng.choices([3, 2, 1], weights=[52, 40, 8])[0])
    target = len(meetings) + n_vis
    while len(meetings) < target:
        v = rng.choices(vis, weights=vis_weight)[0]
        e = pick_exhibitor(set())
        if e and vis_degree.get(v, 0) < vis_max:
            vis_degree[v] = vis_degree.get(v, 0) + 1
            add([e, v], rng.choices([1, 2, 3], weights=[60, 29, 11])[0])
    target = len(meetings) + n_three
    while len(meetings) < target:
        e1 = pick_exhibitor(set())
        e2 = pick_exhibitor({e1} if e1 else set())
        if not e1 or not e2:
            continue
        if rng.random() < 0.2:
            add([e1, e2, rng.choice(dels)], rng.choice([2, 3]))
        else:
            add(
                [e1, e2, rng.choices(vis, weights=vis_weight)[0]],
                rng.choices([1, 2, 3], weights=[60, 25, 15])[0],
            )
    rng.shuffle(meetings)
    for i, m in enumerate(meetings):
        m["id"] = f"REQ-{i + 1:05d}"
        m["slots"] = None
        m["fixed_slot"] = None
        m["location"] = None
        r = rng.random()
        if r < 0.02:
            m["slots"] = [s for s in all_ids if s in morning]
        elif r < 0.03:
            m["slots"] = list(day_slots[rng.randrange(days)])

    locations = []
    if tables:
        for t in range(tables):
            un = []
            if rng.random() < 0.15:
                d = rng.randrange(days)
                start = rng.randrange(len(day_slots[d]) - 3)
                un = day_slots[d][start : start + rng.randint(2, 4)]
            locations.append({"id": f"TABLE-{t + 1:03d}", "unavailable": un})

    # Pin about 1% of the delegation meetings, keeping the pins jointly feasible: at most
    # one pin per participant and day (so pins alone make no breaks), each in a slot
    # where all its participants are free and, with tables, on a table still free then.
    kinds = {p["id"]: p["kind"] for p in participants}
    caps = {p["id"]: p.get("max_meetings") for p in participants}
    pin_days: dict[str, set[int]] = {}
    pins_of: dict[str, int] = {}
    used_tables: set[tuple[str, str]] = set()
    day_of = {s: d for d, ids in enumerate(day_slots) for s in ids}
    for m in meetings:
        ps = m["participants"]
        if not any(kinds[p] == "delegation" for p in ps) or rng.random() >= 0.01:
            continue
        if any(caps[p] is not None and pins_of.get(p, 0) >= caps[p] for p in ps):
            continue
        options = [
            s
            for s in (m["slots"] or all_ids)
            if all(s not in unavailable[p] and day_of[s] not in pin_days.get(p, ()) for p in ps)
        ]
        free_tables = {
            s: [t["id"] for t in locations if s not in t["unavailable"] and (t["id"], s) not in used_tables]
            for s in options
        }
        if tables:
            options = [s for s in options if free_tables[s]]
        if not options:
            continue
        s = rng.choice(options)
        for p in ps:
            pin_days.setdefault(p, set()).add(day_of[s])
            pins_of[p] = pins_of.get(p, 0) + 1
        m["fixed_slot"] = s
        if tables:
            loc = rng.choice(free_tables[s])
            used_tables.add((loc, s))
            if rng.random() < 0.5:
                m["location"] = loc
    return {
        "format": "exhibition.meetings/v1",
        "name": f"generated show-scale seed {seed}" + (f" with {tables} tables" if tables else ""),
        "slots": slots,
        "participants": participants,
        "locations": locations,
        "meetings": meetings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tables", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply participant and request counts")
    args = parser.parse_args()
    k = args.scale
    data = generate(
        seed=args.seed,
        exhibitors=round(1100 * k),
        delegations=max(1, round(70 * k)),
        visitors=round(2500 * k),
        requests=round(20000 * k),
        tables=args.tables,
    )
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f)


if __name__ == "__main__":
    main()
