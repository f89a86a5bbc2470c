"""Tests for dsl.sizing: one test per primitive, laws, and totality on random grids."""

from __future__ import annotations

import itertools

import numpy as np
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import as_grid
from dsl import sizing
from dsl.grid import is_grid
from dsl.registry import primitives
from dsl.types import T

FAST = settings(max_examples=60, deadline=None)

SPARSE = as_grid([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]])
# A 5x5 grid cut by a row and a column of 5 into four 2x2 cells.
LINED = as_grid(
    [
        [1, 0, 5, 0, 0],
        [0, 0, 5, 0, 2],
        [5, 5, 5, 5, 5],
        [0, 0, 5, 3, 3],
        [0, 0, 5, 3, 0],
    ]
)
A = as_grid([[1, 0], [0, 0]])  # 1 cell filled, 1 colour
A2 = as_grid([[2, 0], [0, 0]])  # A's pattern in another colour
B = as_grid([[1, 2], [0, 0]])  # 2 cells, 2 colours
C = as_grid([[3, 3], [3, 0]])  # 3 cells, 1 colour


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


def column(*values: int) -> np.ndarray:
    """A one-column grid."""
    return as_grid([[v] for v in values])


# --- cropping --------------------------------------------------------------------


def test_crop_to_content():
    assert same(sizing.crop_to_content(SPARSE), [[1, 0], [0, 2]])
    assert sizing.crop_to_content(as_grid([[0, 0]])) is None


def test_crop_to_content_majority():
    assert same(sizing.crop_to_content_majority(as_grid([[5, 5, 5], [5, 1, 5], [5, 5, 0]])), [[1, 5], [5, 0]])
    assert sizing.crop_to_content_majority(as_grid([[4, 4]])) is None


def test_crop_to_color():
    assert same(sizing.crop_to_color(LINED, 3), [[3, 3], [3, 0]])
    assert same(sizing.crop_to_color(SPARSE, 2), [[2]])
    assert sizing.crop_to_color(SPARSE, 7) is None


@FAST
@given(small_grids())
def test_crop_to_content_is_idempotent_and_tight(grid):
    out = sizing.crop_to_content(grid)
    if out is None:
        assert not grid.any()
        return
    assert np.array_equal(sizing.crop_to_content(out), out)
    assert out[0].any() and out[-1].any() and out[:, 0].any() and out[:, -1].any()
    assert np.count_nonzero(out) == np.count_nonzero(grid)


# --- halves, thirds and equal parts ----------------------------------------------------


def test_top_half():
    assert same(sizing.top_half(column(1, 2, 3, 4)), [[1], [2]])
    assert same(sizing.top_half(column(1, 5, 2)), [[1]])
    assert sizing.top_half(as_grid([[1, 2]])) is None


def test_bottom_half():
    assert same(sizing.bottom_half(column(1, 2, 3, 4)), [[3], [4]])
    assert same(sizing.bottom_half(column(1, 5, 2)), [[2]])


def test_left_half():
    assert same(sizing.left_half(as_grid([[1, 2, 3, 4]])), [[1, 2]])
    assert same(sizing.left_half(as_grid([[1, 5, 2]])), [[1]])
    assert sizing.left_half(column(1, 2)) is None


def test_right_half():
    assert same(sizing.right_half(as_grid([[1, 2, 3, 4]])), [[3, 4]])
    assert same(sizing.right_half(as_grid([[1, 5, 2]])), [[2]])


def test_rows_third():
    assert same(sizing.rows_third(column(1, 2, 3), 1), [[2]])
    assert same(sizing.rows_third(column(1, 5, 2, 5, 3), 2), [[3]])  # skips the separators
    assert sizing.rows_third(column(1, 2, 3, 4), 0) is None
    assert sizing.rows_third(column(1, 2, 3), 3) is None
    assert sizing.rows_third(column(1, 2, 3), -1) is None


def test_cols_third():
    assert same(sizing.cols_third(as_grid([[1, 1, 2, 2, 3, 3]]), 0), [[1, 1]])
    assert same(sizing.cols_third(as_grid([[1, 5, 2, 5, 3]]), 1), [[2]])
    assert sizing.cols_third(as_grid([[1, 2]]), 0) is None


def test_split_rows_equal():
    parts = sizing.split_rows_equal(column(1, 2, 3, 4), 2)
    assert len(parts) == 2 and same(parts[0], [[1], [2]]) and same(parts[1], [[3], [4]])
    assert [p.tolist() for p in sizing.split_rows_equal(column(1, 5, 2), 2)] == [[[1]], [[2]]]
    assert sizing.split_rows_equal(column(1, 2, 3, 4), 3) is None
    assert sizing.split_rows_equal(column(1, 2), 0) is None


def test_split_cols_equal():
    parts = sizing.split_cols_equal(as_grid([[1, 2, 3]]), 3)
    assert [p.tolist() for p in parts] == [[[1]], [[2]], [[3]]]
    assert sizing.split_cols_equal(as_grid([[1, 2, 3]]), 10**9) is None


def test_split_squares():
    parts = sizing.split_squares(as_grid([[1, 1, 2, 2, 3, 3], [1, 1, 2, 2, 3, 3]]))
    assert [p.tolist() for p in parts] == [[[1, 1], [1, 1]], [[2, 2], [2, 2]], [[3, 3], [3, 3]]]
    assert [p.tolist() for p in sizing.split_squares(column(1, 2))] == [[[1]], [[2]]]
    assert sizing.split_squares(as_grid([[1, 2, 3], [4, 5, 6]])) is None
    assert sizing.split_squares(as_grid([[1, 2], [3, 4]])) is None


@FAST
@given(grids(), st.sampled_from((2, 3)))
def test_equal_parts_reassemble_the_grid(grid, parts):
    rows = sizing.split_rows_equal(grid, parts)
    if grid.shape[0] % parts == 0:
        assert np.array_equal(np.vstack(rows), grid)
    cols = sizing.split_cols_equal(grid, parts)
    if cols is not None:
        assert len({c.shape for c in cols}) == 1 and len(cols) == parts
        if parts == 2:
            assert np.array_equal(cols[0], sizing.left_half(grid))
            assert np.array_equal(cols[1], sizing.right_half(grid))


# --- splitting at lines --------------------------------------------------------------


def test_split_by_color_lines():
    cells = sizing.split_by_color_lines(LINED, 5)
    expected = [[[1, 0], [0, 0]], [[0, 0], [0, 2]], [[0, 0], [0, 0]], [[3, 3], [3, 0]]]
    assert [c.tolist() for c in cells] == expected
    assert sizing.split_by_color_lines(LINED, 7) is None


def test_split_by_color_lines_with_a_frame_gives_the_inside():
    framed = as_grid([[4, 4, 4], [4, 1, 4], [4, 4, 4]])
    assert [c.tolist() for c in sizing.split_by_color_lines(framed, 4)] == [[[1]]]


def test_split_by_lines():
    assert [c.tolist() for c in sizing.split_by_lines(LINED)] == [
        c.tolist() for c in sizing.split_by_color_lines(LINED, 5)
    ]
    # Only blank lines: they separate.
    bands = sizing.split_by_lines(as_grid([[1, 2], [0, 0], [3, 0]]))
    assert [b.tolist() for b in bands] == [[[1, 2]], [[3, 0]]]
    assert sizing.split_by_lines(as_grid([[1, 2], [3, 4]])) is None


def test_split_by_lines_prefers_a_coloured_line_over_blank_ones():
    grid = as_grid([[1, 0, 8, 2, 0], [0, 0, 8, 0, 0], [3, 0, 8, 0, 4]])
    assert [c.tolist() for c in sizing.split_by_lines(grid)] == [
        [[1, 0], [0, 0], [3, 0]],
        [[2, 0], [0, 0], [0, 4]],
    ]


@FAST
@given(small_grids(), st.integers(0, 9))
def test_split_cells_keep_every_non_line_cell(grid, color):
    cells = sizing.split_by_color_lines(grid, color)
    if cells is None:
        return
    line_cells = (grid == color) & (
        (grid == color).all(axis=1, keepdims=True) | (grid == color).all(axis=0, keepdims=True)
    )
    assert sum(c.size for c in cells) == grid.size - np.count_nonzero(line_cells)


# --- picking one grid --------------------------------------------------------------------


def test_pick_first():
    assert pick(sizing.pick_first, A, B, C) is A


def test_pick_last():
    assert pick(sizing.pick_last, A, B, C) is C


def test_pick_most_filled():
    assert pick(sizing.pick_most_filled, A, C, B) is C
    assert pick(sizing.pick_most_filled, A, A2) is None  # tie


def test_pick_least_filled():
    assert pick(sizing.pick_least_filled, C, A, B) is A


def test_pick_most_colors():
    assert pick(sizing.pick_most_colors, A, B, C) is B
    assert pick(sizing.pick_most_colors, A, C) is None


def test_pick_fewest_colors():
    assert pick(sizing.pick_fewest_colors, A, B) is A
    assert pick(sizing.pick_fewest_colors, A, B, C) is None  # A and C tie


def test_pick_odd_one_out():
    assert pick(sizing.pick_odd_one_out, A, B, A, A) is B
    assert pick(sizing.pick_odd_one_out, A, B) is None
    assert pick(sizing.pick_odd_one_out, A, A2, B) is None
    assert pick(sizing.pick_odd_one_out, A, A) is None


def test_pick_odd_shape_out():
    assert pick(sizing.pick_odd_shape_out, A, A2, B) is B
    assert pick(sizing.pick_odd_shape_out, A, A2) is None


def pick(fn, *options):
    """Call a GRIDS selector on the given grids."""
    return fn(options)


@FAST
@given(st.lists(small_grids(), min_size=1, max_size=5).map(tuple))
def test_picks_return_one_of_the_grids(options):
    for fn in (
        sizing.pick_most_filled,
        sizing.pick_least_filled,
        sizing.pick_most_colors,
        sizing.pick_fewest_colors,
        sizing.pick_odd_one_out,
        sizing.pick_odd_shape_out,
    ):
        out = fn(options)
        assert out is None or any(out is g for g in options), fn.__name__


# --- removing rows and columns ------------------------------------------------------------


def test_dedupe_rows():
    assert same(sizing.dedupe_rows(as_grid([[1, 1], [1, 1], [2, 2], [1, 1]])), [[1, 1], [2, 2], [1, 1]])


def test_dedupe_cols():
    assert same(sizing.dedupe_cols(as_grid([[1, 1, 2], [3, 3, 3]])), [[1, 2], [3, 3]])


@FAST
@given(small_grids())
def test_dedupe_is_idempotent_and_leaves_no_repeats(grid):
    rows = sizing.dedupe_rows(grid)
    assert np.array_equal(sizing.dedupe_rows(rows), rows)
    assert all((rows[i] != rows[i + 1]).any() for i in range(rows.shape[0] - 1))
    assert rows.shape[1] == grid.shape[1]
    assert np.array_equal(sizing.dedupe_cols(grid), sizing.dedupe_rows(grid.T).T)


def test_remove_empty_lines():
    grid = as_grid([[0, 0, 0], [1, 0, 2], [0, 0, 0], [0, 0, 3]])
    assert same(sizing.remove_empty_lines(grid), [[1, 2], [0, 3]])
    assert sizing.remove_empty_lines(as_grid([[0, 0]])) is None


def test_trim_border():
    assert same(sizing.trim_border(as_grid([[1, 1, 1, 1], [1, 2, 3, 1], [1, 1, 1, 1]])), [[2, 3]])
    assert sizing.trim_border(as_grid([[1, 2, 3], [4, 5, 6]])) is None


def test_grid_height():
    assert sizing.grid_height(SPARSE[:3]) == 3
    assert type(sizing.grid_height(SPARSE)) is int


def test_grid_width():
    assert sizing.grid_width(as_grid([[1, 2, 3]])) == 3
    assert type(sizing.grid_width(SPARSE)) is int


# --- totality --------------------------------------------------------------------

FAMILY = [p for p in primitives().values() if p.family == "sizing"]
INT_PROBES = (-7, -1, 0, 1, 2, 3, 31, 10**9)
RETURN_CHECKS = {
    T.GRID: lambda v: is_grid(v) and not v.flags.writeable,
    T.GRIDS: lambda v: isinstance(v, tuple) and len(v) > 0 and all(map(is_grid, v)),
    T.INT: lambda v: type(v) is int,
    T.COLOR: lambda v: type(v) is int and 0 <= v <= 9,
    T.BOOL: lambda v: type(v) is bool,
}


@st.composite
def lined_grids(draw):
    """A small grid with a full row and a full column of one colour drawn across it."""
    grid = np.array(draw(small_grids()))
    color = draw(st.integers(0, 9))
    grid[draw(st.integers(0, grid.shape[0] - 1))] = color
    grid[:, draw(st.integers(0, grid.shape[1] - 1))] = color
    return as_grid(grid)


def literal_slot(prim, index):
    """Every literal a search or a careless caller may pass for one argument."""
    kind = prim.args[index]
    if kind is T.COLOR:
        return range(10)
    if kind is T.BOOL:
        return (False, True)
    return sorted(set(prim.domains[index] or ()) | set(INT_PROBES))


def test_family_size():
    assert len(FAMILY) >= 25


@settings(max_examples=300, deadline=None)
@given(st.one_of(grids(), small_grids(), lined_grids()), st.lists(small_grids(), min_size=1, max_size=5))
def test_every_sizing_primitive_is_total(grid, many):
    many = tuple(many) + (grid, grid)  # repeats, so the odd-one-out pickers have work to do
    before = grid.copy()
    for prim in FAMILY:
        slots = [
            (grid,) if kind is T.GRID else (many,) if kind is T.GRIDS else literal_slot(prim, i)
            for i, kind in enumerate(prim.args)
        ]
        for values in itertools.product(*slots):
            out = prim(*values)
            assert out is None or RETURN_CHECKS[prim.ret](out), (prim.name, out)
    assert np.array_equal(grid, before)
    assert sizing.pick_first(()) is None and sizing.pick_most_filled(()) is None
