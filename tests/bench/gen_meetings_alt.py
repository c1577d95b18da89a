"""A second, differently drawn generator of show-scale `exhibition.meetings/v1` problems,
for validating the scheduler on instances it was not developed on.

    .venv/bin/python tests/bench/gen_meetings_alt.py [--seed N] [--tables N] OUT.json

It shares nothing with ``gen_meetings.py`` but the format. The show has halls and
sectors; buyers (visitors) ask for meetings with exhibitors of their sectors, more
often in the halls they walk; delegations ask for many meetings with the largest
exhibitors. Days differ in length (a short last day, 20-minute slots, one day with
a lunch pause without slots, the others continuous). Priorities run from 1 to 5
(mutual interest). Some meetings have three or four participants (two people of
one exhibitor's partner firms, or a buyer's colleague). Buyers come on one to four
days, some only in the mornings or afternoons; exhibitors take a team lunch and
hold stand duties; caps on meetings and on breaks are common. A few meetings are
restricted to a day or an afternoon, about 1 % are pinned (jointly feasible).
With ``--tables``, meetings take place at tables, some closed for cleaning.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=2))
# (first slot, number of 20-minute slots, lunch pause after this many slots or None)
DAYS = [((9, 0), 27, None), ((9, 0), 26, 12), ((9, 20), 27, None), ((9, 0), 15, None)]


def generate(
    seed: int = 1,
    exhibitors: int = 900,
    buyers: int = 2600,
    delegations: int = 60,
    requests: int = 20000,
    tables: int = 0,
) -> dict:
    rng = random.Random(seed * 7919 + 17)
    slots, day_slots = [], []
    for d, ((h, mi), n, pause) in enumerate(DAYS):
        t = datetime(2026, 6, 9 + d, h, mi, tzinfo=TZ)
        ids = []
        for i in range(n):
            if pause is not None and i == pause:
                t += timedelta(minutes=60)
            sid = f"D{d}S{i:02d}"
            slots.append({"id": sid, "start": t.isoformat(), "end": (t + timedelta(minutes=20)).isoformat()})
            ids.append(sid)
            t += timedelta(minutes=20)
        day_slots.append(ids)
    nd = len(day_slots)
    halls = 5
    sectors = 12
    participants, unav = [], {}
    exh_hall, exh_sectors, exh_size = {}, {}, {}
    for i in range(exhibitors):
        pid = f"X{i:04d}"
        exh_hall[pid] = rng.randrange(halls)
        exh_sectors[pid] = set(rng.sample(range(sectors), rng.choice([1, 1, 2, 3])))
        exh_size[pid] = rng.lognormvariate(0, 0.9)
        un: list[str] = []
        for d in range(nd):
            ids = day_slots[d]
            if rng.random() < 0.35:  # team lunch
                a = len(ids) // 2 + rng.randint(-3, 1)
                un += ids[a : a + rng.randint(2, 4)]
            if rng.random() < 0.1:  # stand duty
                a = rng.randrange(len(ids) - 3)
                un += ids[a : a + 3]
        if rng.random() < 0.05:
            un += day_slots[nd - 1]
        participants.append({"id": pid, "kind": "exhibitor", "unavailable": sorted(set(un))})
    buyer_hall = {}
    for i in range(buyers):
        pid = f"B{i:05d}"
        buyer_hall[pid] = rng.sample(range(halls), rng.choice([1, 2, 2, 3]))
        present = set(rng.sample(range(nd), rng.choice([1, 1, 1, 2, 2, 3, 4])))
        un = []
        for d in range(nd):
            ids = day_slots[d]
            if d not in present:
                un += ids
                continue
            r = rng.random()
            if r < 0.2:
                un += ids[len(ids) // 2 :]  # mornings only
            elif r < 0.35:
                un += ids[: len(ids) // 2]  # afternoons only
            elif r < 0.5:
                un += ids[: rng.randint(1, 8)]
        participants.append({"id": pid, "kind": "buyer", "unavailable": sorted(set(un))})
    dels = [f"DLG{i:03d}" for i in range(delegations)]
    for pid in dels:
        un = []
        for d in range(nd):
            if rng.random() < 0.25:
                un += day_slots[d]
            elif rng.random() < 0.5:
                a = len(day_slots[d]) // 2 - 2
                un += day_slots[d][a : a + 4]
        participants.append({"id": pid, "kind": "delegation", "unavailable": sorted(set(un))})
    for p in participants:
        unav[p["id"]] = set(p["unavailable"])
        if rng.random() < {"exhibitor": 0.3, "buyer": 0.25, "delegation": 0.2}[p["kind"]]:
            p["max_meetings"] = rng.randint(3, 30) if p["kind"] != "buyer" else rng.randint(2, 10)
        if rng.random() < {"exhibitor": 0.15, "buyer": 0.1, "delegation": 0.2}[p["kind"]]:
            p["max_breaks"] = rng.randint(0, 6)

    exh = list(exh_hall)
    buy = [p["id"] for p in participants if p["kind"] == "buyer"]
    buyer_sectors = {b: set(rng.sample(range(sectors), rng.choice([1, 2, 2, 3]))) for b in buy}
    by_sector_hall: dict[tuple[int, int], list[str]] = {}
    for e in exh:
        for s in exh_sectors[e]:
            by_sector_hall.setdefault((s, exh_hall[e]), []).append(e)
    big = sorted(exh, key=lambda e: -exh_size[e])[: len(exh) // 5]
    activity = {b: rng.paretovariate(1.8) for b in buy}
    seen: set[frozenset[str]] = set()
    meetings: list[dict] = []

    def add(ps: list[str], prio: int) -> bool:
        key = frozenset(ps)
        if len(key) < len(ps) or key in seen:
            return False
        seen.add(key)
        meetings.append({"participants": ps, "priority": prio})
        return True

    n_dlg = int(requests * 0.15)
    n_multi = int(requests * 0.03)
    while len(meetings) < n_dlg:
        d = rng.choice(dels)
        e = rng.choice(big) if rng.random() < 0.7 else rng.choice(exh)
        add([e, d], rng.choices([5, 4, 3, 2], weights=[20, 35, 30, 15])[0])
    buyers_w = [activity[b] for b in buy]
    while len(meetings) < requests - n_multi:
        b = rng.choices(buy, weights=buyers_w)[0]
        s = rng.choice(sorted(buyer_sectors[b]))
        h = rng.choice(buyer_hall[b]) if rng.random() < 0.8 else rng.randrange(halls)
        pool = by_sector_hall.get((s, h))
        if not pool:
            continue
        e = max(rng.sample(pool, min(3, len(pool))), key=lambda x: exh_size[x])
        add([e, b], rng.choices([1, 2, 3, 4, 5], weights=[35, 30, 20, 10, 5])[0])
    while len(meetings) < requests:
        e = rng.choice(exh)
        others = rng.sample(buy, rng.choice([2, 2, 3]))
        if rng.random() < 0.3:
            others[0] = rng.choice(exh)
        add([e, *others], rng.randint(1, 5))
    rng.shuffle(meetings)
    for i, m in enumerate(meetings):
        m["id"] = f"M{i:05d}"
        r = rng.random()
        if r < 0.015:
            d = rng.randrange(nd)
            m["slots"] = day_slots[d][len(day_slots[d]) // 2 :]
        elif r < 0.03:
            m["slots"] = day_slots[rng.randrange(nd)]
    locations = []
    for t in range(tables):
        un = []
        for d in range(nd):
            if rng.random() < 0.2:
                a = rng.randrange(len(day_slots[d]) - 2)
                un += day_slots[d][a : a + 2]
        locations.append({"id": f"T{t:03d}", "unavailable": un})
    # pins: at most one per participant and day, in a slot free for all, on a free table
    pin_day: set[tuple[str, int]] = set()
    table_used: set[tuple[str, str]] = set()
    pins_of: dict[str, int] = {}
    caps = {p["id"]: p.get("max_meetings") for p in participants}
    day_of = {s: d for d, ids in enumerate(day_slots) for s in ids}
    for m in meetings:
        if rng.random() >= 0.01:
            continue
        ps = m["participants"]
        if any(caps[p] is not None and pins_of.get(p, 0) >= caps[p] for p in ps):
            continue
        opts = [
            s
            for s in (m.get("slots") or [x["id"] for x in slots])
            if all(s not in unav[p] and (p, day_of[s]) not in pin_day for p in ps)
        ]
        if tables:
            opts = [
                s
                for s in opts
                if any(s not in t["unavailable"] and (t["id"], s) not in table_used for t in locations)
            ]
        if not opts:
            continue
        s = rng.choice(opts)
        m["fixed_slot"] = s
        for p in ps:
            pin_day.add((p, day_of[s]))
            pins_of[p] = pins_of.get(p, 0) + 1
        if tables:
            free = [
                t["id"] for t in locations if s not in t["unavailable"] and (t["id"], s) not in table_used
            ]
            loc = rng.choice(free)
            table_used.add((loc, s))
            if rng.random() < 0.4:
                m["location"] = loc
    return {
        "format": "exhibition.meetings/v1",
        "name": f"alternative generator seed {seed}" + (f", {tables} tables" if tables else ""),
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
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(generate(seed=args.seed, tables=args.tables), f)


if __name__ == "__main__":
    main()
