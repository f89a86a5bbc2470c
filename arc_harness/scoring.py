"""Official ARC scoring: validating attempts, scoring a task, aggregating a split.

Every function here is pure and total over solver output: a solver's answer is untrusted,
so malformed attempts become recorded reasons, never exceptions. The rules are in the
"Scoring rules" section of DESIGN.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from arc_harness.tasks import Grid, as_grid, grid_problem

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_AGGREGATION",
    "SplitScore",
    "TaskScore",
    "TestOutcome",
    "aggregate",
    "check_attempt",
    "score_task",
]

AGGREGATIONS = ("task_fraction", "task_solved", "pair_micro")
# The official ARC Prize testing harness averages, per task, the fraction of its test
# outputs solved; the datasets' READMEs count whole tasks (task_solved) instead.
DEFAULT_AGGREGATION = "task_fraction"


@dataclass(frozen=True, eq=False)
class TestOutcome:
    """One test input's result: correct or not, the validated attempts, and why any were bad.

    ``attempts`` holds one entry per attempt within the limit (None where invalid);
    attempts past the limit are only mentioned in ``invalid``.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    correct: bool
    attempts: tuple[Grid | None, ...]
    invalid: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class TaskScore:
    """The outcomes of one task's test inputs, in order."""

    tests: tuple[TestOutcome, ...]

    @property
    def n_tests(self) -> int:
        return len(self.tests)

    @property
    def n_correct(self) -> int:
        return sum(outcome.correct for outcome in self.tests)

    @property
    def score(self) -> float:
        """Fraction of the test outputs solved (0 for a task without tests)."""
        return self.n_correct / self.n_tests if self.tests else 0.0

    @property
    def solved(self) -> bool:
        """Whether every test output is solved."""
        return bool(self.tests) and self.n_correct == self.n_tests


@dataclass(frozen=True)
class SplitScore:
    """The three aggregations over one split's task set, with the raw counts."""

    split: str
    n_tasks: int
    n_tests: int
    task_fraction: float
    task_solved: float
    pair_micro: float
    solved_tasks: int
    solved_tests: int

    def value(self, aggregation: str = DEFAULT_AGGREGATION) -> float:
        """The named aggregation; ``aggregation`` must be one of :data:`AGGREGATIONS`."""
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"unknown aggregation {aggregation!r}; choose from {AGGREGATIONS}")
        return float(getattr(self, aggregation))


def _problem(raw: Any) -> str | None:
    """Why ``raw`` is not a grid, or None; total over any object."""
    if raw is None:
        return "missing (None)"
    # grid_problem accepts boolean arrays; colours are integers, so True/False is a mistake.
    if isinstance(raw, np.ndarray) and raw.dtype == np.bool_:
        return "dtype bool is not an integer type"
    try:
        return grid_problem(raw)
    # Solver output is untrusted and may be any object (a sequence whose indexing raises,
    # an int too large for int64, ...): scoring records that and never crashes.
    except Exception as err:
        return f"could not be read as a grid ({type(err).__name__}: {err})"


def check_attempt(raw: Any) -> tuple[Grid | None, str | None]:
    """Validate one attempt: ``(grid, None)`` when it is a grid, else ``(None, reason)``.

    >>> check_attempt([[1, 2]])[1] is None
    True
    >>> check_attempt([[1, 2], [3]])[1]
    'rows have different lengths [1, 2] (grid is not rectangular)'
    """
    problem = _problem(raw)
    if problem is not None:
        return None, problem
    try:
        return as_grid(raw), None
    except Exception as err:  # same reason as in _problem: a hostile sequence may still raise
        return None, f"could not be read as a grid ({type(err).__name__}: {err})"


def _items(value: Any) -> list[Any] | None:
    """``value`` as a list when it is a sequence (or array) of items, else None."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        return None
    try:
        return list(value)
    except Exception:  # untrusted solver output, as in _problem
        return None


def _same_grid(attempt: Grid, truth: Any) -> bool:
    truth = np.asarray(truth)
    return attempt.shape == truth.shape and bool(np.array_equal(attempt, truth))


def _score_test(entry: Any, truth: Any, max_attempts: int) -> TestOutcome:
    """Score one test input's attempts against its ground truth."""
    # A common slip: one grid where a list of attempts belongs (a list of attempts is never a grid).
    if _problem(entry) is None:
        return TestOutcome(False, (), ("expected a list of attempts, got a single grid",))
    attempts = _items(entry)
    if attempts is None:
        return TestOutcome(False, (), (f"expected a list of attempts, got {type(entry).__name__}",))
    if not attempts:
        return TestOutcome(False, (), ("no attempts for this test input",))
    limit = max(max_attempts, 0)
    grids: list[Grid | None] = []
    invalid: list[str] = []
    for number, raw in enumerate(attempts[:limit], start=1):
        grid, reason = check_attempt(raw)
        grids.append(grid)
        if reason is not None:
            invalid.append(f"attempt {number}: {reason}")
    for number in range(limit + 1, len(attempts) + 1):
        invalid.append(f"attempt {number} exceeds the {max_attempts} allowed")
    correct = any(grid is not None and _same_grid(grid, truth) for grid in grids)
    return TestOutcome(correct, tuple(grids), tuple(invalid))


def _all_wrong(n_tests: int, reason: str) -> TaskScore:
    return TaskScore(tuple(TestOutcome(False, (), (reason,)) for _ in range(n_tests)))


def score_task(attempts: Any, truths: Sequence[Any], max_attempts: int = 2) -> TaskScore:
    """Score a solver's attempts (one list per test input) against the task's test outputs.

    ``truths`` are trusted grids (``Task.test_outputs``); ``attempts`` may be anything and
    never makes this raise. Only the first ``max_attempts`` attempts per test are compared.

    >>> score_task([[[[1]], [[2]]]], [np.array([[2]])]).solved
    True
    """
    n_tests = len(truths)
    if attempts is None:
        return _all_wrong(n_tests, "no attempts given (the task failed or was not run)")
    entries = _items(attempts)
    if entries is None:
        kind = type(attempts).__name__
        return _all_wrong(n_tests, f"expected one list of attempts per test input, got {kind}")
    outcomes = []
    for index, truth in enumerate(truths):
        if index < len(entries):
            outcomes.append(_score_test(entries[index], truth, max_attempts))
        else:
            reason = f"no attempts: the prediction has {len(entries)} entries for {n_tests} test inputs"
            outcomes.append(TestOutcome(False, (), (reason,)))
    if len(entries) > n_tests and outcomes:
        # Results files keep reasons per test input only, so the surplus goes on the last one.
        extra = (
            f"{len(entries) - n_tests} extra entries ignored: the prediction has "
            f"{len(entries)} entries for {n_tests} test inputs"
        )
        last = outcomes[-1]
        outcomes[-1] = TestOutcome(last.correct, last.attempts, (*last.invalid, extra))
    return TaskScore(tuple(outcomes))


def _task_counts(score: TaskScore | None, n_tests: int) -> int:
    """Solved test outputs of one task, counting only the task set's ``n_tests`` inputs."""
    if score is None:
        return 0
    return sum(outcome.correct for outcome in score.tests[:n_tests])


def aggregate(
    split: str, scores: Mapping[str, TaskScore | None], tests_per_task: Mapping[str, int]
) -> SplitScore:
    """The three aggregations over the task set ``tests_per_task`` (missing tasks score 0).

    >>> aggregate("evaluation", {}, {"a": 1, "b": 2}).pair_micro
    0.0
    """
    fractions: list[float] = []
    solved_tasks = solved_tests = n_tests = 0
    for task_id, task_tests in tests_per_task.items():
        correct = _task_counts(scores.get(task_id), task_tests)
        n_tests += task_tests
        solved_tests += correct
        fractions.append(correct / task_tests if task_tests > 0 else 0.0)
        solved_tasks += task_tests > 0 and correct == task_tests
    n_tasks = len(fractions)
    return SplitScore(
        split=split,
        n_tasks=n_tasks,
        n_tests=n_tests,
        # fsum keeps the mean exact enough that task_solved <= task_fraction always holds.
        task_fraction=math.fsum(fractions) / n_tasks if n_tasks else 0.0,
        task_solved=solved_tasks / n_tasks if n_tasks else 0.0,
        pair_micro=solved_tests / n_tests if n_tests else 0.0,
        solved_tasks=solved_tasks,
        solved_tests=solved_tests,
    )
