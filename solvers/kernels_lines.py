"""Batched kernels for the lines family and cell gravity (see :mod:`solvers.kernels` for the contract).

As in :mod:`dsl.lines`, every stack is viewed so that the ray direction points down the
rows (flipped, transposed, or skewed so each diagonal is one column), the nearest
non-background cell above and below every cell comes from a running max / min down the
rows, and the result is mapped back. The stack axis just rides along. Direction codes:
0 up, 1 down, 2 left, 3 right, 4 up-left, 5 up-right, 6 down-left, 7 down-right.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from solvers.kernels import Result, StackCache, kernel, no_result, swap_rc

DIRECTIONS = tuple(range(8))
ORTHOGONAL = (0, 1, 2, 3)
DIAGONAL = (4, 5, 6, 7)


class Neighbours(NamedTuple):
    """Per cell of a view: colour and presence of the nearest non-0 cell strictly above / below."""

    prev: np.ndarray
    has_prev: np.ndarray
    next: np.ndarray
    has_next: np.ndarray


@lru_cache(maxsize=1024)
def _skew(h: int, w: int, down_right: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices placing each diagonal of an h x w grid in one column."""
    rows, cols = np.indices((h, w))
    cols = cols - rows + (h - 1) if down_right else cols + rows
    return rows, cols


def _view(batch: np.ndarray, direction: int) -> np.ndarray:
    """The stack seen so that ``direction`` points down (diagonals skewed, padded with 0)."""
    if direction in ORTHOGONAL:
        return (batch[:, ::-1], batch, swap_rc(batch)[:, ::-1], swap_rc(batch))[direction]
    src = batch if direction in (6, 7) else batch[:, ::-1]
    k, h, w = src.shape
    rows, cols = _skew(h, w, direction in (5, 7))
    out = np.zeros((k, h, w + h - 1), dtype=batch.dtype)
    out[:, rows, cols] = src
    return out


def _unview(view: np.ndarray, direction: int, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`_view` for an array computed on the view; ``shape`` the stack's."""
    if direction in ORTHOGONAL:
        return (view[:, ::-1], view, swap_rc(view[:, ::-1]), swap_rc(view))[direction]
    rows, cols = _skew(shape[1], shape[2], direction in (5, 7))
    out = view[:, rows, cols]
    return out if direction in (6, 7) else out[:, ::-1]


def _neighbours(view: np.ndarray) -> Neighbours:
    """Nearest non-0 cells above and below every cell, down the rows of every grid."""
    h = view.shape[1]
    nz = view != 0
    rows = np.arange(h)[None, :, None]
    above = np.maximum.accumulate(np.where(nz, rows, -1), axis=1)
    below = np.minimum.accumulate(np.where(nz, rows, h)[:, ::-1], axis=1)[:, ::-1]
    # Strictly above / below: shift the running results by one row.
    prev_idx = np.concatenate((np.full_like(above[:, :1], -1), above[:, :-1]), axis=1)
    next_idx = np.concatenate((below[:, 1:], np.full_like(below[:, :1], h)), axis=1)
    has_prev, has_next = prev_idx >= 0, next_idx < h
    prev = np.take_along_axis(view, np.maximum(prev_idx, 0), axis=1)
    after = np.take_along_axis(view, np.minimum(next_idx, h - 1), axis=1)
    return Neighbours(np.where(has_prev, prev, 0), has_prev, np.where(has_next, after, 0), has_next)


# Every line step (each colour, rule and direction) on one stack shares its eight views
# and their neighbours: eight directions for each example stack of a batch, with room.
_RECENT = StackCache(96)


def _viewed_neighbours(batch: np.ndarray, direction: int) -> tuple[np.ndarray, Neighbours]:
    """:func:`_view` and :func:`_neighbours` of a stack, reused while the same stack comes back."""
    return _RECENT.get(batch, direction, lambda b: _viewed(b, direction))


def _viewed(batch: np.ndarray, direction: int) -> tuple[np.ndarray, Neighbours]:
    view = _view(batch, direction)
    return view, _neighbours(view)


def _layer(batch: np.ndarray, direction: int, rule: str, colour: int = 0) -> np.ndarray:
    """Colours to paint on background cells (0 where none) for rays in one direction.

    ``rule``: "ray" (to the border), "hit" (only rays that end on a cell), "toward"
    (only rays that end on ``colour``, not cast by it), "connect" (between equal colours).
    """
    view, n = _viewed_neighbours(batch, direction)
    mask = (view == 0) & n.has_prev
    if rule != "ray":
        mask &= n.has_next
    if rule == "toward":
        mask &= (n.next == colour) & (n.prev != colour)
    elif rule == "connect":
        mask &= n.prev == n.next
    return _unview(np.where(mask, n.prev, np.int8(0)), direction, batch.shape)


def _overlay(batch: np.ndarray, layers: list[np.ndarray]) -> Result:
    """Paint the layers on the stack's background cells; earlier layers take priority."""
    out = np.array(batch)
    for layer in reversed(layers):
        np.copyto(out, layer, where=layer != 0)
    return out, None


# --- lines: rays -----------------------------------------------------------------------


@kernel("extend_rays")
def extend_rays(batch: np.ndarray, direction: int) -> Result:
    """Batched extend_rays."""
    if direction not in DIRECTIONS:
        return no_result(batch)
    return _overlay(batch, [_layer(batch, direction, "ray")])


@kernel("extend_color_rays")
def extend_color_rays(batch: np.ndarray, c: int, direction: int) -> Result:
    """Batched extend_color_rays."""
    if direction not in DIRECTIONS:
        return no_result(batch)
    layer = _layer(batch, direction, "ray")
    return _overlay(batch, [np.where(layer == c, layer, np.int8(0))])


@kernel("rays_until_hit")
def rays_until_hit(batch: np.ndarray, direction: int) -> Result:
    """Batched rays_until_hit."""
    if direction not in DIRECTIONS:
        return no_result(batch)
    return _overlay(batch, [_layer(batch, direction, "hit")])


@kernel("rays_toward_color")
def rays_toward_color(batch: np.ndarray, c: int) -> Result:
    """Batched rays_toward_color."""
    return _overlay(batch, [_layer(batch, d, "toward", c) for d in ORTHOGONAL])


@kernel("draw_cross")
def draw_cross(batch: np.ndarray) -> Result:
    """Batched draw_cross."""
    return _overlay(batch, [_layer(batch, d, "ray") for d in ORTHOGONAL])


@kernel("draw_diagonals")
def draw_diagonals(batch: np.ndarray) -> Result:
    """Batched draw_diagonals."""
    return _overlay(batch, [_layer(batch, d, "ray") for d in DIAGONAL])


# --- lines: connecting pixels and full lines -------------------------------------------


@kernel("connect_aligned")
def connect_aligned(batch: np.ndarray) -> Result:
    """Batched connect_aligned."""
    return _overlay(batch, [_layer(batch, 1, "connect"), _layer(batch, 3, "connect")])


@kernel("connect_color_with")
def connect_color_with(batch: np.ndarray, c: int, fill: int) -> Result:
    """Batched connect_color_with."""
    if c == 0:  # background never connects (as in the primitive)
        return batch, None
    layers = [_layer(batch, d, "connect") for d in (1, 3)]
    return _overlay(batch, [np.where(layer == c, np.int8(fill), np.int8(0)) for layer in layers])


@kernel("draw_color_hlines")
def draw_color_hlines(batch: np.ndarray, c: int) -> Result:
    """Batched draw_color_hlines."""
    rows = (batch == c).any(axis=2)
    return np.where(rows[:, :, None], np.int8(c), batch), None


@kernel("draw_color_vlines")
def draw_color_vlines(batch: np.ndarray, c: int) -> Result:
    """Batched draw_color_vlines."""
    cols = (batch == c).any(axis=1)
    return np.where(cols[:, None, :], np.int8(c), batch), None


# --- objects: cell gravity -------------------------------------------------------------


@kernel("gravity_cells")
def gravity_cells(batch: np.ndarray, direction: int) -> Result:
    """Batched gravity_cells: a stable sort of every line puts its non-0 cells last."""
    if direction not in ORTHOGONAL:
        return no_result(batch)
    view = _view(batch, direction)
    order = np.argsort(view != 0, axis=1, kind="stable")
    return _unview(np.take_along_axis(view, order, axis=1), direction, batch.shape), None
