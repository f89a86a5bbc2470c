"""Tests for dsl.patterns: symmetry and periodicity primitives."""

from __future__ import annotations

import numpy as np
import pytest
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import patterns as P
from dsl import registry
from dsl.grid import is_grid, make

# A 6x6 mosaic symmetric left-right, top-bottom and about both diagonals.
MOSAIC = make(
    [
        [1, 2, 3, 3, 2, 1],
        [2, 4, 5, 5, 4, 2],
        [3, 5, 6, 6, 5, 3],
        [3, 5, 6, 6, 5, 3],
        [2, 4, 5, 5, 4, 2],
        [1, 2, 3, 3, 2, 1],
    ]
)


def blank(grid, rows, cols, colour):
    out = np.array(grid)
    out[rows, cols] = colour
    return make(out)


def test_symmetry_repair():
    broken = blank(MOSAIC, slice(0, 2), slice(0, 3), 9)
    assert np.array_equal(P.symmetry_repair(broken, 9), MOSAIC)


def test_symmetry_repair_off_centre_axis():
    # A symmetric 7x7 mosaic cropped by one row and column: the axes are off centre.
    big = np.minimum.outer(np.r_[0:4, 2::-1], np.r_[0:4, 2::-1]) + 1
    cropped = make(big[1:, 1:])
    broken = blank(cropped, slice(4, 6), slice(2, 4), 9)
    assert np.array_equal(P.symmetry_repair(broken, 9), cropped)


def test_symmetry_repair_background_as_unknown():
    # An object symmetric about its own (off-centre) vertical axis, one cell missing.
    rows = [[0] * 7, [0, 4, 4, 4, 4, 0, 0], [0, 4, 2, 2, 4, 0, 0], [0, 1, 0, 0, 1, 0, 0], [0] * 7]
    whole = make(rows)
    broken = blank(whole, 2, 4, 0)
    assert np.array_equal(P.symmetry_repair(broken, 0), whole)


def test_symmetry_repair_absent_colour_is_identity():
    assert np.array_equal(P.symmetry_repair(MOSAIC, 9), MOSAIC)


def test_symmetry_repair_without_symmetry_is_no_result():
    noise = make([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert P.symmetry_repair(blank(noise, 0, 0, 0), 0) is None


def test_symmetry_blank_patch():
    broken = blank(MOSAIC, slice(1, 3), slice(3, 5), 9)
    assert np.array_equal(P.symmetry_blank_patch(broken, 9), [[5, 4], [6, 5]])
    assert P.symmetry_blank_patch(MOSAIC, 9) is None


PERIODIC = make(np.tile([[1, 2, 3], [4, 5, 6]], (3, 3))[:5, :8])


def test_periodic_repair():
    broken = blank(PERIODIC, slice(1, 3), slice(2, 6), 0)
    assert np.array_equal(P.periodic_repair(broken, 0), PERIODIC)


def test_periodic_repair_uncovered_class_is_no_result():
    # Every cell of column class 0 is unknown: the period cannot say what goes there.
    broken = blank(PERIODIC, slice(None), [0, 3, 6], 0)
    assert P.periodic_repair(broken, 0) is None


def test_periodic_blank_patch():
    broken = blank(PERIODIC, slice(2, 4), slice(4, 7), 0)
    assert np.array_equal(P.periodic_blank_patch(broken, 0), [[2, 3, 1], [5, 6, 4]])
    assert P.periodic_blank_patch(PERIODIC, 0) is None


def test_period_rows():
    assert P.period_rows(PERIODIC) == 2
    assert P.period_rows(make([[1], [2], [3]])) == 3


def test_period_cols():
    assert P.period_cols(PERIODIC) == 3
    assert P.period_cols(make([[7, 7, 7, 7]])) == 1


def test_periodic_tile():
    assert np.array_equal(P.periodic_tile(PERIODIC), [[1, 2, 3], [4, 5, 6]])
    assert P.periodic_tile(make([[1, 2], [3, 4]])) is None


def test_symmetrize_half():
    g = make([[1, 2, 3, 4], [5, 6, 7, 8], [9, 0, 1, 2]])
    assert np.array_equal(P.symmetrize_half(g, 0), [[1, 2, 2, 1], [5, 6, 6, 5], [9, 0, 0, 9]])
    assert np.array_equal(P.symmetrize_half(g, 1), [[4, 3, 3, 4], [8, 7, 7, 8], [2, 1, 1, 2]])
    assert np.array_equal(P.symmetrize_half(g, 2), [[1, 2, 3, 4], [5, 6, 7, 8], [1, 2, 3, 4]])
    assert np.array_equal(P.symmetrize_half(g, 3), [[9, 0, 1, 2], [5, 6, 7, 8], [9, 0, 1, 2]])
    assert P.symmetrize_half(g, 4) is None


def test_is_symmetric_lr():
    assert P.is_symmetric_lr(make([[1, 2, 1], [3, 3, 3]])) is True
    assert P.is_symmetric_lr(make([[1, 2, 2]])) is False


def test_is_symmetric_ud():
    assert P.is_symmetric_ud(make([[1, 2], [3, 4], [1, 2]])) is True
    assert P.is_symmetric_ud(make([[1, 2], [2, 1]])) is False


def test_is_symmetric_diag():
    assert P.is_symmetric_diag(MOSAIC) is True
    assert P.is_symmetric_diag(make([[1, 2], [3, 1]])) is False
    assert P.is_symmetric_diag(make([[1, 1, 1]])) is False


def test_is_symmetric_rot180():
    assert P.is_symmetric_rot180(make([[1, 2], [2, 1]])) is True
    assert P.is_symmetric_rot180(make([[1, 2], [1, 2]])) is False


@settings(max_examples=60, deadline=None)
@given(small_grids(), st.integers(0, 3), st.data())
def test_symmetry_repair_restores_symmetrized_grid(grid, side, data):
    sym = P.symmetrize_half(grid, side)
    h, w = sym.shape
    r0, c0 = data.draw(st.integers(0, h - 1)), data.draw(st.integers(0, w - 1))
    r1, c1 = data.draw(st.integers(r0 + 1, h)), data.draw(st.integers(c0 + 1, w))
    broken = blank(sym, slice(r0, r1), slice(c0, c1), 9)
    out = P.symmetry_repair(broken, 9)
    if out is not None:  # may be None when the blank leaves too little to go on
        known = broken != 9
        assert np.array_equal(out[known], sym[known])


@settings(max_examples=60, deadline=None)
@given(small_grids(), st.integers(0, 3))
def test_symmetrize_half_is_symmetric(grid, side):
    out = P.symmetrize_half(grid, side)
    assert out.shape == grid.shape
    assert (P.is_symmetric_lr if side < 2 else P.is_symmetric_ud)(out)


@settings(max_examples=60, deadline=None)
@given(grids(1, 4), st.integers(2, 4), st.integers(2, 4))
def test_periodic_tile_rebuilds_grid(tile, reps_h, reps_w):
    th, tw = tile.shape
    grid = make(np.tile(tile, (reps_h, reps_w)))
    found = P.periodic_tile(grid)
    assert found is not None
    py, px = found.shape
    assert (py, px) == (P.period_rows(grid), P.period_cols(grid))
    assert th % py == 0 and tw % px == 0
    assert np.array_equal(np.tile(found, (reps_h * th // py, reps_w * tw // px)), grid)


@settings(max_examples=60, deadline=None)
@given(grids(max_side=12))
def test_periods_are_periods(grid):
    p, q = P.period_rows(grid), P.period_cols(grid)
    assert 1 <= p <= grid.shape[0] and 1 <= q <= grid.shape[1]
    assert np.array_equal(grid[p:], grid[: grid.shape[0] - p])
    assert np.array_equal(grid[:, q:], grid[:, : grid.shape[1] - q])


FAMILY = [p for p in registry.primitives().values() if p.family == "patterns"]
RETURN_CHECK = {
    "Grid": is_grid,
    "Int": lambda v: type(v) is int,
    "Bool": lambda v: type(v) is bool,
}


def test_bool_cell():
    assert np.array_equal(P.bool_cell(True, 1, 7), [[1]])
    assert np.array_equal(P.bool_cell(False, 1, 7), [[7]])


def test_bool_cell_answers_a_symmetry_question():
    # ARC 44f52bb0: 1 if the picture is left-right symmetric, else 7.
    yes, no = make([[2, 0, 2], [0, 2, 0]]), make([[2, 2, 0], [0, 2, 0]])
    assert P.bool_cell(P.is_symmetric_lr(yes), 1, 7)[0, 0] == 1
    assert P.bool_cell(P.is_symmetric_lr(no), 1, 7)[0, 0] == 7


@pytest.mark.parametrize("prim", FAMILY, ids=lambda p: p.name)
@settings(max_examples=40, deadline=None)
@given(grid=st.one_of(small_grids(), grids()), data=st.data())
def test_total_and_valid(prim, grid, data):
    before = grid.copy()
    values = {"Color": st.integers(0, 9), "Int": st.integers(-2, 6), "Bool": st.booleans()}
    args = [grid if str(kind) == "Grid" else data.draw(values[str(kind)]) for kind in prim.args]
    result = prim(*args)
    assert result is None or RETURN_CHECK[str(prim.ret)](result)
    assert np.array_equal(grid, before)
