import copy
import json

import pytest

from exhibition.meetings.scheduling import (
    Assignment,
    ProblemError,
    Schedule,
    problem_to_dict,
    read_problem,
    read_schedule,
    schedule_to_dict,
)
from tests.meetings.scheduling.helpers import problem, slot
from tests.shared_data import EXAMPLES_DIR, require_shared

PEOPLE = [{"id": "A", "kind": "exhibitor"}, {"id": "B", "kind": "visitor"}]


def test_read_problem_defaults_and_order():
    data = problem(
        PEOPLE, [{"id": "M1", "participants": ["A", "B"]}], slots=[slot(1, 10), slot(1, 9), slot(2, 9)]
    )

    p = read_problem(data)

    assert [s.id for s in p.slots] == ["d1-0900", "d1-1000", "d2-0900"]
    assert p.days == ((0, 1), (2,))
    assert p.meetings[0].priority == 1
    assert p.meetings[0].slots is None
    assert p.participants[0].max_meetings is None
    assert p.locations == ()


def test_read_problem_ignores_unknown_keys():
    data = problem(
        [{"id": "A", "colour": "red"}, {"id": "B"}], [{"id": "M1", "participants": ["A", "B"], "note": "x"}]
    )
    data["extra"] = 1

    assert read_problem(data).meetings[0].participants == ("A", "B")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="v2"), "'format' must be 'exhibition.meetings/v1', got 'v2'"),
        (lambda d: d.pop("slots"), "'slots' is missing"),
        (lambda d: d.update(meetings={}), "'meetings' must be a list"),
        (lambda d: d["slots"].append(dict(d["slots"][0])), "duplicate slots id 'd1-0900'"),
        (
            lambda d: d["slots"][0].update(start="9 am"),
            "slot 'd1-0900' needs ISO 8601 'start' and 'end' with an offset",
        ),
        (
            lambda d: d["slots"][0].update(start="2025-11-18T09:00:00"),
            "slot 'd1-0900' needs ISO 8601 'start' and 'end' with an offset",
        ),
        (
            lambda d: d["slots"][0].update(end=d["slots"][0]["start"]),
            "slot 'd1-0900': 'start' must be before 'end'",
        ),
        (
            lambda d: d["slots"][1].update(start="2025-11-18T09:15:00+01:00"),
            "slots 'd1-0900' and 'd1-0930' overlap",
        ),
        (
            lambda d: d["participants"][0].update(unavailable=["nope"]),
            "participant 'A': 'unavailable' must list slot ids",
        ),
        (
            lambda d: d["participants"][0].update(max_meetings=-1),
            "participant 'A': 'max_meetings' must be a non-negative integer or null, got -1",
        ),
        (
            lambda d: d["participants"][0].update(max_breaks=True),
            "participant 'A': 'max_breaks' must be a non-negative integer or null, got True",
        ),
        (
            lambda d: d["meetings"][0].update(participants=["A"]),
            "meeting 'M1': 'participants' must list two or more participant ids",
        ),
        (
            lambda d: d["meetings"][0].update(participants=["A", "A"]),
            "meeting 'M1': its participants must be distinct",
        ),
        (lambda d: d["meetings"][0].update(participants=["A", "Z"]), "meeting 'M1': unknown participant 'Z'"),
        (
            lambda d: d["meetings"][0].update(priority=0),
            "meeting 'M1': 'priority' must be a positive integer, got 0",
        ),
        (
            lambda d: d["meetings"][0].update(priority=1.5),
            "meeting 'M1': 'priority' must be a positive integer, got 1.5",
        ),
        (lambda d: d["meetings"][0].update(slots=["x"]), "meeting 'M1': 'slots' must list slot ids"),
        (lambda d: d["meetings"][0].update(fixed_slot="x"), "meeting 'M1': unknown fixed_slot 'x'"),
        (lambda d: d["meetings"][0].update(location="T9"), "meeting 'M1': unknown location 'T9'"),
        (
            lambda d: d["locations"].append({"id": "T1", "unavailable": ["x"]}),
            "location 'T1': 'unavailable' must list slot ids",
        ),
        (lambda d: d["meetings"].append({"participants": ["A", "B"]}), "meetings[1] needs a string 'id'"),
    ],
)
def test_read_problem_rejects_malformed_input(mutate, message):
    data = problem(copy.deepcopy(PEOPLE), [{"id": "M1", "participants": ["A", "B"]}], locations=[])
    mutate(data)

    with pytest.raises(ProblemError) as exc:
        read_problem(data)

    assert exc.value.message == message


def test_read_problem_rejects_non_object():
    with pytest.raises(ProblemError) as exc:
        read_problem([1, 2])

    assert exc.value.message == "the problem must be a JSON object"


@pytest.mark.parametrize("name", ["meetings-small-s101.json", "meetings-medium-tables-s102.json"])
def test_problem_round_trip_on_examples(name):
    require_shared()
    data = json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
    p = read_problem(data)

    again = read_problem(json.loads(json.dumps(problem_to_dict(p))))

    assert again == p
    assert len(again.meetings) == len(data["meetings"])


def test_schedule_round_trip():
    s = Schedule([Assignment("M1", "d1-0900", "T1"), Assignment("M2", "d1-0930", None)], ["M3"])

    data = schedule_to_dict(s)

    assert data == {
        "format": "exhibition.meetings-schedule/v1",
        "assignments": [
            {"meeting": "M1", "slot": "d1-0900", "location": "T1"},
            {"meeting": "M2", "slot": "d1-0930", "location": None},
        ],
        "unscheduled": ["M3"],
    }
    back = read_schedule(json.loads(json.dumps(data)))
    assert back.assignments == s.assignments
    assert back.unscheduled == ["M3"]
