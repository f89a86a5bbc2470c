"""Tests for dsl.tiling: one test per primitive, laws, and totality on random grids."""

from __future__ import annotations

import itertools

import numpy as np
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import as_grid
from dsl import tiling
from dsl.grid import is_grid
from dsl.registry import primitives
from dsl.types import T

FAST = settings(max_examples=60, deadline=None)

SAMPLE = as_grid([[1, 2], [3, 4]])
ROW = as_grid([[1, 2]])


def ones(shape: tuple[int, int]) -> np.ndarray:
    """A grid of 1s of the given shape."""
    return as_grid(np.ones(shape, dtype=np.int8))


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


# --- scaling -------------------------------------------------------------------------


def test_upscale():
    assert same(tiling.upscale(ROW, 2), [[1, 1, 2, 2], [1, 1, 2, 2]])
    assert tiling.upscale(ROW, 0) is None and tiling.upscale(ROW, -2) is None
    assert tiling.upscale(ROW, 10**9) is None  # refused before any array is built
    assert tiling.upscale(ones((8, 8)), 4) is None  # 32 > 30


def test_downscale():
    grid = as_grid([[1, 1, 2, 2], [1, 1, 2, 2]])
    assert same(tiling.downscale(grid, 2), [[1, 2]])
    assert tiling.downscale(grid, 3) is None
    assert tiling.downscale(grid, 0) is None and tiling.downscale(grid, -1) is None


@FAST
@given(grids(1, 10), st.sampled_from((2, 3)))
def test_downscale_undoes_upscale(grid, k):
    up = tiling.upscale(grid, k)
    assert up.shape == (grid.shape[0] * k, grid.shape[1] * k)
    assert np.array_equal(tiling.downscale(up, k), grid)


def test_downscale_blocks():
    grid = as_grid([[1, 1, 2], [1, 1, 2], [3, 3, 3], [1, 1, 2]])
    assert same(tiling.downscale_blocks(grid), [[1, 2], [3, 3], [1, 2]])


@FAST
@given(small_grids(), st.integers(2, 3), st.integers(1, 3))
def test_downscale_blocks_undoes_an_uneven_upscale(grid, k, j):
    dedup = tiling.downscale_blocks(grid)
    stretched = np.repeat(np.repeat(dedup, k, axis=0), j, axis=1)
    assert np.array_equal(tiling.downscale_blocks(as_grid(stretched)), dedup)


# --- tiling ----------------------------------------------------------------------------


def test_tile():
    assert same(tiling.tile(ROW, 2, 3), [[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]])
    assert same(tiling.tile(ROW, 1, 1), [[1, 2]])
    assert tiling.tile(ROW, 0, 2) is None and tiling.tile(ROW, 2, -1) is None
    assert tiling.tile(ROW, 1, 10**9) is None


@FAST
@given(grids(1, 10), st.integers(1, 4), st.integers(1, 4))
def test_tile_repeats_the_grid(grid, r, c):
    out = tiling.tile(grid, r, c)
    h, w = grid.shape
    if h * r > 30 or w * c > 30:
        assert out is None
        return
    assert out.shape == (h * r, w * c)
    assert np.array_equal(out[(r - 1) * h :, (c - 1) * w :], grid)


def test_tile_by_own_mask():
    out = tiling.tile_by_own_mask(as_grid([[3, 0], [0, 3]]))
    assert same(out, [[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0], [0, 0, 0, 3]])
    assert tiling.tile_by_own_mask(ones((6, 2))) is None  # 36 rows


def test_mirror_tile_2x2():
    assert same(tiling.mirror_tile_2x2(SAMPLE), [[1, 2, 2, 1], [3, 4, 4, 3], [3, 4, 4, 3], [1, 2, 2, 1]])
    assert tiling.mirror_tile_2x2(ones((16, 2))) is None


def test_rotate_tile_2x2():
    assert same(tiling.rotate_tile_2x2(SAMPLE), [[1, 2, 3, 1], [3, 4, 4, 2], [2, 4, 4, 3], [1, 3, 2, 1]])
    assert tiling.rotate_tile_2x2(ROW) is None  # not square


@FAST
@given(small_grids())
def test_tilings_have_their_symmetries(grid):
    mirrored = tiling.mirror_tile_2x2(grid)
    assert np.array_equal(mirrored, mirrored[::-1]) and np.array_equal(mirrored, mirrored[:, ::-1])
    if grid.shape[0] == grid.shape[1]:
        turned = tiling.rotate_tile_2x2(grid)
        assert np.array_equal(turned, np.rot90(turned))


def test_mirror_concat_right():
    assert same(tiling.mirror_concat_right(SAMPLE), [[1, 2, 2, 1], [3, 4, 4, 3]])


def test_mirror_concat_left():
    assert same(tiling.mirror_concat_left(SAMPLE), [[2, 1, 1, 2], [4, 3, 3, 4]])
    assert tiling.mirror_concat_left(ones((1, 16))) is None


def test_mirror_concat_down():
    assert same(tiling.mirror_concat_down(SAMPLE), [[1, 2], [3, 4], [3, 4], [1, 2]])


def test_mirror_concat_up():
    assert same(tiling.mirror_concat_up(SAMPLE), [[3, 4], [1, 2], [1, 2], [3, 4]])
    assert tiling.mirror_concat_up(ones((16, 1))) is None


# --- joining grids ---------------------------------------------------------------------


def test_concat_horizontal():
    assert same(tiling.concat_horizontal(SAMPLE, as_grid([[5], [6]])), [[1, 2, 5], [3, 4, 6]])
    assert tiling.concat_horizontal(SAMPLE, ROW) is None
    assert tiling.concat_horizontal(ones((1, 20)), ones((1, 11))) is None


def test_concat_vertical():
    assert same(tiling.concat_vertical(SAMPLE, ROW), [[1, 2], [3, 4], [1, 2]])
    assert tiling.concat_vertical(SAMPLE, as_grid([[5], [6]])) is None


@FAST
@given(small_grids(), small_grids())
def test_concat_keeps_both_grids(a, b):
    out = tiling.concat_vertical(a, b)
    if a.shape[1] != b.shape[1]:
        assert out is None
    else:
        assert np.array_equal(out[: a.shape[0]], a) and np.array_equal(out[a.shape[0] :], b)


def test_stack_horizontal():
    assert same(tiling.stack_horizontal((ROW, ROW, as_grid([[7]]))), [[1, 2, 1, 2, 7]])
    assert tiling.stack_horizontal((ROW, SAMPLE)) is None
    assert tiling.stack_horizontal(()) is None


def test_stack_vertical():
    assert same(tiling.stack_vertical((ROW, SAMPLE)), [[1, 2], [1, 2], [3, 4]])
    assert tiling.stack_vertical((ROW, as_grid([[7]]))) is None
    assert tiling.stack_vertical((ROW,) * 31) is None


# --- totality --------------------------------------------------------------------

FAMILY = [p for p in primitives().values() if p.family == "tiling"]
INT_PROBES = (-7, -1, 0, 1, 2, 3, 31, 10**9)
RETURN_CHECKS = {
    T.GRID: lambda v: is_grid(v) and not v.flags.writeable,
    T.GRIDS: lambda v: isinstance(v, tuple) and len(v) > 0 and all(map(is_grid, v)),
    T.INT: lambda v: type(v) is int,
    T.COLOR: lambda v: type(v) is int and 0 <= v <= 9,
    T.BOOL: lambda v: type(v) is bool,
}


def literal_slot(prim, index):
    """Every literal a search or a careless caller may pass for one argument."""
    kind = prim.args[index]
    if kind is T.COLOR:
        return range(10)
    if kind is T.BOOL:
        return (False, True)
    return sorted(set(prim.domains[index] or ()) | set(INT_PROBES))


def test_family_size():
    assert len(FAMILY) >= 15


@settings(max_examples=300, deadline=None)
@given(st.one_of(grids(), small_grids()), small_grids(), st.lists(small_grids(), min_size=1, max_size=5))
def test_every_tiling_primitive_is_total(grid, other, many):
    # Equal shapes as well as ragged ones, so the stacking primitives get past their checks.
    choices = {T.GRID: (grid, other), T.GRIDS: (tuple(many), (other,) * 3, (grid, grid))}
    before = grid.copy()
    for prim in FAMILY:
        slots = [choices.get(kind) or literal_slot(prim, i) for i, kind in enumerate(prim.args)]
        for values in itertools.product(*slots):
            out = prim(*values)
            assert out is None or RETURN_CHECKS[prim.ret](out), (prim.name, out)
    assert np.array_equal(grid, before)
