"""Tests for dsl.lines: rays, full lines and connections between pixels."""

from __future__ import annotations

import numpy as np
import pytest
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import lines as L
from dsl import registry
from dsl.grid import is_grid, make

DOTS = make([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 0, 0, 0]])
UP, DOWN, LEFT, RIGHT, UP_LEFT, UP_RIGHT, DOWN_LEFT, DOWN_RIGHT = range(8)


def test_extend_rays():
    expected = {
        UP: [[0, 1, 0, 2], [0, 1, 0, 2], [0, 0, 0, 2], [0, 0, 0, 0]],
        DOWN: [[0, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 2], [0, 1, 0, 2]],
        LEFT: [[0, 0, 0, 0], [1, 1, 0, 0], [2, 2, 2, 2], [0, 0, 0, 0]],
        RIGHT: [[0, 0, 0, 0], [0, 1, 1, 1], [0, 0, 0, 2], [0, 0, 0, 0]],
        UP_LEFT: [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 0, 2], [0, 0, 0, 0]],
        UP_RIGHT: [[0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 0, 0, 0]],
        DOWN_LEFT: [[0, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 2], [0, 0, 2, 0]],
        DOWN_RIGHT: [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 2], [0, 0, 0, 1]],
    }
    for direction, grid in expected.items():
        assert np.array_equal(L.extend_rays(DOTS, direction), grid), direction
    assert L.extend_rays(DOTS, 8) is None


def test_extend_rays_stop_at_next_pixel():
    g = make([[3, 0, 5, 0, 0]])
    assert np.array_equal(L.extend_rays(g, RIGHT), [[3, 3, 5, 5, 5]])


def test_extend_color_rays():
    g = make([[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert np.array_equal(
        L.extend_color_rays(g, 1, DOWN_RIGHT), [[1, 0, 0, 0], [0, 1, 2, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    )
    assert np.array_equal(L.extend_color_rays(g, 2, UP), [[1, 0, 2, 0], [0, 0, 2, 0], [0, 0, 0, 0], [0] * 4])
    # The colour-1 ray stops at the 2 in its way.
    assert np.array_equal(L.extend_color_rays(make([[1, 0, 2, 0]]), 1, RIGHT), [[1, 1, 2, 0]])


def test_rays_until_hit():
    g = make([[4, 0, 0, 6, 0], [0, 0, 0, 0, 0], [7, 0, 0, 0, 0]])
    assert np.array_equal(L.rays_until_hit(g, RIGHT), [[4, 4, 4, 6, 0], [0, 0, 0, 0, 0], [7, 0, 0, 0, 0]])
    assert np.array_equal(L.rays_until_hit(g, UP), [[4, 0, 0, 6, 0], [7, 0, 0, 0, 0], [7, 0, 0, 0, 0]])
    assert L.rays_until_hit(g, -1) is None


def test_rays_toward_color():
    g = make(
        [
            [0, 0, 0, 0, 0, 0],
            [0, 3, 3, 0, 0, 1],
            [0, 3, 3, 0, 0, 0],
            [0, 0, 0, 0, 0, 0],
            [0, 6, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 8],
        ]
    )
    expected = np.array(g)
    expected[1, 3:5] = 1  # the 1 is in line with the block and fires at it
    expected[3, 1] = 6  # so is the 6; the 8 is not in line with anything
    assert np.array_equal(L.rays_toward_color(g, 3), expected)


def test_connect_aligned():
    g = make([[2, 0, 0, 2], [0, 5, 0, 0], [0, 0, 0, 0], [0, 5, 0, 4]])
    expected = [[2, 2, 2, 2], [0, 5, 0, 0], [0, 5, 0, 0], [0, 5, 0, 4]]
    assert np.array_equal(L.connect_aligned(g), expected)


def test_connect_aligned_vertical_on_top_and_blocked_by_other_colours():
    g = make([[0, 7, 0], [3, 0, 3], [0, 7, 0]])
    assert np.array_equal(L.connect_aligned(g), [[0, 7, 0], [3, 7, 3], [0, 7, 0]])
    blocked = make([[1, 2, 1]])
    assert np.array_equal(L.connect_aligned(blocked), [[1, 2, 1]])


def test_connect_color_with():
    g = make([[1, 0, 0, 1], [0, 0, 0, 0], [1, 0, 2, 0]])
    expected = [[1, 8, 8, 1], [8, 0, 0, 0], [1, 0, 2, 0]]
    assert np.array_equal(L.connect_color_with(g, 1, 8), expected)
    assert np.array_equal(L.connect_color_with(g, 2, 8), g)


def test_draw_color_hlines():
    g = make([[0, 0, 0], [0, 4, 2], [2, 0, 0]])
    assert np.array_equal(L.draw_color_hlines(g, 4), [[0, 0, 0], [4, 4, 4], [2, 0, 0]])


def test_draw_color_vlines():
    g = make([[0, 0, 0], [0, 4, 2], [2, 0, 0]])
    assert np.array_equal(L.draw_color_vlines(g, 2), [[2, 0, 2], [2, 4, 2], [2, 0, 2]])


def test_draw_cross():
    expected = [[0, 1, 0, 2], [1, 1, 1, 2], [2, 1, 2, 2], [0, 1, 0, 2]]
    assert np.array_equal(L.draw_cross(DOTS), expected)


def test_draw_diagonals():
    g = make([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 0, 0]])
    expected = [[3, 0, 0, 0, 3], [0, 3, 0, 3, 0], [0, 0, 3, 0, 0], [0, 3, 0, 3, 0]]
    assert np.array_equal(L.draw_diagonals(g), expected)


def _rot180(g):
    return make(g[::-1, ::-1])


@settings(max_examples=60, deadline=None)
@given(small_grids(), st.integers(0, 7))
def test_extend_rays_keeps_pixels_and_is_idempotent(grid, direction):
    out = L.extend_rays(grid, direction)
    assert np.array_equal(out[grid != 0], grid[grid != 0])
    assert np.array_equal(L.extend_rays(out, direction), out)


@settings(max_examples=60, deadline=None)
@given(small_grids())
def test_extend_rays_directions_agree_under_symmetry(grid):
    t = make(grid.T)
    assert np.array_equal(L.extend_rays(grid, RIGHT), L.extend_rays(t, DOWN).T)
    assert np.array_equal(L.extend_rays(grid, LEFT), L.extend_rays(t, UP).T)
    assert np.array_equal(L.extend_rays(grid, UP), _rot180(L.extend_rays(_rot180(grid), DOWN)))
    assert np.array_equal(L.extend_rays(grid, UP_LEFT), _rot180(L.extend_rays(_rot180(grid), DOWN_RIGHT)))
    assert np.array_equal(L.extend_rays(grid, UP_RIGHT), _rot180(L.extend_rays(_rot180(grid), DOWN_LEFT)))
    assert np.array_equal(L.extend_rays(grid, DOWN_LEFT), L.extend_rays(t, UP_RIGHT).T)


@settings(max_examples=60, deadline=None)
@given(small_grids(), st.integers(0, 4))
def test_full_lines_transpose_and_idempotent(grid, c):
    rows = L.draw_color_hlines(grid, c)
    assert np.array_equal(rows, L.draw_color_vlines(make(grid.T), c).T)
    assert np.array_equal(L.draw_color_hlines(rows, c), rows)


FAMILY = [p for p in registry.primitives().values() if p.family == "lines"]


@pytest.mark.parametrize("prim", FAMILY, ids=lambda p: p.name)
@settings(max_examples=40, deadline=None)
@given(grid=st.one_of(small_grids(), grids()), data=st.data())
def test_total_and_valid(prim, grid, data):
    before = grid.copy()
    literals = {"Color": st.integers(0, 9), "Int": st.integers(-2, 9), "Bool": st.booleans()}
    args = [data.draw(literals[str(kind)]) for kind in prim.args[1:]]
    result = prim(grid, *args)
    assert result is None or is_grid(result)
    if result is not None:
        # Lines only paint background cells, except full lines which paint over anything.
        kept = grid != 0
        if not prim.name.startswith("draw_color_"):
            assert np.array_equal(result[kept], grid[kept])
        given_colours = {a for a, kind in zip(args, prim.args[1:], strict=True) if str(kind) == "Color"}
        assert set(np.unique(result).tolist()) <= set(np.unique(grid).tolist()) | given_colours | {0}
    assert np.array_equal(grid, before)
