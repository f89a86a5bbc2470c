"""Primitive family: masks and logic (cell-wise boolean ops, overlays, enclosed regions).

A grid read as a mask is true where it is non-zero. Boolean results are painted in a
colour ``c`` on 0. The ``halves_*`` steps apply an op to the two halves of one grid,
the common ARC layout of two panels side by side or stacked, with or without a
one-cell separator line between them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.grid import NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

Mask = np.ndarray  # 2-D bool array
BoolOp = Callable[[Mask, Mask], Mask]

# Search domains. SPLIT: 0 = left | right, 1 = top | bottom.
SPLITS = (0, 1)
# OVERLAY_ORDERS: 0 = right over left, 1 = bottom over top, 2 = left over right, 3 = top over bottom.
OVERLAY_ORDERS = (0, 1, 2, 3)


def _frozen(arr: np.ndarray) -> Grid | None:
    """``make`` for a fresh array built here from valid colours (freezing it saves a copy)."""
    arr.setflags(write=False)
    return make(arr)


def _paint(mask: Mask, c: int) -> Grid | None:
    """Colour c where the mask is true, 0 elsewhere."""
    return _frozen(np.where(mask, np.int8(c), np.int8(0)))


def _nor(a: Mask, b: Mask) -> Mask:
    return ~(a | b)


def _and_not(a: Mask, b: Mask) -> Mask:
    return a & ~b


def _combine(a: Grid, b: Grid, op: BoolOp, c: int) -> Grid | None:
    """``op`` over the non-zero masks of two same-shape grids, painted in c."""
    if a.shape != b.shape:
        return NO_RESULT
    return _paint(op(a != 0, b != 0), c)


def _halves(grid: Grid, split: int) -> tuple[Grid, Grid] | None:
    """The two equal halves of a grid (split 0: left, right; 1: top, bottom).

    An odd-sized grid must have a one-colour middle line (the separator), which is dropped.
    """
    if split not in SPLITS:
        return NO_RESULT
    rows = grid if split == 1 else grid.T  # split rows; transpose back for left | right
    n = rows.shape[0]
    half = n // 2
    if half == 0:
        return NO_RESULT
    if n % 2:
        middle = rows[half]
        if (middle != middle[0]).any():
            return NO_RESULT
        first, second = rows[:half], rows[half + 1 :]
    else:
        first, second = rows[:half], rows[half:]
    return (first, second) if split == 1 else (first.T, second.T)


def _halves_op(grid: Grid, split: int, op: BoolOp, c: int) -> Grid | None:
    halves = _halves(grid, split)
    if halves is None:
        return NO_RESULT
    return _paint(op(halves[0] != 0, halves[1] != 0), c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def mask_and(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where both grids are non-zero, else 0 (same shapes only)."""
    return _combine(a, b, np.logical_and, c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def mask_or(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where either grid is non-zero, else 0 (same shapes only)."""
    return _combine(a, b, np.logical_or, c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def mask_xor(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where exactly one grid is non-zero, else 0 (same shapes only)."""
    return _combine(a, b, np.logical_xor, c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def mask_nor(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where both grids are 0, else 0 (same shapes only)."""
    return _combine(a, b, _nor, c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def mask_and_not(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where a is non-zero and b is 0, else 0 (same shapes only)."""
    return _combine(a, b, _and_not, c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"split": SPLITS})
def halves_and(grid: Grid, split: int, c: int) -> Grid | None:
    """Colour c where both halves are non-zero (split 0: left|right, 1: top|bottom)."""
    return _halves_op(grid, split, np.logical_and, c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"split": SPLITS})
def halves_or(grid: Grid, split: int, c: int) -> Grid | None:
    """Colour c where either half is non-zero (split 0: left|right, 1: top|bottom)."""
    return _halves_op(grid, split, np.logical_or, c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"split": SPLITS})
def halves_xor(grid: Grid, split: int, c: int) -> Grid | None:
    """Colour c where exactly one half is non-zero (split 0: left|right, 1: top|bottom)."""
    return _halves_op(grid, split, np.logical_xor, c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"split": SPLITS})
def halves_nor(grid: Grid, split: int, c: int) -> Grid | None:
    """Colour c where both halves are 0 (split 0: left|right, 1: top|bottom)."""
    return _halves_op(grid, split, _nor, c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"split": SPLITS})
def halves_and_not(grid: Grid, split: int, c: int) -> Grid | None:
    """Colour c where the first half (left/top) is non-zero and the second is 0."""
    return _halves_op(grid, split, _and_not, c)


@primitive(T.GRID, T.GRID, ret=T.GRID)
def overlay(base: Grid, top: Grid) -> Grid | None:
    """Paint the non-zero cells of top over base (same shapes only)."""
    if base.shape != top.shape:
        return NO_RESULT
    return _frozen(np.where(top != 0, top, base))


def _overlay_all(grids: tuple[Grid, ...]) -> Grid | None:
    """Later grids' non-zero cells painted over earlier ones; all shapes must agree."""
    if not grids or any(g.shape != grids[0].shape for g in grids):
        return NO_RESULT
    if len(grids) == 1:
        return grids[0]
    out = grids[0]
    for g in grids[1:]:  # a loop over a handful of grids, each step vectorised
        out = np.where(g != 0, g, out)
    return _frozen(out)


@primitive(T.GRIDS, ret=T.GRID)
def overlay_grids(grids: tuple[Grid, ...]) -> Grid | None:
    """Overlay same-shape grids in order, each one's non-zero cells over those before it."""
    return _overlay_all(grids)


@primitive(T.GRIDS, ret=T.GRID)
def overlay_grids_first_on_top(grids: tuple[Grid, ...]) -> Grid | None:
    """Overlay same-shape grids so the first has priority, then the second, and so on."""
    return _overlay_all(grids[::-1])


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"order": OVERLAY_ORDERS})
def overlay_halves(grid: Grid, order: int) -> Grid | None:
    """Overlay one half on the other (0: right over left, 1: bottom over top, 2/3: reversed)."""
    halves = _halves(grid, order % 2) if order in OVERLAY_ORDERS else NO_RESULT
    if halves is None:
        return NO_RESULT
    under, over = halves if order < 2 else halves[::-1]
    return _frozen(np.where(over != 0, over, under))


def _run_ids(mask: Mask) -> np.ndarray:
    """Label each horizontal run of true cells with its own id from 1; 0 off the mask."""
    starts = mask.copy()
    starts[:, 1:] &= ~mask[:, :-1]
    # a running count over the flattened rows numbers runs uniquely across the grid
    ids = np.cumsum(starts, dtype=np.intp).reshape(mask.shape)
    ids[~mask] = 0
    return ids


def _spread(reach: Mask, ids: np.ndarray, n_runs: int) -> Mask:
    """Extend ``reach`` to the whole of every run it touches."""
    hit = np.zeros(n_runs + 1, dtype=bool)
    hit[ids[reach]] = True
    hit[0] = False
    return hit[ids]


def outside_mask(passable: Mask) -> Mask:
    """Cells of ``passable`` 4-connected to the grid border through passable cells."""
    reach = np.zeros_like(passable)
    reach[[0, -1], :] = passable[[0, -1], :]
    reach[:, [0, -1]] = passable[:, [0, -1]]
    if not passable.any():
        return reach
    row_ids = _run_ids(passable)
    col_ids = _run_ids(passable.T).T
    n_rows, n_cols = int(row_ids.max()), int(col_ids.max())
    # Each round floods whole row runs then whole column runs, so the number of rounds
    # is the number of turns a path needs, not its length (no per-cell recursion).
    count = np.count_nonzero(reach)
    while True:
        reach = _spread(_spread(reach, row_ids, n_rows), col_ids, n_cols)
        new_count = np.count_nonzero(reach)
        if new_count == count:
            return reach
        count = new_count


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def fill_enclosed_background(grid: Grid, c: int) -> Grid | None:
    """Paint with c the 0 cells not 4-connected to the border through 0 cells."""
    background = grid == 0
    enclosed = background & ~outside_mask(background)
    return _frozen(np.where(enclosed, np.int8(c), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def fill_outside_background(grid: Grid, c: int) -> Grid | None:
    """Paint with c the 0 cells 4-connected to the border through 0 cells."""
    return _frozen(np.where(outside_mask(grid == 0), np.int8(c), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def enclosed_background_mask(grid: Grid, c: int) -> Grid | None:
    """Colour c on the enclosed 0 cells (not connected to the border), 0 elsewhere."""
    background = grid == 0
    return _paint(background & ~outside_mask(background), c)


@primitive(T.GRID, T.COLOR, T.COLOR, ret=T.GRID)
def mask_of_color(grid: Grid, a: int, c: int) -> Grid | None:
    """Colour c where the grid has colour a, 0 elsewhere."""
    return _paint(grid == a, c)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def invert_mask(grid: Grid, c: int) -> Grid | None:
    """Colour c where the grid is 0, 0 where it is non-zero."""
    return _paint(grid == 0, c)


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def diff_mask(a: Grid, b: Grid, c: int) -> Grid | None:
    """Colour c where two same-shape grids differ, 0 where they agree."""
    if a.shape != b.shape:
        return NO_RESULT
    return _paint(a != b, c)


@primitive(T.GRID, T.GRID, ret=T.GRID)
def keep_where(grid: Grid, mask: Grid) -> Grid | None:
    """Keep the cells of grid where mask is non-zero; 0 elsewhere (same shapes only)."""
    if grid.shape != mask.shape:
        return NO_RESULT
    return _frozen(np.where(mask != 0, grid, np.int8(0)))


@primitive(T.GRID, T.GRID, T.COLOR, ret=T.GRID)
def paint_where(grid: Grid, mask: Grid, c: int) -> Grid | None:
    """Paint colour c on the cells of grid where mask is non-zero (same shapes only)."""
    if grid.shape != mask.shape:
        return NO_RESULT
    return _frozen(np.where(mask != 0, np.int8(c), grid))
