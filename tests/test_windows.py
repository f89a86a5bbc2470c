"""Windows: exact final crops to the demonstrations' one output size, at one anchor for all pairs."""

from __future__ import annotations

import numpy as np
import pytest
from grid_strategies import grids
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from solvers import windows

GRID = np.arange(20, dtype=np.int8).reshape(1, 4, 5) % 10


@pytest.mark.parametrize(
    ("anchor", "rows", "cols"),
    [("top-left", (0, 2), (0, 3)), ("top-right", (0, 2), (2, 5)), ("bottom-left", (2, 4), (0, 3))],
)
def test_a_window_is_the_anchored_block(anchor, rows, cols):
    cut = windows.window(GRID, (2, 3), anchor)
    assert np.array_equal(cut, GRID[:, rows[0] : rows[1], cols[0] : cols[1]])


def test_the_centre_needs_even_margins_and_a_window_must_fit():
    assert np.array_equal(windows.window(GRID, (2, 3), "centre"), GRID[:, 1:3, 1:4])
    assert windows.window(GRID, (3, 3), "centre") is None  # a margin of 1 row: no middle
    assert windows.window(GRID, (5, 1), "top-left") is None


@settings(max_examples=40, deadline=None)
@given(st.lists(grids(3, 8), min_size=2, max_size=4), st.sampled_from(list(windows.ANCHORS)))
def test_the_anchor_that_cut_the_outputs_is_found(inputs, anchor):
    shape = (min(g.shape[0] for g in inputs) - 2, min(g.shape[1] for g in inputs) - 2)
    if anchor == "centre":  # even margins on every pair
        inputs = [g[: shape[0] + 2, : shape[1] + 2] for g in inputs]
    train = [g[None] for g in inputs]
    targets = [windows.window(s, shape, anchor)[0] for s in train]
    found = dict(windows.fits(train, targets))
    assert anchor in found and found[anchor].tolist() == [0]
    for other, rows in found.items():  # any other anchor found must really cut the outputs
        assert all(
            np.array_equal(windows.window(s, shape, other)[0], t) for s, t in zip(train, targets, strict=True)
        )
        assert rows.tolist() == [0]


def test_no_window_when_the_outputs_differ_in_shape_or_the_states_already_have_it():
    big, small = np.zeros((1, 4, 4), np.int8), np.zeros((1, 2, 2), np.int8)
    assert not list(windows.fits([big, big], [small[0], np.zeros((3, 3), np.int8)]))
    assert not list(windows.fits([small, small], [small[0], small[0]]))
    assert [a for a, _ in windows.fits([big, big], [small[0], small[0]])] == list(windows.ANCHORS)


def test_only_the_states_that_fit_every_pair_are_kept():
    target = np.array([[1, 2], [3, 4]], np.int8)
    first = np.zeros((3, 3, 3), np.int8)
    first[:, :2, :2] = target
    second = first.copy()
    second[1, 0, 0] = 9  # state 1 misses on the second pair
    fits = dict(windows.fits([first, second], [target, target]))
    assert fits["top-left"].tolist() == [0, 2]


# The answer is the input's top-left 2x2 corner: no program of the DSL cuts that, a window does.
CORNER = make_task(
    [
        ([[1, 2, 0], [3, 4, 0], [0, 0, 5]], [[1, 2], [3, 4]]),
        ([[6, 6, 1, 1], [7, 8, 2, 2], [9, 9, 9, 9]], [[6, 6], [7, 8]]),
    ],
    [[[4, 3, 2], [1, 5, 5], [5, 5, 5]]],
)


def test_search_answers_with_a_window_only_when_windows_are_on():
    assert [[4, 3], [1, 5]] not in solve(CORNER, seconds=3, windows=False, colour_views=False).attempts[0]
    prediction = solve(CORNER, seconds=3, colour_views=False)
    assert prediction.attempts[0][0] == [[4, 3], [1, 5]]
    assert prediction.metadata["program"] == "I | window top-left"


def test_outputs_of_one_colour_or_of_several_shapes_take_no_window():
    two = np.array([[1, 2]], np.int8)
    assert windows.usable([two, np.ones((1, 2), np.int8)])
    assert not windows.usable(
        [np.ones((1, 2), np.int8), np.full((1, 2), 3, np.int8)]
    )  # any corner of 1s fits
    assert not windows.usable([two, np.array([[1, 2, 3]], np.int8)])


def test_search_fits_no_window_to_outputs_of_one_colour(monkeypatch):
    # The 1x1 output is the colour of the input's top-left cell: windows fit, by chance or not.
    task = make_task([([[3, 0], [0, 4]], [[3]]), ([[5, 5], [0, 6]], [[5]])], [[[7, 0], [0, 7]]])
    programs = solve(task, seconds=2, colour_views=False).metadata["programs"]
    assert not any("window" in p for p in programs)
    monkeypatch.setattr(windows, "usable", windows.common_shape)
    assert "I | window top-left" in solve(task, seconds=2, colour_views=False).metadata["programs"]
