"""Primitive family: colour (recolouring, palette maps, colour statistics).

Background is colour 0 unless a name says otherwise. Colour statistics break ties
toward the smaller colour index, so every answer is deterministic.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import NO_RESULT, NUM_COLORS, Grid, make
from dsl.registry import primitive
from dsl.types import T

# Python loops are avoided: colour maps go through a 10-entry lookup table indexed by
# the grid, which is one vectorised gather whatever the number of colours changed.
_IDENTITY = np.arange(NUM_COLORS, dtype=np.int8)
_IDENTITY.setflags(write=False)


def _frozen(arr: np.ndarray) -> Grid | None:
    """``make`` for a fresh array built here from valid colours (freezing it saves a copy)."""
    arr.setflags(write=False)
    return make(arr)


def _counts(grid: Grid) -> np.ndarray:
    """Cells per colour, a length-10 array."""
    return np.bincount(grid.ravel(), minlength=NUM_COLORS)


def _by_frequency(counts: np.ndarray) -> np.ndarray:
    """Present non-zero colours, most common first (ties: smaller colour first)."""
    order = np.argsort(-counts[1:], kind="stable") + 1
    return order[counts[order] > 0]


def _apply_lut(grid: Grid, lut: np.ndarray) -> Grid | None:
    """The grid with every colour mapped through a 10-entry table."""
    return _frozen(lut[grid])


@primitive(T.GRID, T.COLOR, T.COLOR, ret=T.GRID)
def recolor(grid: Grid, a: int, b: int) -> Grid | None:
    """Recolour every cell of colour a to colour b."""
    if a == b:
        return grid
    return _frozen(np.where(grid == a, np.int8(b), grid))


@primitive(T.GRID, T.COLOR, T.COLOR, ret=T.GRID)
def swap_colors(grid: Grid, a: int, b: int) -> Grid | None:
    """Exchange colours a and b everywhere."""
    if a == b:
        return grid
    lut = _IDENTITY.copy()
    lut[a], lut[b] = b, a
    return _apply_lut(grid, lut)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def keep_color(grid: Grid, c: int) -> Grid | None:
    """Keep only the cells of colour c; every other cell becomes 0."""
    return _frozen(np.where(grid == c, grid, np.int8(0)))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def remove_color(grid: Grid, c: int) -> Grid | None:
    """Set every cell of colour c to 0."""
    return _frozen(np.where(grid == c, np.int8(0), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def recolor_foreground(grid: Grid, c: int) -> Grid | None:
    """Recolour every non-zero cell to colour c."""
    return _frozen(np.where(grid != 0, np.int8(c), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def fill_background(grid: Grid, c: int) -> Grid | None:
    """Paint every 0 cell with colour c."""
    return _frozen(np.where(grid == 0, np.int8(c), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def filled_like(grid: Grid, c: int) -> Grid | None:
    """A grid of the same shape filled with colour c."""
    return _frozen(np.full(grid.shape, c, dtype=np.int8))


@primitive(T.COLOR, ret=T.GRID)
def pixel_grid(c: int) -> Grid | None:
    """A 1x1 grid of colour c."""
    return _frozen(np.full((1, 1), c, dtype=np.int8))


@primitive(T.GRID, ret=T.COLOR)
def background_color(grid: Grid) -> int:
    """The most common colour, 0 counted (the usual background)."""
    return int(np.argmax(_counts(grid)))


@primitive(T.GRID, ret=T.COLOR)
def least_common_color(grid: Grid) -> int:
    """The least common colour present in the grid, 0 counted."""
    counts = _counts(grid)
    # absent colours must never win the argmin: give them more than any real count
    return int(np.argmin(np.where(counts > 0, counts, grid.size + 1)))


@primitive(T.GRID, ret=T.COLOR)
def most_common_nonzero_color(grid: Grid) -> int | None:
    """The most common non-zero colour; no result on an all-0 grid."""
    order = _by_frequency(_counts(grid))
    return int(order[0]) if order.size else NO_RESULT


@primitive(T.GRID, ret=T.COLOR)
def least_common_nonzero_color(grid: Grid) -> int | None:
    """The least common non-zero colour present; no result on an all-0 grid."""
    counts = _counts(grid)[1:]
    if not counts.any():
        return NO_RESULT
    return int(np.argmin(np.where(counts > 0, counts, grid.size + 1))) + 1


@primitive(T.GRID, ret=T.COLOR)
def border_color(grid: Grid) -> int:
    """The most common colour on the outer ring of cells (a background estimate)."""
    h, w = grid.shape
    if h <= 2 or w <= 2:
        ring = grid.ravel()
    else:
        ring = np.concatenate((grid[0], grid[-1], grid[1:-1, 0], grid[1:-1, -1]))
    return int(np.argmax(np.bincount(ring, minlength=NUM_COLORS)))


@primitive(T.GRID, ret=T.INT)
def count_colors(grid: Grid) -> int:
    """How many distinct colours the grid holds, 0 included."""
    return int(np.count_nonzero(_counts(grid)))


@primitive(T.GRID, ret=T.INT)
def count_nonzero_colors(grid: Grid) -> int:
    """How many distinct non-zero colours the grid holds."""
    return int(np.count_nonzero(_counts(grid)[1:]))


@primitive(T.GRID, T.COLOR, ret=T.INT)
def count_color_cells(grid: Grid, c: int) -> int:
    """How many cells have colour c."""
    return int(np.count_nonzero(grid == c))


@primitive(T.GRID, ret=T.INT)
def count_foreground_cells(grid: Grid) -> int:
    """How many cells are non-zero."""
    return int(np.count_nonzero(grid))


@primitive(T.GRID, ret=T.GRID)
def invert_two_colors(grid: Grid) -> Grid | None:
    """Swap the two colours of a grid that has exactly two; no result otherwise."""
    present = np.flatnonzero(_counts(grid))
    if present.size != 2:
        return NO_RESULT
    return swap_colors(grid, int(present[0]), int(present[1]))


@primitive(T.GRID, ret=T.GRID)
def recolor_most_to_least_common(grid: Grid) -> Grid | None:
    """Recolour the most common non-zero colour to the least common one."""
    order = _by_frequency(_counts(grid))
    if order.size < 2:
        return grid  # one colour or none: it is its own least common colour
    return recolor(grid, int(order[0]), int(order[-1]))


@primitive(T.GRID, ret=T.GRID)
def reverse_color_frequency(grid: Grid) -> Grid | None:
    """Permute non-zero colours so the most common takes the least common's colour, and so on."""
    order = _by_frequency(_counts(grid))
    if order.size < 2:
        return grid
    lut = _IDENTITY.copy()
    lut[order] = order[::-1]
    return _apply_lut(grid, lut)


@primitive(T.GRID, ret=T.GRID)
def swap_background_to_zero(grid: Grid) -> Grid | None:
    """Swap the most common colour with 0, so that the background becomes 0."""
    return swap_colors(grid, 0, background_color(grid))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"skip": (0, 1)})
def palette_column(grid: Grid, skip: int) -> Grid | None:
    """A column of the non-zero colours, most common first, leaving out the first skip of them."""
    order = _by_frequency(_counts(grid))[max(skip, 0) :]
    return _frozen(order.astype(np.int8).reshape(-1, 1))
