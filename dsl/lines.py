"""Primitive family: lines (rays from pixels, full lines, connecting aligned pixels).

Background is colour 0. Every ray primitive works the same way: the grid is viewed so
that the ray direction points down (flipped, transposed, or skewed for diagonals), the
nearest non-background cell above and below every cell is found with a cumulative max
along the columns, and the result is mapped back. Direction codes, used throughout:
0 up, 1 down, 2 left, 3 right, 4 up-left, 5 up-right, 6 down-left, 7 down-right.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.grid import NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

__all__ = [
    "connect_aligned",
    "connect_color_with",
    "draw_color_hlines",
    "draw_color_vlines",
    "draw_cross",
    "draw_diagonals",
    "extend_color_rays",
    "extend_rays",
    "rays_toward_color",
    "rays_until_hit",
]

DIRECTIONS = tuple(range(8))
ORTHOGONAL = (0, 1, 2, 3)
DIAGONAL = (4, 5, 6, 7)


@lru_cache(maxsize=4096)
def _skew(h: int, w: int, down_right: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices placing each diagonal of an h x w grid in one column."""
    rows, cols = np.indices((h, w))
    cols = cols - rows + (h - 1) if down_right else cols + rows
    return rows, cols


def _view(grid: Grid, direction: int) -> np.ndarray:
    """The grid seen so that ``direction`` points down (diagonals skewed, padded with 0)."""
    if direction == 1:
        return grid
    if direction == 0:
        return grid[::-1]
    if direction == 3:
        return grid.T
    if direction == 2:
        return grid.T[::-1]
    src = grid if direction in (6, 7) else grid[::-1]
    h, w = src.shape
    rows, cols = _skew(h, w, direction in (5, 7))
    out = np.zeros((h, w + h - 1), dtype=grid.dtype)
    out[rows, cols] = src
    return out


def _unview(view: np.ndarray, direction: int, shape: tuple[int, int]) -> np.ndarray:
    """Inverse of :func:`_view` for an array computed on the view."""
    if direction == 1:
        return view
    if direction == 0:
        return view[::-1]
    if direction == 3:
        return view.T
    if direction == 2:
        return view[::-1].T
    rows, cols = _skew(shape[0], shape[1], direction in (5, 7))
    out = view[rows, cols]
    return out if direction in (6, 7) else out[::-1]


def _neighbours(view: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per cell: colour and presence of the nearest non-background cell strictly above / below."""
    h = view.shape[0]
    nz = view != 0
    rows = np.arange(h)[:, None]
    above = np.maximum.accumulate(np.where(nz, rows, -1), axis=0)
    below = np.minimum.accumulate(np.where(nz, rows, h)[::-1], axis=0)[::-1]
    prev_idx = np.empty_like(above)
    prev_idx[0] = -1
    prev_idx[1:] = above[:-1]
    next_idx = np.empty_like(below)
    next_idx[-1] = h
    next_idx[:-1] = below[1:]
    has_prev = prev_idx >= 0
    has_next = next_idx < h
    prev_col = np.take_along_axis(view, np.maximum(prev_idx, 0), axis=0)
    next_col = np.take_along_axis(view, np.minimum(next_idx, h - 1), axis=0)
    prev_col = np.where(has_prev, prev_col, 0)
    next_col = np.where(has_next, next_col, 0)
    return prev_col, has_prev, next_col, has_next


def _paint(grid: Grid, direction: int, rule: str, colour: int = 0) -> np.ndarray:
    """Colours to paint on background cells (0 where none) for rays in one direction.

    ``rule``: "ray" (to the border), "hit" (only rays that end on a cell), "toward"
    (only rays that end on ``colour``, not cast by it), "connect" (between equal colours).
    """
    view = _view(grid, direction)
    prev_col, has_prev, next_col, has_next = _neighbours(view)
    free = view == 0
    if rule == "ray":
        mask = free & has_prev
    elif rule == "hit":
        mask = free & has_prev & has_next
    elif rule == "toward":
        mask = free & has_prev & has_next & (next_col == colour) & (prev_col != colour)
    else:
        mask = free & has_prev & has_next & (prev_col == next_col)
    return _unview(np.where(mask, prev_col, 0), direction, grid.shape)


def _overlay(grid: Grid, paints: list[np.ndarray]) -> Grid | None:
    """Paint background cells of ``grid``; earlier paint layers take priority."""
    out = np.array(grid)
    for layer in reversed(paints):
        np.copyto(out, layer, where=layer != 0)
    out.setflags(write=False)  # a fresh valid array: make() then hands it back without a copy
    return make(out)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def extend_rays(grid: Grid, direction: int) -> Grid | None:
    """Every pixel casts a ray to the border in direction 0-7 (up,down,left,right,ul,ur,dl,dr)."""
    if direction not in DIRECTIONS:
        return NO_RESULT
    return _overlay(grid, [_paint(grid, direction, "ray")])


@primitive(T.GRID, T.COLOR, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def extend_color_rays(grid: Grid, c: int, direction: int) -> Grid | None:
    """Pixels of colour c cast rays in direction 0-7 through background, stopping at any pixel."""
    if direction not in DIRECTIONS:
        return NO_RESULT
    layer = _paint(grid, direction, "ray")
    return _overlay(grid, [np.where(layer == c, layer, 0)])


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def rays_until_hit(grid: Grid, direction: int) -> Grid | None:
    """Every pixel casts a ray in direction 0-7, drawn only if it hits another pixel."""
    if direction not in DIRECTIONS:
        return NO_RESULT
    return _overlay(grid, [_paint(grid, direction, "hit")])


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def rays_toward_color(grid: Grid, c: int) -> Grid | None:
    """Pixels not of colour c cast orthogonal rays, drawn where the first pixel met is c."""
    return _overlay(grid, [_paint(grid, d, "toward", c) for d in ORTHOGONAL])


@primitive(T.GRID, ret=T.GRID)
def connect_aligned(grid: Grid) -> Grid | None:
    """Join consecutive same-coloured pixels in a row or column with a line of their colour."""
    return _overlay(grid, [_paint(grid, 1, "connect"), _paint(grid, 3, "connect")])


@primitive(T.GRID, T.COLOR, T.COLOR, ret=T.GRID)
def connect_color_with(grid: Grid, c: int, fill: int) -> Grid | None:
    """Fill the background between consecutive colour-c pixels of a row or column with fill."""
    if c == 0:  # background never "connects": paint layers use 0 for "nothing here"
        return make(grid)
    layers = [_paint(grid, d, "connect") for d in (1, 3)]
    return _overlay(grid, [np.where(layer == c, fill, 0) for layer in layers])


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def draw_color_hlines(grid: Grid, c: int) -> Grid | None:
    """Paint every row that holds colour c entirely with c."""
    rows = (grid == c).any(axis=1)
    return make(np.where(rows[:, None], c, grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def draw_color_vlines(grid: Grid, c: int) -> Grid | None:
    """Paint every column that holds colour c entirely with c."""
    cols = (grid == c).any(axis=0)
    return make(np.where(cols[None, :], c, grid))


@primitive(T.GRID, ret=T.GRID)
def draw_cross(grid: Grid) -> Grid | None:
    """Every pixel casts rays up, down, left and right over background (vertical ones on top)."""
    return _overlay(grid, [_paint(grid, d, "ray") for d in ORTHOGONAL])


@primitive(T.GRID, ret=T.GRID)
def draw_diagonals(grid: Grid) -> Grid | None:
    """Every pixel casts rays along both diagonals, both ways, over background."""
    return _overlay(grid, [_paint(grid, d, "ray") for d in DIAGONAL])
