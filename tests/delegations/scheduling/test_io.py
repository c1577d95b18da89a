"""Reading problems, writing plans, the command line and the management command."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from exhibition.delegations.management.commands.plan_itineraries import Command
from exhibition.delegations.scheduling import (
    PLAN_FORMAT,
    ProblemError,
    evaluate,
    plan,
    plan_from_dict,
    plan_to_dict,
    read_problem,
)
from tests.shared_data import EXAMPLES_DIR, REPO_ROOT

from .helpers import load_example, run_checker, tiny_problem


def test_read_problem_small_example_counts():
    problem = read_problem(load_example("itineraries-small-s101.json"))

    assert problem.days == ["2025-11-18"]
    assert len(problem.places) == 33
    assert len(problem.stands) == 30
    assert len(problem.delegations) == 1
    deleg = problem.delegations[0]
    assert deleg.id == "DEL-HU"
    assert len(deleg.candidates) == 24
    assert sum(c.required for c in deleg.candidates) == 1
    assert problem.stands[problem.stand_index["1A-100"]].windows == {0: [(570.0, 720.0), (780.0, 1080.0)]}
    assert problem.walk(problem.place_index["WELCOME-DESK"], problem.place_index["ENTRANCE-HALL1"]) == 0.25


def test_read_problem_matrix_example_keeps_asymmetric_times():
    data = load_example("itineraries-small-matrix-s102.json")
    problem = read_problem(data)

    a, b = "ENTRANCE-HALL1", "1A-100"
    assert problem.walk(problem.place_index[a], problem.place_index[b]) == data["travel"]["minutes"][a][b]
    assert problem.walk(problem.place_index[b], problem.place_index[a]) == data["travel"]["minutes"][b][a]


def _matrix_problem() -> dict:
    data = tiny_problem()
    ids = ["IN", "S1", "S2", "S3", "S4"]
    data["travel"] = {"kind": "matrix", "minutes": {a: {b: 1.0 for b in ids if b != a} for a in ids}}
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["travel"]["minutes"]["S2"].pop("S3"), "problem: travel matrix has no time from 'S2' to 'S3'"),
        (lambda d: d["travel"]["minutes"].pop("S4"), "problem: travel matrix has no row for 'S4'"),
        (lambda d: d["travel"]["minutes"]["S1"].update(S2=-1), "problem: travel time from 'S1' to 'S2' must be a number >= 0 (-1)"),
        (lambda d: d["points"].append({"id": "S1", "x": 0, "y": 0}), "problem: duplicate place id 'S1' (ids are unique across points and stands)"),
        (lambda d: d["delegations"].append(copy.deepcopy(d["delegations"][0])), "problem: duplicate delegation id 'D1'"),
        (lambda d: d["delegations"][0]["visits"].append({"stand": "S1", "score": 1, "duration": 5}), "problem: delegation 'D1' lists stand 'S1' twice"),
        (lambda d: d["delegations"][0]["visits"].append({"stand": "NOPE", "score": 1, "duration": 5}), "problem: delegation 'D1': visit to unknown stand 'NOPE'"),
        (lambda d: d["delegations"][0]["visits"].append({"stand": "IN", "score": 1, "duration": 5}), "problem: delegation 'D1': visit to unknown stand 'IN'"),
        (lambda d: d["delegations"][0]["visits"][0].update(score=0), "problem: delegation 'D1', stand 'S1': score must be a positive number"),
        (lambda d: d["delegations"][0]["windows"].append(dict(d["delegations"][0]["windows"][0])), "problem: delegation 'D1' has more than one window on 2025-11-18"),
        (lambda d: d["delegations"][0]["windows"][0].update({"from": "GATE"}), "problem: delegation 'D1': window on 2025-11-18: unknown place 'GATE' in 'from'"),
        (lambda d: d["stands"][0].update(capacity=0), "problem: stand 'S1': capacity must be a positive integer (0)"),
        (lambda d: d["stands"][0]["windows"][0].update(day="2025-12-01"), "problem: stand 'S1': window on unknown day '2025-12-01'"),
        (lambda d: d.update(format="exhibition.itineraries/v2"), "problem: 'format' must be 'exhibition.itineraries/v1', not 'exhibition.itineraries/v2'"),
        (lambda d: d.update(travel={"kind": "teleport"}), "problem: travel.kind must be 'euclidean' or 'matrix'"),
    ],
)  # fmt: skip
def test_read_problem_malformed_raises_problem_error(mutate, message):
    data = _matrix_problem()
    mutate(data)

    with pytest.raises(ProblemError) as exc:
        read_problem(data)

    assert exc.value.message == message


def test_read_problem_not_an_object_raises():
    with pytest.raises(ProblemError) as exc:
        read_problem([1, 2])

    assert exc.value.message == "problem: not a JSON object"


def test_plan_to_dict_round_trip_scores_the_same():
    data = load_example("itineraries-small-s101.json")
    problem = read_problem(data)
    result = plan(problem, time_limit=5, seed=1, max_rounds=1)

    out = plan_to_dict(result)
    back = evaluate(problem, plan_from_dict(json.loads(json.dumps(out))))

    assert out["format"] == PLAN_FORMAT
    assert [it["delegation"] for it in out["itineraries"]] == ["DEL-HU"]
    assert back.errors == []
    assert back.score == result.score
    assert back.walking_minutes == pytest.approx(result.walking_minutes, abs=1e-9)
    assert back.visits == result.visit_count


def test_cli_writes_a_valid_plan_and_one_summary_line(tmp_path):
    problem = EXAMPLES_DIR / "itineraries-small-matrix-s102.json"
    load_example(problem.name)  # skips without shared/
    out = tmp_path / "plan.json"

    proc = subprocess.run(
        [sys.executable, "-m", "exhibition.delegations.scheduling", "--problem", str(problem), "--out", str(out),
         "--time-limit", "1", "--seed", "3"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )  # fmt: skip
    code, report = run_checker(problem, out)

    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("1 delegations: ")
    assert f"score {report['score']:g} of 153" in lines[0]
    assert code == 0
    assert report["valid"] is True


def test_cli_unreadable_problem_exits_2_with_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")

    proc = subprocess.run(
        [sys.executable, "-m", "exhibition.delegations.scheduling", "--problem", str(bad), "--out", str(tmp_path / "o.json")],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )  # fmt: skip

    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"error: {bad} is not valid JSON: ")
    assert not (tmp_path / "o.json").exists()


def test_management_command_prints_summary(tmp_path, capsys):
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(tiny_problem()))
    out = tmp_path / "plan.json"

    call_command(Command(), problem=str(problem), out=str(out), time_limit=0.5, seed=0)

    printed = capsys.readouterr().out.strip()
    written = json.loads(out.read_text())
    assert printed.startswith("3 delegations: 5 visits, score 32 of 33, ")
    assert written["format"] == PLAN_FORMAT
    assert sum(len(it["visits"]) for it in written["itineraries"]) == 5


def test_management_command_missing_file_raises_command_error(tmp_path):
    missing = tmp_path / "nope.json"

    with pytest.raises(CommandError) as exc:
        call_command(Command(), problem=str(missing), out=str(tmp_path / "o.json"))

    assert str(exc.value) == f"cannot read {missing}: No such file or directory"


def test_management_command_bad_problem_raises_command_error(tmp_path):
    data = tiny_problem()
    data["delegations"][0]["visits"][0]["stand"] = "S9"
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(data))

    with pytest.raises(CommandError) as exc:
        call_command(Command(), problem=str(problem), out=str(tmp_path / "o.json"))

    assert str(exc.value) == f"{problem}: problem: delegation 'D1': visit to unknown stand 'S9'"
