"""Tests for dsl.masks: one test per primitive, laws, and totality on random grids."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
import pytest
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from arc_harness.tasks import as_grid
from dsl import masks
from dsl.grid import is_grid
from dsl.registry import primitives
from dsl.types import T

G = as_grid  # hand-made grids below are written as nested lists

A = G([[1, 1, 0], [0, 2, 0]])
B = G([[3, 0, 0], [4, 4, 0]])
WIDE = G([[1, 0]])


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


# --- two-grid logic --------------------------------------------------------------


def test_mask_and():
    assert same(masks.mask_and(A, B, 5), [[5, 0, 0], [0, 5, 0]])
    assert masks.mask_and(A, WIDE, 5) is None


def test_mask_or():
    assert same(masks.mask_or(A, B, 5), [[5, 5, 0], [5, 5, 0]])
    assert masks.mask_or(A, WIDE, 5) is None


def test_mask_xor():
    assert same(masks.mask_xor(A, B, 5), [[0, 5, 0], [5, 0, 0]])


def test_mask_nor():
    assert same(masks.mask_nor(A, B, 5), [[0, 0, 5], [0, 0, 5]])


def test_mask_and_not():
    assert same(masks.mask_and_not(A, B, 5), [[0, 5, 0], [0, 0, 0]])
    assert same(masks.mask_and_not(B, A, 5), [[0, 0, 0], [5, 0, 0]])


# --- logic over the two halves of one grid ----------------------------------------

# left | separator | right, as in many ARC tasks
SEPARATED = G([[1, 1, 0, 5, 2, 0, 0], [0, 1, 0, 5, 2, 2, 0]])
# top / bottom, no separator
STACKED = G([[1, 1, 0], [0, 1, 0], [2, 0, 0], [2, 2, 0]])


def test_halves_and():
    assert same(masks.halves_and(SEPARATED, 0, 3), [[3, 0, 0], [0, 3, 0]])
    assert same(masks.halves_and(STACKED, 1, 3), [[3, 0, 0], [0, 3, 0]])


def test_halves_and_needs_a_one_colour_separator_on_odd_sizes():
    assert masks.halves_and(G([[1, 0, 2], [1, 3, 2]]), 0, 3) is None
    assert same(masks.halves_and(G([[1, 0, 2], [1, 0, 2]]), 0, 3), [[3], [3]])
    assert masks.halves_and(G([[1, 1, 1]]), 1, 3) is None  # one row has no halves
    assert masks.halves_and(STACKED, 2, 3) is None  # unknown split code


def test_halves_or():
    assert same(masks.halves_or(SEPARATED, 0, 3), [[3, 3, 0], [3, 3, 0]])
    assert same(masks.halves_or(STACKED, 1, 4), [[4, 4, 0], [4, 4, 0]])


def test_halves_xor():
    assert same(masks.halves_xor(SEPARATED, 0, 3), [[0, 3, 0], [3, 0, 0]])


def test_halves_nor():
    assert same(masks.halves_nor(SEPARATED, 0, 8), [[0, 0, 8], [0, 0, 8]])
    assert same(masks.halves_nor(STACKED, 1, 8), [[0, 0, 8], [0, 0, 8]])


def test_halves_and_not():
    assert same(masks.halves_and_not(SEPARATED, 0, 3), [[0, 3, 0], [0, 0, 0]])
    assert same(masks.halves_and_not(STACKED, 1, 3), [[0, 3, 0], [0, 0, 0]])


# --- overlays --------------------------------------------------------------------


def test_overlay():
    assert same(masks.overlay(A, B), [[3, 1, 0], [4, 4, 0]])
    assert same(masks.overlay(B, A), [[1, 1, 0], [4, 2, 0]])
    assert masks.overlay(A, WIDE) is None


def test_overlay_grids():
    c = G([[0, 0, 6], [0, 0, 0]])
    assert same(masks.overlay_grids((A, B, c)), [[3, 1, 6], [4, 4, 0]])
    assert same(masks.overlay_grids((A,)), A.tolist())
    assert masks.overlay_grids(()) is None
    assert masks.overlay_grids((A, WIDE)) is None


def test_overlay_grids_first_on_top():
    c = G([[0, 0, 6], [0, 0, 0]])
    assert same(masks.overlay_grids_first_on_top((A, B, c)), [[1, 1, 6], [4, 2, 0]])
    assert masks.overlay_grids_first_on_top(()) is None


def test_overlay_halves():
    grid = G([[1, 0, 5, 0, 2], [1, 1, 5, 3, 0]])
    assert same(masks.overlay_halves(grid, 0), [[1, 2], [3, 1]])  # right over left
    assert same(masks.overlay_halves(grid, 2), [[1, 2], [1, 1]])  # left over right
    assert same(masks.overlay_halves(STACKED, 1), [[2, 1, 0], [2, 2, 0]])
    assert same(masks.overlay_halves(STACKED, 3), [[1, 1, 0], [2, 1, 0]])
    assert masks.overlay_halves(STACKED, 4) is None


# --- enclosed regions ------------------------------------------------------------

RING = G(
    [
        [0, 0, 0, 0, 0, 0],
        [0, 3, 3, 3, 0, 0],
        [0, 3, 0, 3, 0, 0],
        [0, 3, 3, 3, 0, 3],
        [0, 0, 0, 0, 3, 0],
    ]
)  # one enclosed cell at (2, 2); the corner cell (4, 5) touches the border


def test_fill_enclosed_background():
    out = masks.fill_enclosed_background(RING, 4)
    expected = RING.copy()
    expected[2, 2] = 4
    assert same(out, expected.tolist())


def test_fill_enclosed_background_follows_winding_corridors():
    # a spiral: the inner pocket is reached from the border only along a long path
    spiral = G(
        [
            [1, 1, 1, 1, 1, 1, 1],
            [0, 0, 0, 0, 0, 0, 1],
            [1, 1, 1, 1, 1, 0, 1],
            [1, 0, 0, 0, 1, 0, 1],
            [1, 0, 1, 0, 0, 0, 1],
            [1, 0, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1, 1],
        ]
    )
    assert same(masks.fill_enclosed_background(spiral, 2), spiral.tolist())
    closed = np.array(spiral)
    closed[1, 0] = 1
    out = masks.fill_enclosed_background(G(closed), 2)
    assert same(out, np.where(closed == 0, 2, closed).tolist())


def test_fill_outside_background():
    out = masks.fill_outside_background(RING, 7)
    expected = np.where(RING == 0, 7, RING)
    expected[2, 2] = 0
    assert same(out, expected.tolist())


def test_enclosed_background_mask():
    expected = np.zeros(RING.shape, dtype=int)
    expected[2, 2] = 6
    assert same(masks.enclosed_background_mask(RING, 6), expected.tolist())


# --- masks of cells ----------------------------------------------------------------


def test_mask_of_color():
    assert same(masks.mask_of_color(A, 1, 9), [[9, 9, 0], [0, 0, 0]])
    assert same(masks.mask_of_color(A, 0, 9), [[0, 0, 9], [9, 0, 9]])


def test_invert_mask():
    assert same(masks.invert_mask(A, 2), [[0, 0, 2], [2, 0, 2]])


def test_diff_mask():
    assert same(masks.diff_mask(A, G([[1, 0, 0], [0, 2, 7]]), 1), [[0, 1, 0], [0, 0, 1]])
    assert masks.diff_mask(A, WIDE, 1) is None


def test_keep_where():
    assert same(masks.keep_where(B, A), [[3, 0, 0], [0, 4, 0]])
    assert masks.keep_where(B, WIDE) is None


def test_paint_where():
    assert same(masks.paint_where(B, A, 8), [[8, 8, 0], [4, 8, 0]])
    assert masks.paint_where(B, WIDE, 8) is None


# --- laws ------------------------------------------------------------------------

FAST = settings(max_examples=60, deadline=None)


@st.composite
def grid_pairs(draw, max_side: int = 8, max_color: int = 4):
    """Two read-only grids of one shape."""
    first = draw(grids(1, max_side, max_color))
    second = draw(hnp.arrays(np.int8, first.shape, elements=st.integers(0, max_color)))
    second.setflags(write=False)
    return first, second


def reference_outside(passable: np.ndarray) -> np.ndarray:
    """Breadth-first search from the border: the slow, obvious definition."""
    h, w = passable.shape
    seen = np.zeros_like(passable)
    queue = deque(
        (r, c) for r in range(h) for c in range(w) if passable[r, c] and (r in (0, h - 1) or c in (0, w - 1))
    )
    for r, c in queue:
        seen[r, c] = True
    while queue:
        r, c = queue.popleft()
        for rr, cc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= rr < h and 0 <= cc < w and passable[rr, cc] and not seen[rr, cc]:
                seen[rr, cc] = True
                queue.append((rr, cc))
    return seen


@settings(max_examples=150, deadline=None)
@given(grids(1, 16, 1))
def test_outside_mask_matches_breadth_first_search(grid):
    passable = grid == 0
    assert np.array_equal(masks.outside_mask(passable), reference_outside(passable))


@FAST
@given(grid_pairs(), st.integers(1, 9))
def test_logic_ops_follow_boolean_algebra(pair, c):
    a, b = pair
    ma, mb = a != 0, b != 0
    assert np.array_equal(masks.mask_and(a, b, c) != 0, ma & mb)
    assert np.array_equal(masks.mask_or(a, b, c) != 0, ma | mb)
    assert np.array_equal(masks.mask_xor(a, b, c) != 0, ma ^ mb)
    assert np.array_equal(masks.mask_nor(a, b, c) != 0, ~(ma | mb))
    assert np.array_equal(masks.mask_and_not(a, b, c) != 0, ma & ~mb)
    assert np.array_equal(masks.mask_and(a, b, c), masks.mask_and(b, a, c))
    assert set(np.unique(masks.mask_or(a, b, c))) <= {0, c}


@FAST
@given(grid_pairs(), st.integers(1, 9))
def test_halves_ops_match_the_two_grid_ops(pair, c):
    a, b = pair
    joined = G(np.concatenate([a, b], axis=1))
    assert np.array_equal(masks.halves_xor(joined, 0, c), masks.mask_xor(a, b, c))
    stacked = G(np.concatenate([a, np.full((1, a.shape[1]), 5), b], axis=0))
    assert np.array_equal(masks.halves_and_not(stacked, 1, c), masks.mask_and_not(a, b, c))
    assert np.array_equal(masks.overlay_halves(stacked, 1), masks.overlay(a, b))


@FAST
@given(grid_pairs())
def test_overlay_laws(pair):
    a, b = pair
    assert np.array_equal(masks.overlay(a, a), a)
    assert np.array_equal(masks.overlay_grids((a, b)), masks.overlay(a, b))
    assert np.array_equal(masks.overlay_grids_first_on_top((a, b)), masks.overlay(b, a))
    assert np.array_equal(
        masks.keep_where(a, b).astype(int) + masks.keep_where(a, masks.invert_mask(b, 1)), a
    )


@FAST
@given(small_grids(), st.integers(1, 9))
def test_enclosed_and_outside_split_the_background(grid, c):
    enclosed = masks.enclosed_background_mask(grid, c) != 0
    outside = masks.fill_outside_background(grid, c) != grid
    assert not (enclosed & outside).any()
    assert np.array_equal(enclosed | outside, grid == 0)
    filled = masks.fill_enclosed_background(grid, c)
    assert np.array_equal(filled[~enclosed], grid[~enclosed])


# --- totality --------------------------------------------------------------------

FAMILY = sorted(name for name, p in primitives().items() if p.family == "masks")
LITERALS = {T.COLOR: range(10), T.INT: (-2, -1, 0, 1, 2, 3, 4, 9), T.BOOL: (False, True)}


def test_family_size():
    assert len(FAMILY) >= 18


@pytest.mark.parametrize("name", FAMILY)
@settings(max_examples=40, deadline=None)
@given(pair=grid_pairs(30, 9), other=grids())
def test_every_masks_primitive_is_total(name, pair, other):
    prim = primitives()[name]
    grid_values = {T.GRID: pair + (other,), T.GRIDS: (pair, pair + (other,), ())}
    slots = [grid_values.get(kind) or LITERALS[kind] for kind in prim.args]
    before = [g.copy() for g in pair + (other,)]
    for values in itertools.product(*slots):
        out = prim(*values)
        assert out is None or is_grid(out), (name, values)
    assert all(np.array_equal(g, b) for g, b in zip(pair + (other,), before, strict=True))
