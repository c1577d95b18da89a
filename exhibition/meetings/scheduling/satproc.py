"""The SAT side of the fewest extra breaks, in a child process.

`blocks.improve` asks "at most k extra breaks?" for k = 1, 2, ... of CP-SAT in its own
process and, on the encoding of `satblocks`, of CaDiCaL 1.9.5 here: whichever answers
first wins (a refutation from either proves a lower bound; a schedule from either is
optimal, since each asks k only after refuting k - 1). Solvers differ a lot from one
family of the B2B benchmark to another: on tic-13crafc.fixed040-Forb, CaDiCaL refutes
7 extra breaks in 12 s and finds the 8 of the optimum in 15 s, where Glucose (the
solver used before) refuted 7 in 19 s and did not find 8 within two minutes, and
CP-SAT does no better; on tic-13crafc.original it is the other way round.

CaDiCaL cannot be interrupted through PySAT, so it runs in a child process (started
with `subprocess`, which a Celery prefork worker may do; `multiprocessing` it may
not) that is killed when the search ends, is stopped or runs out of time. Its program
(``CHILD_PROGRAM``) imports nothing but PySAT. It reads one JSON document on stdin:
``{"solver", "clauses", "bounds", "k"}``, ``bounds[k]`` the literal that is false when there are at most k extra breaks (none
once k covers every break anyone may take), and prints one JSON line per answer:
``{"k": k, "status": "unsat"}`` then, for the first k that has a schedule,
``{"k": k, "status": "sat", "true": [variables set true]}``, or
``{"k": k, "status": "infeasible"}`` when even the largest k has none.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from typing import Any

CHILD_SOLVER = "cadical195"

# The child's program, passed with ``-c``: the child runs the code this process loaded,
# not whatever is on disk now (a deploy may replace the files under running workers).
# argv[1]: the parent's pid. On Linux the kernel kills the child when its parent dies
# (PR_SET_PDEATHSIG): a worker killed outright cannot kill its child, and a refutation
# may search for minutes.
CHILD_PROGRAM = """
import ctypes, json, os, signal, sys
if sys.platform.startswith("linux"):
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
if os.getppid() != int(sys.argv[1]):
    os._exit(0)
from pysat.solvers import Solver
request = json.load(sys.stdin)
bounds = request["bounds"]
k = request["k"]
with Solver(name=request["solver"], bootstrap_with=request["clauses"]) as solver:
    while True:
        if solver.solve(assumptions=[-bounds[k]] if k < len(bounds) else []):
            true = [lit for lit in solver.get_model() or [] if lit > 0]
            print(json.dumps({"k": k, "status": "sat", "true": true}), flush=True)
            break
        if k >= len(bounds):
            print(json.dumps({"k": k, "status": "infeasible"}), flush=True)
            break
        print(json.dumps({"k": k, "status": "unsat"}), flush=True)
        k += 1
"""


class SatChild:
    """The child solver's answers, as they come (read by a thread, polled by `poll`)."""

    def __init__(self, clauses: list[list[int]], bounds: list[int], k: int = 1) -> None:
        self.lower = 0  # proved: at least this many extra breaks
        self.true: set[int] | None = None  # the variables true in its schedule, once found
        self.infeasible = False
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._proc = subprocess.Popen(  # noqa: S603 -- our own script, with this interpreter
            [sys.executable, "-c", CHILD_PROGRAM, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        request = {"solver": CHILD_SOLVER, "clauses": clauses, "bounds": bounds, "k": k}
        self._writer = threading.Thread(target=self._write, args=(json.dumps(request),), daemon=True)
        self._writer.start()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _write(self, text: str) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            stdin.write(text)
            stdin.close()
        except (BrokenPipeError, ValueError):  # killed before it read everything
            return

    def _read(self) -> None:
        stdout = self._proc.stdout
        assert stdout is not None
        for line in stdout:
            try:
                self._answers.put(json.loads(line))
            except ValueError:
                return

    def poll(self) -> bool:
        """Take the answers that arrived; True once the child has a final answer (a
        schedule, or a proof that there is none)."""
        while True:
            try:
                answer = self._answers.get_nowait()
            except queue.Empty:
                break
            if answer["status"] == "unsat":
                self.lower = max(self.lower, answer["k"] + 1)
            elif answer["status"] == "sat":
                self.true = set(answer["true"])
            elif answer["status"] == "infeasible":
                self.infeasible = True
        return self.true is not None or self.infeasible

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def returncode(self) -> int | None:
        """None while the child runs."""
        return self._proc.poll()

    def close(self) -> None:
        """Kill the child if it still searches (CaDiCaL cannot be interrupted) and reap it."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._reader.join(timeout=5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
