"""Object views: a task split into one demonstration per object box only when no change
falls outside the boxes, answers painted back exactly, and the search solver answering
through the view a task it cannot answer whole."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from arc_harness.tasks import Pair, Task, as_grid
from dsl import components as cc
from solvers import object_views, search_solver

# Two-coloured shapes, none symmetric left to right.
SHAPES = [
    [[1, 1, 0], [0, 2, 0], [0, 2, 2]],
    [[3, 0], [3, 4], [4, 0]],
    [[5, 5, 6], [5, 0, 0]],
    [[7, 8], [0, 8]],
    [[9, 0, 0], [9, 1, 1]],  # only in the test input: no rule learnt cell by cell has seen it
]


def _scene(placed: list[tuple[int, int, int]], flip: bool) -> list[list[int]]:
    """A 10x10 grid with SHAPES[k] at (top, left) for each (k, top, left), each mirrored
    left to right inside its own box if ``flip``."""
    grid = np.zeros((10, 10), dtype=int)
    for k, top, left in placed:
        shape = np.array(SHAPES[k])
        shape = shape[:, ::-1] if flip else shape
        grid[top : top + shape.shape[0], left : left + shape.shape[1]] = shape
    return grid.tolist()


_DEMOS = [[(0, 1, 1), (1, 5, 6)], [(2, 0, 5), (3, 6, 1), (0, 6, 6)], [(1, 2, 2), (2, 7, 5)]]
_TEST = [(4, 1, 1), (0, 2, 6), (2, 7, 2)]
MIRROR_EACH = make_task([(_scene(d, False), _scene(d, True)) for d in _DEMOS], [_scene(_TEST, False)])
MIRRORED = _scene(_TEST, True)


def test_split_has_one_demonstration_per_object_and_reads_no_test_output():
    view = object_views.object_view(MIRROR_EACH)
    assert view is not None
    assert view.name == "each of the objects"
    assert len(view.task.train) == 7 and len(view.task.test) == 3
    assert all(p.output is None for p in view.task.test)
    first = view.task.train[0]
    assert first.input.tolist() == SHAPES[0]
    assert first.output.tolist() == [row[::-1] for row in SHAPES[0]]


def test_restore_paints_each_box_back_and_refuses_a_box_of_another_shape():
    view = object_views.object_view(MIRROR_EACH)
    flipped = [p.input[:, ::-1] for p in view.task.test]
    (restored,) = view.restore(flipped)
    assert restored.tolist() == MIRRORED
    assert not restored.flags.writeable
    assert view.restore([p.input.T for p in view.task.test]) is None


def test_no_split_when_a_change_falls_outside_every_box():
    pairs = [(_scene(d, False), _scene(d, True)) for d in _DEMOS]
    pairs[1][1][9][9] = 9  # a cell far from any object changes
    assert object_views.object_view(make_task(pairs, [_scene(_TEST, False)])) is None


def test_no_split_with_one_object_per_demonstration():
    # One box per demonstration is the task itself: nothing to gain, time to lose.
    pairs = [(_scene([d[0]], False), _scene([d[0]], True)) for d in _DEMOS]
    assert object_views.object_view(make_task(pairs, [_scene(_TEST, False)])) is None


def test_no_split_when_equal_boxes_change_differently():
    # The same shape mirrored in one demonstration and kept in another: no box program fits.
    kept = _scene(_DEMOS[2], False)
    pairs = [(_scene(d, False), _scene(d, True)) for d in _DEMOS[:2]] + [(kept, kept)]
    assert object_views.object_view(make_task(pairs, [_scene(_TEST, False)])) is None


def test_a_margin_lets_outlines_change_around_each_object():
    # Each single cell gets a ring of 4 around it: changes outside the bare boxes.
    def ringed(cells: list[tuple[int, int]], ring: bool) -> list[list[int]]:
        grid = np.zeros((9, 9), dtype=int)
        for r, c in cells:
            if ring:
                grid[r - 1 : r + 2, c - 1 : c + 2] = 4
            grid[r, c] = 2
        return grid.tolist()

    demos = [[(1, 1), (5, 6)], [(2, 5), (6, 2), (7, 7)]]
    task = make_task([(ringed(d, False), ringed(d, True)) for d in demos], [ringed([(4, 4), (1, 7)], False)])
    view = object_views.object_view(task)
    assert view is not None and view.name == "each of the objects with a margin"
    assert all(p.input.shape == (3, 3) for p in view.task.train)


def test_search_answers_through_the_object_view_what_it_cannot_answer_whole():
    # One call suffices in the view; a bound of one keeps the task's own rounds short, and
    # without colour views the object view is the only one to share the time.
    assert MIRRORED not in solve(MIRROR_EACH, seconds=4, max_cost=1.0, object_views=False).attempts[0]
    prediction = solve(MIRROR_EACH, seconds=4, max_cost=1.0, colour_views=False)
    assert prediction.attempts[0][0] == MIRRORED
    assert prediction.metadata["program"] == "[each of the objects] flip_horizontal(I)"
    assert prediction.metadata["views"] == ["each of the objects"]


def test_views_of_lists_colour_views_then_the_object_view_and_its_colour_views():
    names = [v.name for v in search_solver.views_of(MIRROR_EACH, colours=True, objects=True)]
    assert names == [
        "colours by frequency",
        "each of the objects",
        "each of the objects, colours by frequency",
        "each of the objects, varying colours by frequency",
    ]
    assert search_solver.views_of(MIRROR_EACH, colours=False, objects=False) == []
    assert [v.name for v in search_solver.views_of(MIRROR_EACH, colours=False, objects=True)] == [names[1]]


def test_a_colour_view_of_the_object_view_restores_through_both():
    # Renamed per box, then painted back: the test boxes' own inputs give the test input.
    *_, nested = search_solver.views_of(MIRROR_EACH, colours=True, objects=True)
    (restored,) = nested.restore([p.input for p in nested.task.test])
    assert restored.tolist() == MIRROR_EACH.test[0].input.tolist()
    assert nested.task.test[0].input.tolist() != SHAPES[4]  # the box was renamed, not just cut
    assert nested.restore([p.input.T for p in nested.task.test]) is None


@st.composite
def scattered(draw) -> Task:
    """Tasks of single cells and small blocks on a 12x12 grid, each recoloured in place."""
    pairs = []
    for _ in range(draw(st.integers(2, 3)) + 1):
        grid = np.zeros((12, 12), dtype=np.int8)
        corners = st.tuples(st.integers(0, 3), st.integers(0, 3))
        for top, left in draw(st.lists(corners, min_size=1, max_size=4)):
            width = draw(st.integers(1, 2))
            grid[3 * top : 3 * top + 2, 3 * left : 3 * left + width] = draw(st.integers(1, 9))
        pairs.append(Pair(as_grid(grid), as_grid(np.where(grid > 0, 5, 0))))
    return Task("scattered", tuple(pairs[:-1]), (Pair(pairs[-1].input, None),))


@settings(max_examples=60, deadline=None)
@given(scattered())
def test_any_split_restores_the_test_inputs_from_their_own_boxes(task):
    for mode, margin, name in object_views.SPLITS:
        view = object_views._split(task, mode, margin, name)
        if view is None:
            continue
        restored = view.restore([p.input for p in view.task.test])
        assert [g.tolist() for g in restored] == [p.input.tolist() for p in task.test]
        boxes = [box for _, box in view.places]
        assert boxes == object_views.object_boxes(task.test[0].input, mode, margin)
        assert not object_views._overlapping(boxes)
    assert object_views.object_boxes(task.test[0].input, cc.MULTI_8, 0)
