from __future__ import annotations

import time

import numpy as np
from grid_strategies import small_grids
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from arc_harness.tasks import Pair, Task, as_grid
from dsl import components as cc
from solvers import object_selection, search_solver
from solvers.object_selection import PROPERTIES, Selection

FAR = 1e12  # a deadline that never comes


def _scene(boxes: list[tuple[int, int, list[list[int]]]], size: int = 9) -> list[list[int]]:
    """A grid of background 0 with each patch placed at its (top, left)."""
    grid = np.zeros((size, size), dtype=int)
    for top, left, patch in boxes:
        p = np.asarray(patch)
        grid[top : top + p.shape[0], left : left + p.shape[1]] = p
    return grid.tolist()


# Blue squares holding red cells: the output is the square with the most red cells.
A = [[1, 1, 1], [1, 2, 1], [1, 1, 1]]
B = [[1, 2, 1], [2, 1, 2], [1, 1, 1]]
C = [[2, 1], [1, 2]]
D = [[1, 1, 1, 1], [1, 1, 1, 1]]
MOST_RED = make_task(
    [
        (_scene([(0, 0, A), (5, 4, B)]), B),
        (_scene([(1, 5, C), (5, 0, A), (0, 0, D)]), C),
        (_scene([(0, 5, A), (4, 4, D), (6, 0, B)]), B),
    ],
    [_scene([(0, 0, D), (3, 4, [[2, 2, 2], [1, 2, 1]]), (6, 0, C)])],
)


def test_a_selection_the_demonstrations_follow_answers_the_test():
    found = object_selection.fit(MOST_RED, FAR)
    assert found
    assert found[0].outputs[0].tolist() == [[2, 2, 2], [1, 2, 1]]
    assert found[0].prop == "cells_of_2" and found[0].most
    assert found[0].text.startswith("object selection: most cells_of_2 (")


def test_no_selection_when_a_test_input_ties():
    tied = make_task(
        [(p.input.tolist(), p.output.tolist()) for p in MOST_RED.train], [_scene([(0, 0, B), (5, 5, B)])]
    )
    assert all(s.outputs[0].tolist() != B for s in object_selection.fit(tied, FAR, limit=50))
    assert not any(s.prop == "cells_of_2" for s in object_selection.fit(tied, FAR, limit=50))


def test_no_selection_unless_outputs_are_smaller_or_before_the_deadline():
    same = make_task([([[1, 0], [0, 2]], [[1, 0], [0, 0]])], [[[1, 0], [0, 0]]])
    assert not object_selection.applicable(same)
    assert object_selection.fit(same, FAR) == []
    assert object_selection.fit(MOST_RED, time.time() - 1) == []


def test_selections_have_distinct_outputs_up_to_the_limit():
    found = object_selection.fit(MOST_RED, FAR, limit=20)
    keys = [tuple(o.tobytes() + bytes(o.shape) for o in s.outputs) for s in found]
    assert len(keys) == len(set(keys)) and len(found) <= 20
    assert [s.text for s in object_selection.fit(MOST_RED, FAR, limit=1)] == [found[0].text]


def test_the_crops_cut_the_box_or_lift_the_object_alone():
    grid = as_grid(_scene([(1, 1, [[3, 0], [3, 3]]), (1, 2, [[4]])], size=4))
    mode = cc.SINGLE_4
    largest = Selection(mode, "box", "size", True, ())
    alone = Selection(mode, "alone", "size", True, ())
    assert largest.on(grid).tolist() == [[3, 4], [3, 3]]
    assert alone.on(grid).tolist() == [[3, 0], [3, 3]]
    assert Selection(mode, "box", "top", True, ()).on(grid) is None  # both at the top: a tie
    frame = as_grid(_scene([(0, 0, [[5, 5, 5, 5], [5, 1, 2, 5], [5, 5, 5, 5]]), (4, 4, [[3, 3]])], size=6))
    assert Selection(mode, "inside", "size", True, ()).on(frame).tolist() == [[1, 2]]
    assert Selection(mode, "inside", "left", True, ()).on(frame) is None  # the 3s: one row, nothing inside


@settings(max_examples=40, deadline=None)
@given(
    st.lists(small_grids(), min_size=1, max_size=3),
    st.sampled_from(PROPERTIES),
    st.booleans(),
    st.sampled_from(sorted(object_selection.CONNECTIVITY)),
)
def test_a_fitted_selection_reproduces_every_demonstration(inputs, prop, most, mode):
    # outputs by one selection, where it picks something smaller than the grid
    rule = Selection(mode, "box", prop, most, ())
    pairs = [(g, rule.on(g)) for g in inputs]
    pairs = [(g, o) for g, o in pairs if o is not None and o.shape != g.shape and o.size < g.size]
    if not pairs:
        return
    task = Task(
        "pick", tuple(Pair(as_grid(g), as_grid(o)) for g, o in pairs), (Pair(as_grid(pairs[0][0]), None),)
    )
    found = object_selection.fit(task, FAR, limit=5)
    assert found, "the selection that made the outputs fits"
    for selection in found:
        for grid, want in pairs:
            assert np.array_equal(selection.on(grid), want)


def test_the_solver_answers_with_a_selection_only_when_asked():
    found = solve(MOST_RED, attempts=2)
    assert [[2, 2, 2], [1, 2, 1]] in found.attempts[0]
    off = solve(MOST_RED, attempts=2, object_selection=False)
    assert not any(p.startswith("object selection:") for p in off.metadata["programs"])


def test_a_selection_ranks_as_two_calls_with_one_chosen_property():
    answers = search_solver.selection_answers(MOST_RED, FAR, 2)
    assert answers and all((a.cost, a.constants) == (2.0, 1) for a in answers)
    assert [a.program for a in answers] == [s.text for s in object_selection.fit(MOST_RED, FAR)]
