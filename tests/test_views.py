"""Colour-normalised views: renamings are per-example bijections decided from inputs, answers
renamed back are exact, and the search solver uses views only when the task needs them."""

from __future__ import annotations

import time

import numpy as np
import pytest
from grid_strategies import grids
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from arc_harness.tasks import Pair, Task, as_grid
from solvers import search_solver, views


def _task(draw_pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Task:
    train = tuple(Pair(as_grid(i), as_grid(o)) for i, o in draw_pairs)
    return Task("t", train, tuple(Pair(as_grid(g), as_grid(g)) for g in tests))


small = grids(max_side=6)
tasks = st.builds(
    _task,
    st.lists(st.tuples(small, small), min_size=1, max_size=3),
    st.lists(small, min_size=1, max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(tasks, st.booleans())
def test_renaming_is_a_permutation_fixing_output_only_colours(task, keep_shared):
    rename = views.frequency_renaming(task, keep_shared)
    inputs = [p.input for p in task.train + task.test]
    in_any = set().union(*(np.unique(g).tolist() for g in inputs))
    in_all = set.intersection(*(set(np.unique(g).tolist()) for g in inputs))
    painted = set().union(*(np.unique(p.output).tolist() for p in task.train))
    assert len(rename) == len(inputs)
    for perm in rename:
        assert sorted(perm.tolist()) == list(range(10))
        for colour in painted - in_any:
            assert perm[colour] == colour
        if keep_shared:
            for colour in in_all:
                assert perm[colour] == colour


@settings(max_examples=60, deadline=None)
@given(tasks)
def test_renaming_reads_no_test_output_and_restores_exactly(task):
    public = task.public()
    for view in views.colour_views(public):
        assert [g.tolist() for g in view.rename] == [
            g.tolist() for g in views.frequency_renaming(task, view.name.startswith("varying"))
        ]
        # The renamed test inputs, renamed back, are the test inputs.
        restored = view.restore([p.input for p in view.task.test])
        for back, pair in zip(restored, task.test, strict=True):
            assert np.array_equal(back, pair.input)
            assert not back.flags.writeable
        assert all(p.output is None for p in view.task.test)


def test_most_frequent_colour_ranks_first_and_ties_go_to_the_lower_colour():
    task = make_task([([[4, 4, 2], [2, 8, 8]], [[4]])], [[[1]]])
    rename = views.frequency_renaming(task, keep_shared=False)
    assert rename[0][[2, 4, 8]].tolist() == [0, 1, 2]
    assert rename[1][1] == 0


def test_one_renaming_shared_by_every_example_gives_no_view():
    # Same colours, same counts everywhere: renaming would only relabel the task.
    task = make_task([([[1, 1, 2]], [[2, 2, 1]]), ([[1, 2, 1]], [[2, 1, 2]])], [[[2, 1, 1]]])
    assert views.colour_views(task) == []


def _recoloured(grid: list[list[int]], mapping: dict[int, int]) -> list[list[int]]:
    return [[mapping.get(c, c) for c in row] for row in grid]


# Cycle the colours by frequency: most -> second -> third -> most. Each example has its own
# colours, so no one colour mapping fits the demonstrations; after renaming by frequency
# one does (0 -> 1 -> 2 -> 0).
_INPUTS = [
    [[0, 0, 0, 3], [0, 3, 0, 5], [0, 3, 0, 3], [0, 0, 5, 3]],
    [[0, 5, 0, 0], [5, 0, 3, 0], [0, 5, 0, 5], [0, 0, 5, 0]],
    [[2, 0, 0, 0], [0, 2, 0, 2], [0, 0, 4, 2], [2, 0, 0, 0]],
]
_CYCLES = [{0: 3, 3: 5, 5: 0}, {0: 5, 5: 3, 3: 0}, {0: 2, 2: 4, 4: 0}]
CYCLE_BY_FREQUENCY = make_task(
    [(grid, _recoloured(grid, cycle)) for grid, cycle in zip(_INPUTS, _CYCLES, strict=True)],
    [[[7, 0, 0, 3], [0, 7, 0, 0], [0, 7, 0, 7], [0, 0, 0, 0]]],
)
CYCLED = [[3, 7, 7, 0], [7, 3, 7, 7], [7, 3, 7, 3], [7, 7, 7, 7]]


def test_search_answers_through_a_view_when_the_task_itself_is_misread():
    assert CYCLED not in solve(CYCLE_BY_FREQUENCY, seconds=4, colour_views=False).attempts[0]
    prediction = solve(CYCLE_BY_FREQUENCY, seconds=4)
    assert prediction.attempts[0][0] == CYCLED
    assert prediction.metadata["program"] == "[colours by frequency] I | colours 0->1 1->2 2->0"
    assert "colours by frequency" in prediction.metadata["views"]


def test_views_are_not_searched_when_the_task_itself_is_settled():
    # flip_horizontal and rot180 both fit; they differ on the test input: two answers at cost 1.
    ambiguous = make_task([([[1, 2], [1, 2]], [[2, 1], [2, 1]])], [[[1, 2], [3, 4]]])
    assert views.colour_views(ambiguous)
    prediction = solve(ambiguous, seconds=4)
    assert sorted(prediction.attempts[0]) == [[[2, 1], [4, 3]], [[4, 3], [2, 1]]]
    assert prediction.metadata["views"] == []


class _Rounds:
    """Stands in for a Deepening: records each round's deadline, finishes after ``rounds``."""

    def __init__(self, log: list, name: str, rounds: int) -> None:
        self.log, self.name, self.left, self.finished = log, name, rounds, False

    def round(self, deadline: float) -> None:
        self.log.append((self.name, deadline))
        self.left -= 1
        self.finished = self.left == 0


def test_views_get_a_capped_first_round_then_the_reserve_in_equal_shares():
    log: list = []
    own, first, second = _Rounds(log, "own", 1), _Rounds(log, "a", 2), _Rounds(log, "b", 2)
    stop = time.time() + 100
    search_solver._share_time(own, [first, second], stop, time_limit=100)
    names = [name for name, _ in log]
    assert names == ["a", "b", "own", "a", "b"]
    deadlines = dict(zip(names[:3], [d for _, d in log[:3]], strict=True))
    assert deadlines["a"] <= time.time() + search_solver.VIEW_SHARE * 100
    assert deadlines["own"] == stop - search_solver.VIEW_RESERVE * 100
    # The first view's deeper round gets half of what is left, the second all the rest.
    assert log[3][1] < stop - 40 and log[4][1] == pytest.approx(stop)


def test_without_views_the_task_keeps_the_whole_budget():
    log: list = []
    stop = time.time() + 100
    search_solver._share_time(_Rounds(log, "own", 2), [], stop, time_limit=100)
    assert log == [("own", stop), ("own", stop)]
