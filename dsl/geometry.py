"""Primitive family: geometry. Grid -> grid moves that keep every cell's colour.

The square group (rotations and reflections), one-cell shifts that fill with the
background 0, wrap-around rolls, and copying one half of a grid onto the other as its
mirror image. Rotation directions follow numpy: ``rot90`` turns counter-clockwise, as
the ``symmetry`` baseline does.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

# Literal offsets the search tries for the rolls: one or two cells either way.
ROLL_STEPS = (1, -1, 2, -2)


@primitive(T.GRID, ret=T.GRID)
def rot90(grid: Grid) -> Grid | None:
    """Rotate a quarter turn counter-clockwise."""
    return make(grid[:, ::-1].T)


@primitive(T.GRID, ret=T.GRID)
def rot180(grid: Grid) -> Grid | None:
    """Rotate a half turn."""
    return make(grid[::-1, ::-1])


@primitive(T.GRID, ret=T.GRID)
def rot270(grid: Grid) -> Grid | None:
    """Rotate a quarter turn clockwise."""
    return make(grid[::-1].T)


@primitive(T.GRID, ret=T.GRID)
def flip_horizontal(grid: Grid) -> Grid | None:
    """Mirror left-right (reverse the order of the columns)."""
    return make(grid[:, ::-1])


@primitive(T.GRID, ret=T.GRID)
def flip_vertical(grid: Grid) -> Grid | None:
    """Mirror top-bottom (reverse the order of the rows)."""
    return make(grid[::-1, :])


@primitive(T.GRID, ret=T.GRID)
def transpose(grid: Grid) -> Grid | None:
    """Mirror about the main diagonal (rows become columns)."""
    return make(grid.T)


@primitive(T.GRID, ret=T.GRID)
def antitranspose(grid: Grid) -> Grid | None:
    """Mirror about the anti-diagonal (top-right to bottom-left)."""
    return make(grid[::-1, ::-1].T)


def _shifted(grid: Grid, dr: int, dc: int) -> Grid | None:
    """The grid moved by (dr, dc) cells, cells moved in from outside set to 0."""
    h, w = grid.shape
    out = np.zeros_like(grid)
    out[max(dr, 0) : h + min(dr, 0), max(dc, 0) : w + min(dc, 0)] = grid[
        max(-dr, 0) : h + min(-dr, 0), max(-dc, 0) : w + min(-dc, 0)
    ]
    return make(out)


@primitive(T.GRID, ret=T.GRID)
def shift_up(grid: Grid) -> Grid | None:
    """Move every cell up by one; the bottom row becomes background 0."""
    return _shifted(grid, -1, 0)


@primitive(T.GRID, ret=T.GRID)
def shift_down(grid: Grid) -> Grid | None:
    """Move every cell down by one; the top row becomes background 0."""
    return _shifted(grid, 1, 0)


@primitive(T.GRID, ret=T.GRID)
def shift_left(grid: Grid) -> Grid | None:
    """Move every cell left by one; the right column becomes background 0."""
    return _shifted(grid, 0, -1)


@primitive(T.GRID, ret=T.GRID)
def shift_right(grid: Grid) -> Grid | None:
    """Move every cell right by one; the left column becomes background 0."""
    return _shifted(grid, 0, 1)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"k": ROLL_STEPS})
def roll_down(grid: Grid, k: int) -> Grid | None:
    """Roll the rows down by k with wrap-around (negative k rolls up)."""
    # Reduced first, so a huge k costs nothing; two slices are cheaper than np.roll.
    k %= grid.shape[0]
    return make(np.concatenate((grid[-k:], grid[:-k])) if k else grid)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"k": ROLL_STEPS})
def roll_right(grid: Grid, k: int) -> Grid | None:
    """Roll the columns right by k with wrap-around (negative k rolls left)."""
    k %= grid.shape[1]
    return make(np.concatenate((grid[:, -k:], grid[:, :-k]), axis=1) if k else grid)


@primitive(T.GRID, ret=T.GRID)
def reflect_left_half(grid: Grid) -> Grid | None:
    """Overwrite the right half with the mirror image of the left half."""
    w = grid.shape[1]
    if w < 2:
        return NO_RESULT
    out = grid.copy()
    half = w // 2
    out[:, w - half :] = grid[:, half - 1 :: -1]
    return make(out)


@primitive(T.GRID, ret=T.GRID)
def reflect_right_half(grid: Grid) -> Grid | None:
    """Overwrite the left half with the mirror image of the right half."""
    w = grid.shape[1]
    if w < 2:
        return NO_RESULT
    out = grid.copy()
    half = w // 2
    out[:, :half] = grid[:, : w - half - 1 : -1]
    return make(out)


@primitive(T.GRID, ret=T.GRID)
def reflect_top_half(grid: Grid) -> Grid | None:
    """Overwrite the bottom half with the mirror image of the top half."""
    h = grid.shape[0]
    if h < 2:
        return NO_RESULT
    out = grid.copy()
    half = h // 2
    out[h - half :] = grid[half - 1 :: -1]
    return make(out)


@primitive(T.GRID, ret=T.GRID)
def reflect_bottom_half(grid: Grid) -> Grid | None:
    """Overwrite the top half with the mirror image of the bottom half."""
    h = grid.shape[0]
    if h < 2:
        return NO_RESULT
    out = grid.copy()
    half = h // 2
    out[:half] = grid[: h - half - 1 : -1]
    return make(out)
