"""Primitive family: tiling and scaling.

Scaling cells up and down, repeating a grid, mirrored and rotated tilings,
concatenating two grids, and combining a tuple of grids into one. Size arguments are
checked against the 30-cell limit before any array is built, so a huge literal costs
nothing.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import MAX_SIDE, NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

Grids = tuple[Grid, ...]

SCALES = (2, 3, 4, 5)
REPEATS = (1, 2, 3, 4)


def _fits(side: int, factor: int) -> bool:
    """Whether a side scaled by ``factor`` is a valid grid side."""
    return factor >= 1 and side * factor <= MAX_SIDE


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"k": SCALES}, computed=("k",))
def upscale(grid: Grid, k: int) -> Grid | None:
    """Scale every cell up to a k x k block."""
    h, w = grid.shape
    if not (_fits(h, k) and _fits(w, k)):
        return NO_RESULT
    return make(np.repeat(np.repeat(grid, k, axis=0), k, axis=1))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"k": SCALES}, computed=("k",))
def downscale(grid: Grid, k: int) -> Grid | None:
    """Keep the top-left cell of every k x k block (NO_RESULT unless both sides divide by k)."""
    h, w = grid.shape
    if k < 1 or h % k or w % k:
        return NO_RESULT
    return make(grid[::k, ::k])


@primitive(T.GRID, ret=T.GRID)
def downscale_blocks(grid: Grid) -> Grid | None:
    """Collapse runs of identical rows and of identical columns: one cell per block."""
    rows = np.ones(grid.shape[0], dtype=bool)
    rows[1:] = (grid[1:] != grid[:-1]).any(axis=1)
    cols = np.ones(grid.shape[1], dtype=bool)
    cols[1:] = (grid[:, 1:] != grid[:, :-1]).any(axis=0)
    return make(grid[rows][:, cols])


@primitive(T.GRID, T.INT, T.INT, ret=T.GRID, domains={"rows": REPEATS, "cols": REPEATS})
def tile(grid: Grid, rows: int, cols: int) -> Grid | None:
    """Repeat the grid ``rows`` times downwards and ``cols`` times across."""
    h, w = grid.shape
    if not (_fits(h, rows) and _fits(w, cols)):
        return NO_RESULT
    return make(np.tile(grid, (rows, cols)))


@primitive(T.GRID, ret=T.GRID)
def tile_by_own_mask(grid: Grid) -> Grid | None:
    """Place a copy of the grid at every non-zero cell of the grid (a self-similar tiling)."""
    h, w = grid.shape
    if not (_fits(h, h) and _fits(w, w)):
        return NO_RESULT
    return make(np.kron(grid != 0, grid))


@primitive(T.GRID, ret=T.GRID)
def mirror_tile_2x2(grid: Grid) -> Grid | None:
    """Four mirror images around a centre: the grid top-left, its reflections in the others."""
    h, w = grid.shape
    if not (_fits(h, 2) and _fits(w, 2)):
        return NO_RESULT
    top = np.hstack((grid, grid[:, ::-1]))
    return make(np.vstack((top, top[::-1])))


@primitive(T.GRID, ret=T.GRID)
def rotate_tile_2x2(grid: Grid) -> Grid | None:
    """Four quarter-turns of a square grid around a centre, the grid itself top-left."""
    h, w = grid.shape
    if h != w or not _fits(h, 2):
        return NO_RESULT
    # Each quadrant is the one before it turned a quarter clockwise, going round clockwise.
    top = np.hstack((grid, grid[::-1].T))
    return make(np.vstack((top, top[::-1, ::-1])))


@primitive(T.GRID, ret=T.GRID)
def mirror_concat_right(grid: Grid) -> Grid | None:
    """The grid followed on its right by its left-right mirror image."""
    return make(np.hstack((grid, grid[:, ::-1]))) if _fits(grid.shape[1], 2) else NO_RESULT


@primitive(T.GRID, ret=T.GRID)
def mirror_concat_left(grid: Grid) -> Grid | None:
    """The grid preceded on its left by its left-right mirror image."""
    return make(np.hstack((grid[:, ::-1], grid))) if _fits(grid.shape[1], 2) else NO_RESULT


@primitive(T.GRID, ret=T.GRID)
def mirror_concat_down(grid: Grid) -> Grid | None:
    """The grid with its top-bottom mirror image below it."""
    return make(np.vstack((grid, grid[::-1]))) if _fits(grid.shape[0], 2) else NO_RESULT


@primitive(T.GRID, ret=T.GRID)
def mirror_concat_up(grid: Grid) -> Grid | None:
    """The grid with its top-bottom mirror image above it."""
    return make(np.vstack((grid[::-1], grid))) if _fits(grid.shape[0], 2) else NO_RESULT


@primitive(T.GRID, T.GRID, ret=T.GRID)
def concat_horizontal(left: Grid, right: Grid) -> Grid | None:
    """Two grids side by side (NO_RESULT unless their heights match)."""
    if left.shape[0] != right.shape[0] or left.shape[1] + right.shape[1] > MAX_SIDE:
        return NO_RESULT
    return make(np.hstack((left, right)))


@primitive(T.GRID, T.GRID, ret=T.GRID)
def concat_vertical(top: Grid, bottom: Grid) -> Grid | None:
    """One grid above the other (NO_RESULT unless their widths match)."""
    if top.shape[1] != bottom.shape[1] or top.shape[0] + bottom.shape[0] > MAX_SIDE:
        return NO_RESULT
    return make(np.vstack((top, bottom)))


@primitive(T.GRIDS, ret=T.GRID)
def stack_horizontal(grids: Grids) -> Grid | None:
    """All grids side by side in order (NO_RESULT unless their heights match)."""
    if not grids or len({g.shape[0] for g in grids}) != 1:
        return NO_RESULT
    if sum(g.shape[1] for g in grids) > MAX_SIDE:
        return NO_RESULT
    return make(np.hstack(grids))


@primitive(T.GRIDS, ret=T.GRID)
def stack_vertical(grids: Grids) -> Grid | None:
    """All grids top to bottom in order (NO_RESULT unless their widths match)."""
    if not grids or len({g.shape[1] for g in grids}) != 1:
        return NO_RESULT
    if sum(g.shape[0] for g in grids) > MAX_SIDE:
        return NO_RESULT
    return make(np.vstack(grids))
