"""Solvers that misbehave on purpose, importable by worker processes as ``fixture_solvers:NAME``."""

from __future__ import annotations

import gc
import os
import time

import numpy as np

from arc_harness.solvers import Budget, Prediction, Solver
from arc_harness.tasks import Task
from solvers.baselines import SQUARE_GROUP, fitting_transforms

# The hidden answer of the leakage test task is a 3x3 grid of 7s: nothing in a public view
# looks like it. It is described, not stored, so the search below cannot find itself.
SENTINEL_SIDE, SENTINEL_COLOR = 3, 7


def _ids(text: str) -> set[str]:
    return {t for t in text.split(",") if t}


def misbehave(crash: str = "", hang: str = "", exit: str = "", hog: str = "", junk: str = "") -> Solver:
    """Identity, except on the listed task ids (comma-separated), where it fails in one way."""

    def solve(task: Task, budget: Budget) -> Prediction:
        if task.id in _ids(crash):
            raise RuntimeError(f"boom on {task.id}")
        if task.id in _ids(hang):
            while True:  # ignores its deadline on purpose
                time.sleep(0.05)
        if task.id in _ids(exit):
            os._exit(3)
        if task.id in _ids(hog):
            ballast = np.ones(80_000_000, dtype=np.int64)  # 640 MB, touched
            time.sleep(30)
            return Prediction([[ballast[:1].reshape(1, 1).tolist()]])
        if task.id in _ids(junk):
            return Prediction([[[[1, 2], [3]], "not a grid", [[12]]] for _ in task.test])
        return Prediction([[pair.input] for pair in task.test], {"pid": os.getpid(), "seed": budget.seed})

    return solve


def find_sentinel_in_memory() -> bool:
    """Search every object this process can reach for the sentinel answer grid."""
    for obj in gc.get_objects():
        for candidate in (obj, *gc.get_referents(obj)):
            if _is_sentinel(candidate):
                return True
    return False


def _is_sentinel(value: object) -> bool:
    if isinstance(value, np.ndarray):
        return value.shape == (SENTINEL_SIDE,) * 2 and bool((value == SENTINEL_COLOR).all())
    if isinstance(value, list) and len(value) == SENTINEL_SIDE:
        return all(
            isinstance(row, list) and row.count(SENTINEL_COLOR) == SENTINEL_SIDE == len(row) for row in value
        )
    return False


def cheater() -> Solver:
    """Answers the sentinel only if it can find it somewhere in its own process."""

    def solve(task: Task, budget: Budget) -> Prediction:
        outputs_visible = any(pair.output is not None for pair in task.test)
        found = find_sentinel_in_memory()
        answer = [[SENTINEL_COLOR] * SENTINEL_SIDE] * SENTINEL_SIDE if found else [[0]]
        return Prediction([[answer] for _ in task.test], {"found": found, "outputs": outputs_visible})

    return solve


def slow(seconds: float = 0.3) -> Solver:
    """Identity after sleeping, for interruption tests."""

    def solve(task: Task, budget: Budget) -> Prediction:
        time.sleep(seconds)
        return Prediction([[pair.input] for pair in task.test])

    return solve


def fitted(crash: str = "", hang: str = "") -> Solver:
    """The symmetry baseline dressed as a search solver (program text, stats); fails on listed ids.

    Without a fitting transform it guesses identity then a vertical flip: wrong answers of the
    right shape, so a report has differing cells to highlight.
    """

    def solve(task: Task, budget: Budget) -> Prediction:
        started = time.perf_counter()
        if task.id in _ids(crash):
            raise RuntimeError(f"boom on {task.id}")
        while task.id in _ids(hang):
            time.sleep(0.05)
        fits = fitting_transforms(task)
        names = (fits or ["identity", "flip_vertical"])[: budget.max_attempts]
        attempts = [[SQUARE_GROUP[name](pair.input).tolist() for name in names] for pair in task.test]
        stats = {
            "nodes_expanded": len(SQUARE_GROUP),
            "first_fit_seconds": time.perf_counter() - started if fits else None,
            "stop": "exhausted",
        }
        programs = [f"O = {name}(I)" for name in names]
        return Prediction(attempts, {"program": programs[0], "programs": programs, "stats": stats})

    return solve
