"""Tests for dsl.geometry: one test per primitive, group laws, and totality on random grids."""

from __future__ import annotations

import itertools

import numpy as np
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import as_grid
from dsl import geometry
from dsl.grid import is_grid
from dsl.registry import primitives
from dsl.types import T

FAST = settings(max_examples=60, deadline=None)

# 2x3 with every cell distinct, so any misplaced cell shows.
SAMPLE = as_grid([[1, 2, 3], [4, 5, 6]])


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


# --- the square group --------------------------------------------------------------


def test_rot90():
    assert same(geometry.rot90(SAMPLE), [[3, 6], [2, 5], [1, 4]])


def test_rot180():
    assert same(geometry.rot180(SAMPLE), [[6, 5, 4], [3, 2, 1]])


def test_rot270():
    assert same(geometry.rot270(SAMPLE), [[4, 1], [5, 2], [6, 3]])


def test_flip_horizontal():
    assert same(geometry.flip_horizontal(SAMPLE), [[3, 2, 1], [6, 5, 4]])


def test_flip_vertical():
    assert same(geometry.flip_vertical(SAMPLE), [[4, 5, 6], [1, 2, 3]])


def test_transpose():
    assert same(geometry.transpose(SAMPLE), [[1, 4], [2, 5], [3, 6]])


def test_antitranspose():
    assert same(geometry.antitranspose(SAMPLE), [[6, 3], [5, 2], [4, 1]])


@FAST
@given(grids())
def test_rot90_four_times_identity(grid):
    out = grid
    for _ in range(4):
        out = geometry.rot90(out)
    assert np.array_equal(out, grid)


@FAST
@given(grids())
def test_rot270_inverts_rot90_and_rot180_is_twice_rot90(grid):
    assert np.array_equal(geometry.rot270(geometry.rot90(grid)), grid)
    assert np.array_equal(geometry.rot180(grid), geometry.rot90(geometry.rot90(grid)))


@FAST
@given(grids())
def test_reflections_are_involutions(grid):
    flips = (geometry.flip_horizontal, geometry.flip_vertical, geometry.transpose, geometry.antitranspose)
    for flip in flips:
        assert np.array_equal(flip(flip(grid)), grid), flip.__name__


@FAST
@given(grids())
def test_reflections_compose_as_the_group_says(grid):
    assert np.array_equal(geometry.transpose(grid), geometry.flip_vertical(geometry.rot90(grid)))
    assert np.array_equal(geometry.antitranspose(grid), geometry.flip_vertical(geometry.rot270(grid)))
    assert np.array_equal(geometry.rot180(grid), geometry.flip_horizontal(geometry.flip_vertical(grid)))


# --- shifts and rolls --------------------------------------------------------------


def test_shift_up():
    assert same(geometry.shift_up(SAMPLE), [[4, 5, 6], [0, 0, 0]])


def test_shift_down():
    assert same(geometry.shift_down(SAMPLE), [[0, 0, 0], [1, 2, 3]])


def test_shift_left():
    assert same(geometry.shift_left(SAMPLE), [[2, 3, 0], [5, 6, 0]])


def test_shift_right():
    assert same(geometry.shift_right(SAMPLE), [[0, 1, 2], [0, 4, 5]])


def test_shift_of_a_single_row_empties_it():
    assert same(geometry.shift_down(as_grid([[1, 2]])), [[0, 0]])


@FAST
@given(small_grids())
def test_shifts_keep_shape_and_undo_away_from_the_edge(grid):
    padded = as_grid(np.pad(grid, 1))
    assert np.array_equal(geometry.shift_up(geometry.shift_down(padded)), padded)
    assert np.array_equal(geometry.shift_left(geometry.shift_right(padded)), padded)
    assert geometry.shift_right(grid).shape == grid.shape


def test_roll_down():
    assert same(geometry.roll_down(as_grid([[1], [2], [3]]), 1), [[3], [1], [2]])
    assert same(geometry.roll_down(as_grid([[1], [2], [3]]), -1), [[2], [3], [1]])


def test_roll_right():
    assert same(geometry.roll_right(SAMPLE, 1), [[3, 1, 2], [6, 4, 5]])
    assert same(geometry.roll_right(SAMPLE, 3 * 10**9 + 1), [[3, 1, 2], [6, 4, 5]])  # no huge work


@FAST
@given(grids(), st.integers(-40, 40))
def test_rolls_are_undone_by_the_opposite_roll(grid, k):
    assert np.array_equal(geometry.roll_down(geometry.roll_down(grid, k), -k), grid)
    assert np.array_equal(geometry.roll_right(geometry.roll_right(grid, k), -k), grid)


# --- half reflections --------------------------------------------------------------


def test_reflect_left_half():
    assert same(geometry.reflect_left_half(SAMPLE), [[1, 2, 1], [4, 5, 4]])
    assert same(geometry.reflect_left_half(as_grid([[1, 2, 3, 4]])), [[1, 2, 2, 1]])


def test_reflect_right_half():
    assert same(geometry.reflect_right_half(SAMPLE), [[3, 2, 3], [6, 5, 6]])
    assert same(geometry.reflect_right_half(as_grid([[1, 2, 3, 4]])), [[4, 3, 3, 4]])


def test_reflect_top_half():
    assert same(geometry.reflect_top_half(SAMPLE), [[1, 2, 3], [1, 2, 3]])
    assert geometry.reflect_top_half(as_grid([[1, 2]])) is None


def test_reflect_bottom_half():
    assert same(geometry.reflect_bottom_half(as_grid([[1], [2], [3]])), [[3], [2], [3]])
    assert geometry.reflect_bottom_half(as_grid([[1, 2]])) is None


@FAST
@given(grids(min_side=2))
def test_half_reflections_make_the_grid_symmetric(grid):
    for reflect in (geometry.reflect_left_half, geometry.reflect_right_half):
        out = reflect(grid)
        assert np.array_equal(out, out[:, ::-1]), reflect.__name__
    for reflect in (geometry.reflect_top_half, geometry.reflect_bottom_half):
        out = reflect(grid)
        assert np.array_equal(out, out[::-1]), reflect.__name__


# --- totality --------------------------------------------------------------------

FAMILY = [p for p in primitives().values() if p.family == "geometry"]
INT_PROBES = (-7, -1, 0, 1, 2, 3, 31, 10**9)
RETURN_CHECKS = {
    T.GRID: lambda v: is_grid(v) and not v.flags.writeable,
    T.GRIDS: lambda v: isinstance(v, tuple) and len(v) > 0 and all(map(is_grid, v)),
    T.INT: lambda v: type(v) is int,
    T.COLOR: lambda v: type(v) is int and 0 <= v <= 9,
    T.BOOL: lambda v: type(v) is bool,
}


def test_family_size():
    assert len(FAMILY) >= 15


@settings(max_examples=300, deadline=None)
@given(st.one_of(grids(), small_grids()))
def test_every_geometry_primitive_is_total(grid):
    before = grid.copy()
    for prim in FAMILY:
        assert all(kind is T.INT for kind in prim.args[1:]), prim.name  # the probes below cover only INT
        ints = [sorted(set(prim.domains[i] or ()) | set(INT_PROBES)) for i in range(1, len(prim.args))]
        slots = [(grid,), *ints]
        for values in itertools.product(*slots):
            out = prim(*values)
            assert out is None or RETURN_CHECKS[prim.ret](out), (prim.name, values[1:], out)
    assert np.array_equal(grid, before)
