"""Tests for dsl.colour: one test per primitive, laws, and totality on random grids."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import as_grid
from dsl import colour
from dsl.grid import is_grid
from dsl.registry import primitives
from dsl.types import T

G = as_grid  # hand-made grids below are written as nested lists

SAMPLE = G([[0, 1, 1], [2, 0, 1], [0, 3, 1]])  # 0 x3, 1 x4, 2 x1, 3 x1


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


# --- recolouring -----------------------------------------------------------------


def test_recolor():
    assert same(colour.recolor(SAMPLE, 1, 5), [[0, 5, 5], [2, 0, 5], [0, 3, 5]])


def test_recolor_background_and_identity():
    assert same(colour.recolor(SAMPLE, 0, 4), [[4, 1, 1], [2, 4, 1], [4, 3, 1]])
    assert same(colour.recolor(SAMPLE, 7, 4), SAMPLE.tolist())
    assert same(colour.recolor(SAMPLE, 2, 2), SAMPLE.tolist())


def test_swap_colors():
    assert same(colour.swap_colors(SAMPLE, 1, 0), [[1, 0, 0], [2, 1, 0], [1, 3, 0]])


def test_keep_color():
    assert same(colour.keep_color(SAMPLE, 1), [[0, 1, 1], [0, 0, 1], [0, 0, 1]])


def test_remove_color():
    assert same(colour.remove_color(SAMPLE, 1), [[0, 0, 0], [2, 0, 0], [0, 3, 0]])


def test_recolor_foreground():
    assert same(colour.recolor_foreground(SAMPLE, 8), [[0, 8, 8], [8, 0, 8], [0, 8, 8]])


def test_fill_background():
    assert same(colour.fill_background(SAMPLE, 6), [[6, 1, 1], [2, 6, 1], [6, 3, 1]])


def test_filled_like():
    assert same(colour.filled_like(G([[1, 2, 3], [4, 5, 6]]), 7), [[7, 7, 7], [7, 7, 7]])


def test_pixel_grid():
    assert same(colour.pixel_grid(4), [[4]])


# --- colour statistics -----------------------------------------------------------


def test_background_color():
    assert colour.background_color(SAMPLE) == 1
    assert colour.background_color(G([[5, 0], [0, 5]])) == 0  # tie: smaller colour


def test_least_common_color():
    assert colour.least_common_color(SAMPLE) == 2  # 2 and 3 tie at one cell
    assert colour.least_common_color(G([[0, 0], [0, 4]])) == 4


def test_most_common_nonzero_color():
    assert colour.most_common_nonzero_color(G([[0, 0, 0], [0, 3, 2], [3, 0, 0]])) == 3
    assert colour.most_common_nonzero_color(G([[0, 0]])) is None


def test_least_common_nonzero_color():
    assert colour.least_common_nonzero_color(G([[0, 0, 0], [7, 3, 7], [3, 3, 0]])) == 7
    assert colour.least_common_nonzero_color(G([[0]])) is None


def test_border_color():
    framed = np.zeros((7, 7), dtype=np.int8)
    framed[1:-1, 1:-1] = 4  # interior (25 cells) outnumbers the ring (24 cells)
    framed = G(framed)
    assert colour.background_color(framed) == 4
    assert colour.border_color(framed) == 0
    assert colour.border_color(G([[3, 3, 3], [3, 0, 3], [3, 3, 3]])) == 3
    assert colour.border_color(G([[1, 2, 2]])) == 2


def test_count_colors():
    assert colour.count_colors(SAMPLE) == 4
    assert colour.count_colors(G([[0]])) == 1


def test_count_nonzero_colors():
    assert colour.count_nonzero_colors(SAMPLE) == 3
    assert colour.count_nonzero_colors(G([[0, 0]])) == 0


def test_count_color_cells():
    assert colour.count_color_cells(SAMPLE, 1) == 4
    assert colour.count_color_cells(SAMPLE, 9) == 0


def test_count_foreground_cells():
    assert colour.count_foreground_cells(SAMPLE) == 6


# --- palette maps ----------------------------------------------------------------


def test_invert_two_colors():
    assert same(colour.invert_two_colors(G([[0, 4], [4, 4]])), [[4, 0], [0, 0]])
    assert same(colour.invert_two_colors(G([[2, 5], [5, 2]])), [[5, 2], [2, 5]])
    assert colour.invert_two_colors(SAMPLE) is None
    assert colour.invert_two_colors(G([[3, 3]])) is None


def test_recolor_most_to_least_common():
    grid = G([[1, 1, 1], [2, 0, 3], [3, 0, 0]])  # 1 x3, 3 x2, 2 x1
    assert same(colour.recolor_most_to_least_common(grid), [[2, 2, 2], [2, 0, 3], [3, 0, 0]])
    single = G([[0, 6], [6, 0]])
    assert same(colour.recolor_most_to_least_common(single), single.tolist())


def test_reverse_color_frequency():
    grid = G([[1, 1, 1], [2, 0, 3], [3, 0, 0]])  # ranks 1 > 3 > 2: 1 <-> 2, 3 stays
    assert same(colour.reverse_color_frequency(grid), [[2, 2, 2], [1, 0, 3], [3, 0, 0]])


def test_swap_background_to_zero():
    grid = G([[8, 8, 8], [8, 0, 2], [8, 8, 2]])
    assert same(colour.swap_background_to_zero(grid), [[0, 0, 0], [0, 8, 2], [0, 0, 2]])
    assert same(colour.swap_background_to_zero(SAMPLE), [[1, 0, 0], [2, 1, 0], [1, 3, 0]])


def test_palette_column():
    grid = G([[1, 1, 4], [2, 4, 4], [1, 4, 0]])  # 4 x4, 1 x3, 2 x1
    assert same(colour.palette_column(grid, 0), [[4], [1], [2]])
    assert same(colour.palette_column(grid, 1), [[1], [2]])
    assert colour.palette_column(grid, 3) is None
    assert same(colour.palette_column(grid, -2), [[4], [1], [2]])
    assert colour.palette_column(G([[0]]), 0) is None


# --- laws ------------------------------------------------------------------------

FAST = settings(max_examples=60, deadline=None)


@FAST
@given(small_grids(), st.integers(0, 9), st.integers(0, 9))
def test_swap_colors_is_an_involution(grid, a, b):
    assert np.array_equal(colour.swap_colors(colour.swap_colors(grid, a, b), a, b), grid)


@FAST
@given(small_grids(), st.integers(0, 9), st.integers(0, 9))
def test_recolor_leaves_no_source_colour_and_keeps_the_rest(grid, a, b):
    out = colour.recolor(grid, a, b)
    if a != b:
        assert not (out == a).any()
    assert np.array_equal(out[grid != a], grid[grid != a])


@FAST
@given(small_grids(), st.integers(0, 9))
def test_keep_and_remove_color_partition_the_grid(grid, c):
    kept, removed = colour.keep_color(grid, c), colour.remove_color(grid, c)
    assert np.array_equal(kept.astype(int) + removed, grid)
    assert not ((kept != 0) & (removed != 0)).any()


@FAST
@given(small_grids())
def test_invert_two_colors_is_an_involution(grid):
    once = colour.invert_two_colors(grid)
    if once is not None:
        assert np.array_equal(colour.invert_two_colors(once), grid)


@FAST
@given(small_grids())
def test_reverse_color_frequency_reverses_the_counts(grid):
    out = colour.reverse_color_frequency(grid)
    counts = np.sort(np.bincount(grid.ravel(), minlength=10)[1:])
    assert np.array_equal(np.sort(np.bincount(out.ravel(), minlength=10)[1:]), counts)
    assert np.array_equal(out == 0, grid == 0)
    before = colour._by_frequency(np.bincount(grid.ravel(), minlength=10))
    after = np.bincount(out.ravel(), minlength=10)
    # the most common colour's count now sits on the least common colour, and so on
    assert np.array_equal(after[before[::-1]], np.bincount(grid.ravel(), minlength=10)[before])


@FAST
@given(grids())
def test_colour_statistics_agree_with_counts(grid):
    counts = np.bincount(grid.ravel(), minlength=10)
    assert counts[colour.background_color(grid)] == counts.max()
    least = colour.least_common_color(grid)
    assert counts[least] == counts[counts > 0].min()
    assert sum(colour.count_color_cells(grid, c) for c in range(10)) == grid.size
    assert colour.count_foreground_cells(grid) == grid.size - counts[0]
    assert colour.count_colors(grid) == len(np.unique(grid))


@FAST
@given(grids())
def test_swap_background_to_zero_makes_zero_most_common(grid):
    out = colour.swap_background_to_zero(grid)
    assert colour.background_color(out) == 0


# --- totality --------------------------------------------------------------------

FAMILY = sorted(name for name, p in primitives().items() if p.family == "colour")
RETURN_CHECKS = {
    T.GRID: is_grid,
    T.COLOR: lambda v: type(v) is int and 0 <= v <= 9,
    T.INT: lambda v: type(v) is int,
}
LITERALS = {T.COLOR: range(10), T.INT: (-3, -1, 0, 1, 2, 3, 40), T.BOOL: (False, True)}


def test_family_size():
    assert len(FAMILY) >= 20


@pytest.mark.parametrize("name", FAMILY)
@settings(max_examples=40, deadline=None)
@given(grid=grids())
def test_every_colour_primitive_is_total(name, grid):
    prim = primitives()[name]
    slots = [(grid,) if kind is T.GRID else LITERALS[kind] for kind in prim.args]
    before = grid.copy()
    for values in itertools.product(*slots):
        out = prim(*values)
        assert out is None or RETURN_CHECKS[prim.ret](out), (name, values, out)
    assert np.array_equal(grid, before)
