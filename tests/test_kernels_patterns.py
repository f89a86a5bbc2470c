"""Symmetry and period repair kernels (solvers.kernels_patterns) on nearly symmetric or periodic grids.

Random grids rarely have a mirror axis or a period, so the generic differential test in
test_kernels mostly sees the no-result path; these stacks are symmetric or tiled grids,
some cropped off centre, with a few cells damaged to the repair colour.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import assert_agrees

from dsl import registry
from solvers import kernels

REPAIRS = ("symmetry_repair", "periodic_repair")


def _mirrored(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A grid invariant under a few mirrors or turns, cropped so that axes may sit off centre."""
    n = max(h, w) + int(rng.integers(0, 4))
    g = rng.integers(0, int(rng.integers(2, 6)), size=(n, n)).astype(np.int8)
    images = {
        "lr": [g[:, ::-1]],
        "ud": [g[::-1]],
        "both": [g[:, ::-1], g[::-1], g[::-1, ::-1]],
        "diag": [g.T],
        "anti": [g[::-1, ::-1].T],
        "half_turn": [g[::-1, ::-1]],
        "quarter_turn": [np.rot90(g, k) for k in (1, 2, 3)],
    }[str(rng.choice(["lr", "ud", "both", "diag", "anti", "half_turn", "quarter_turn"]))]
    # The largest colour over an orbit is the same at every cell of it: exactly invariant.
    g = np.maximum.reduce([g, *images])
    r0, c0 = int(rng.integers(0, n - h + 1)), int(rng.integers(0, n - w + 1))
    return g[r0 : r0 + h, c0 : c0 + w].copy()


def _tiled(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A grid tiled by a random tile, started at a random phase."""
    py, px = int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))
    tile = rng.integers(0, int(rng.integers(2, 6)), size=(py, px)).astype(np.int8)
    big = np.tile(tile, (h // py + 2, w // px + 2))
    r0, c0 = int(rng.integers(0, py)), int(rng.integers(0, px))
    return big[r0 : r0 + h, c0 : c0 + w].copy()


def _damaged(rng: np.random.Generator, grid: np.ndarray, c: int) -> np.ndarray:
    """The grid with a rectangle, a few cells or most cells set to c (sometimes none).

    With most cells blank, few known cells must agree, so many candidates fit at once and
    the choice among them (ties, order) decides the answer.
    """
    h, w = grid.shape
    form = int(rng.integers(4))
    if form == 1:
        r0, c0 = int(rng.integers(0, h)), int(rng.integers(0, w))
        grid[r0 : r0 + int(rng.integers(1, 5)), c0 : c0 + int(rng.integers(1, 5))] = c
    elif form == 2:
        cells = rng.choice(h * w, size=int(rng.integers(1, max(2, h * w // 4))), replace=False)
        grid.flat[cells] = c
    elif form == 3:
        grid[rng.random((h, w)) < rng.uniform(0.3, 0.85)] = c
    return grid


@st.composite
def damaged_stacks(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    """A (K, H, W) stack of damaged symmetric or tiled grids, and the damage colour."""
    h = draw(st.one_of(st.integers(1, 12), st.integers(13, 30)))
    w = h if draw(st.booleans()) else draw(st.integers(1, 12))
    k = draw(st.integers(1, 4))
    c = draw(st.integers(0, 9))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    makers = (_mirrored, _tiled)
    grids = [_damaged(rng, makers[int(rng.integers(2))](rng, h, w), c) for _ in range(k)]
    batch = np.stack(grids)
    if draw(st.booleans()):
        batch.setflags(write=False)
    return batch, c


@pytest.mark.parametrize("name", REPAIRS)
def test_repair_kernel_matches_primitive_on_damaged_patterns(name):
    @settings(max_examples=150, deadline=None, database=None)
    @given(damaged_stacks())
    def check(case):
        batch, c = case
        # The damage colour, and one that may also be part of the pattern.
        for colour in sorted({c, int(batch[0, 0, 0])}):
            assert_agrees(name, batch, (colour,))

    check()


@pytest.mark.parametrize("name", REPAIRS)
def test_repair_kernel_matches_on_the_largest_grids_and_colours(name):
    # Sums of squared colours over 30 x 30 cells: the largest the scores get.
    rng = np.random.default_rng(7)
    grids = [_damaged(rng, 9 - _mirrored(rng, 30, 30) % 3, 0) for _ in range(3)]
    grids.append(np.full((30, 30), 9, dtype=np.int8))
    grids[-1][12:15, 3:9] = 0
    assert_agrees(name, np.stack(grids), (0,))
    assert registry.get(name).fn(grids[-1], 0).tolist() == np.full((30, 30), 9).tolist()


@pytest.mark.parametrize("name", REPAIRS)
def test_repair_kernel_matches_primitive_on_a_fixed_sweep(name):
    # Many small stacks from one seed: the rare cases hypothesis may miss in one run.
    rng = np.random.default_rng(2024)
    for _ in range(40):
        h, w = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        grids = [_damaged(rng, (_mirrored, _tiled)[int(rng.integers(2))](rng, h, w), 0) for _ in range(32)]
        assert_agrees(name, np.stack(grids), (0,))


def test_of_two_tiles_of_one_area_the_one_with_fewer_rows_is_taken():
    # Tiles 1 x 2 and 2 x 1 both fit the known cells and fill the blanks differently.
    grid = np.array([[1, 0], [0, 2]], dtype=np.int8)
    assert_agrees("periodic_repair", grid[None], (0,))
    assert registry.get("periodic_repair").fn(grid, 0).tolist() == [[1, 2], [1, 2]]


def test_damaged_patterns_are_mostly_repaired():
    # Guards the cases above from testing only the no-result path.
    rng = np.random.default_rng(3)
    for name, maker in (("symmetry_repair", _mirrored), ("periodic_repair", _tiled)):
        prim = registry.get(name)
        grids = [_damaged(rng, maker(rng, 10, 10), 9) for _ in range(60)]
        damaged = [g for g in grids if (g == 9).any()]
        repaired = [g for g in damaged if prim.fn(g, 9) is not None]
        assert len(repaired) >= len(damaged) // 3, name


@pytest.mark.parametrize("name", REPAIRS)
def test_a_blanked_rectangle_is_restored(name):
    tile = np.array([[1, 2, 3], [2, 3, 1]], dtype=np.int8)
    whole = np.tile(tile, (3, 2))  # 6 x 6, symmetric about neither axis but periodic
    if name == "symmetry_repair":
        whole = np.maximum(whole, whole[:, ::-1])
    blank = whole.copy()
    blank[1:3, :2] = 0
    batch = np.stack([blank, whole, np.zeros_like(whole)])
    out, valid = kernels.KERNELS[name](batch, 0)
    assert valid is not None and valid.tolist() == [True, True, False]
    assert np.array_equal(out[0], whole) and np.array_equal(out[1], whole)


def test_turns_fill_in_the_primitive_order_of_their_centres():
    # Turns about the grid's centre (1.5, 1) and about the crossing of the mirror axes
    # (1, 1) all fit the known cells but disagree on the blanks: the primitive fills from
    # the centre its set of centres yields first.
    grid = np.array([[1, 0, 1], [1, 2, 0], [1, 0, 1], [1, 2, 0]], dtype=np.int8)
    assert_agrees("symmetry_repair", grid[None], (0,))
    assert np.array_equal(registry.get("symmetry_repair").fn(grid, 0), np.tile([[1, 2, 1]], (4, 1)))
