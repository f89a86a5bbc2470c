"""Batched kernels for the sizing and tiling families (see :mod:`solvers.kernels` for the contract).

Every output shape here follows from the input shape and the literals alone, so a shape
that has no result (a part that does not divide evenly, a tiling past 30 cells) is
rejected once for the whole stack before any array is built.
"""

from __future__ import annotations

import numpy as np

from dsl.grid import MAX_SIDE
from solvers.kernels import Result, kernel, no_result, swap_rc


def _fits(side: int, factor: int) -> bool:
    """Whether a side scaled by ``factor`` is a valid grid side."""
    return factor >= 1 and side * factor <= MAX_SIDE


# --- sizing: halves, thirds, border ----------------------------------------------------


def _part_slice(size: int, parts: int, index: int) -> slice | None:
    """Part ``index`` of ``parts`` equal parts of a side, one-cell separators allowed."""
    if parts < 1 or size < parts or not 0 <= index < parts:
        return None
    if size % parts == 0:
        step = part = size // parts
    elif (size + 1) % parts == 0:
        part = (size + 1) // parts - 1
        step = part + 1
    else:
        return None
    return slice(index * step, index * step + part) if part > 0 else None


def _part(batch: np.ndarray, axis: int, parts: int, index: int) -> Result:
    """Part ``index`` of every grid along ``axis`` (1: rows, 2: columns)."""
    cut = _part_slice(batch.shape[axis], parts, index)
    if cut is None:
        return no_result(batch)
    return (batch[:, cut] if axis == 1 else batch[:, :, cut]), None


@kernel("top_half")
def top_half(batch: np.ndarray) -> Result:
    """Batched top_half."""
    return _part(batch, 1, 2, 0)


@kernel("bottom_half")
def bottom_half(batch: np.ndarray) -> Result:
    """Batched bottom_half."""
    return _part(batch, 1, 2, 1)


@kernel("left_half")
def left_half(batch: np.ndarray) -> Result:
    """Batched left_half."""
    return _part(batch, 2, 2, 0)


@kernel("right_half")
def right_half(batch: np.ndarray) -> Result:
    """Batched right_half."""
    return _part(batch, 2, 2, 1)


@kernel("rows_third")
def rows_third(batch: np.ndarray, index: int) -> Result:
    """Batched rows_third."""
    return _part(batch, 1, 3, index)


@kernel("cols_third")
def cols_third(batch: np.ndarray, index: int) -> Result:
    """Batched cols_third."""
    return _part(batch, 2, 3, index)


@kernel("trim_border")
def trim_border(batch: np.ndarray) -> Result:
    """Batched trim_border."""
    _, h, w = batch.shape
    return (batch[:, 1:-1, 1:-1], None) if h > 2 and w > 2 else no_result(batch)


# --- tiling and scaling ----------------------------------------------------------------


@kernel("upscale")
def upscale(batch: np.ndarray, k: int) -> Result:
    """Batched upscale."""
    n, h, w = batch.shape
    if not (_fits(h, k) and _fits(w, k)):
        return no_result(batch)
    blocks = np.broadcast_to(batch[:, :, None, :, None], (n, h, k, w, k))
    return blocks.reshape(n, h * k, w * k), None


@kernel("downscale")
def downscale(batch: np.ndarray, k: int) -> Result:
    """Batched downscale."""
    _, h, w = batch.shape
    if k < 1 or h % k or w % k:
        return no_result(batch)
    return batch[:, ::k, ::k], None


@kernel("tile")
def tile(batch: np.ndarray, rows: int, cols: int) -> Result:
    """Batched tile."""
    _, h, w = batch.shape
    if not (_fits(h, rows) and _fits(w, cols)):
        return no_result(batch)
    return np.tile(batch, (1, rows, cols)), None


@kernel("tile_by_own_mask")
def tile_by_own_mask(batch: np.ndarray) -> Result:
    """Batched tile_by_own_mask: block (i, j) is the grid where cell (i, j) is non-zero."""
    n, h, w = batch.shape
    if not (_fits(h, h) and _fits(w, w)):
        return no_result(batch)
    # Axes (item, i, a, j, b) flatten to row i * h + a and column j * w + b, as np.kron lays out.
    mask = batch[:, :, None, :, None] != 0
    out = np.where(mask, batch[:, None, :, None, :], np.int8(0))
    return out.reshape(n, h * h, w * w), None


def _beside(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two stacks joined grid by grid, left to right."""
    return np.concatenate((left, right), axis=2)


def _above(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Two stacks joined grid by grid, top to bottom."""
    return np.concatenate((top, bottom), axis=1)


@kernel("mirror_tile_2x2")
def mirror_tile_2x2(batch: np.ndarray) -> Result:
    """Batched mirror_tile_2x2."""
    _, h, w = batch.shape
    if not (_fits(h, 2) and _fits(w, 2)):
        return no_result(batch)
    top = _beside(batch, batch[:, :, ::-1])
    return _above(top, top[:, ::-1]), None


@kernel("rotate_tile_2x2")
def rotate_tile_2x2(batch: np.ndarray) -> Result:
    """Batched rotate_tile_2x2."""
    _, h, w = batch.shape
    if h != w or not _fits(h, 2):
        return no_result(batch)
    top = _beside(batch, swap_rc(batch[:, ::-1]))
    return _above(top, top[:, ::-1, ::-1]), None


@kernel("mirror_concat_right")
def mirror_concat_right(batch: np.ndarray) -> Result:
    """Batched mirror_concat_right."""
    return (_beside(batch, batch[:, :, ::-1]), None) if _fits(batch.shape[2], 2) else no_result(batch)


@kernel("mirror_concat_left")
def mirror_concat_left(batch: np.ndarray) -> Result:
    """Batched mirror_concat_left."""
    return (_beside(batch[:, :, ::-1], batch), None) if _fits(batch.shape[2], 2) else no_result(batch)


@kernel("mirror_concat_down")
def mirror_concat_down(batch: np.ndarray) -> Result:
    """Batched mirror_concat_down."""
    return (_above(batch, batch[:, ::-1]), None) if _fits(batch.shape[1], 2) else no_result(batch)


@kernel("mirror_concat_up")
def mirror_concat_up(batch: np.ndarray) -> Result:
    """Batched mirror_concat_up."""
    return (_above(batch[:, ::-1], batch), None) if _fits(batch.shape[1], 2) else no_result(batch)
