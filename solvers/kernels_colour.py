"""Batched kernels for the colour and masks families (see :mod:`solvers.kernels` for the contract).

Colour maps that depend on a grid's own colour counts (``invert_two_colors``,
``reverse_color_frequency``, ...) build one 10-entry lookup table per grid from a single
bincount over the stack, then map every cell with one gather.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.grid import NUM_COLORS
from solvers.kernels import Result, and_not, color_counts, kernel, no_result, nor, swap_rc

_IDENTITY = np.arange(NUM_COLORS, dtype=np.int8)
BoolOp = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _paint(mask: np.ndarray, c: int) -> np.ndarray:
    """Colour c where the mask is true, 0 elsewhere."""
    return np.where(mask, np.int8(c), np.int8(0))


def _per_grid(values: np.ndarray) -> np.ndarray:
    """A (K,) array shaped to broadcast against a (K, H, W) stack."""
    return values[:, None, None]


def _swap(batch: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Colours a and b exchanged, both int8 colours or per-grid (K, 1, 1) int8 arrays of them."""
    return np.where(batch == a, b, np.where(batch == b, a, batch))


# --- colour: fixed recolourings --------------------------------------------------------


@kernel("recolor")
def recolor(batch: np.ndarray, a: int, b: int) -> Result:
    """Batched recolor."""
    return (batch if a == b else np.where(batch == a, np.int8(b), batch)), None


@kernel("swap_colors")
def swap_colors(batch: np.ndarray, a: int, b: int) -> Result:
    """Batched swap_colors."""
    if a == b:
        return batch, None
    lut = _IDENTITY.copy()
    lut[a], lut[b] = b, a
    return lut[batch], None


@kernel("keep_color")
def keep_color(batch: np.ndarray, c: int) -> Result:
    """Batched keep_color."""
    return np.where(batch == c, batch, np.int8(0)), None


@kernel("remove_color")
def remove_color(batch: np.ndarray, c: int) -> Result:
    """Batched remove_color."""
    return np.where(batch == c, np.int8(0), batch), None


@kernel("recolor_foreground")
def recolor_foreground(batch: np.ndarray, c: int) -> Result:
    """Batched recolor_foreground."""
    return np.where(batch != 0, np.int8(c), batch), None


@kernel("fill_background")
def fill_background(batch: np.ndarray, c: int) -> Result:
    """Batched fill_background."""
    return np.where(batch == 0, np.int8(c), batch), None


@kernel("filled_like")
def filled_like(batch: np.ndarray, c: int) -> Result:
    """Batched filled_like."""
    return np.full(batch.shape, c, dtype=np.int8), None


# --- colour: maps chosen by each grid's colour counts ----------------------------------


@kernel("invert_two_colors")
def invert_two_colors(batch: np.ndarray) -> Result:
    """Batched invert_two_colors: valid where a grid holds exactly two colours."""
    present = color_counts(batch) > 0
    low = np.argmax(present, axis=1).astype(np.int8)
    high = (NUM_COLORS - 1 - np.argmax(present[:, ::-1], axis=1)).astype(np.int8)
    return _swap(batch, _per_grid(low), _per_grid(high)), present.sum(axis=1) == 2


@kernel("recolor_most_to_least_common")
def recolor_most_to_least_common(batch: np.ndarray) -> Result:
    """Batched recolor_most_to_least_common."""
    counts = color_counts(batch)[:, 1:]
    present = counts > 0
    # Ties as the primitive's stable sort breaks them: the most common is the smallest
    # colour, the least common the largest.
    most = np.argmax(counts, axis=1) + 1
    rarest = np.where(present, counts, batch[0].size + 1)
    ties = rarest == rarest.min(axis=1, keepdims=True)
    least = (NUM_COLORS - 1 - np.argmax(ties[:, ::-1], axis=1)).astype(np.int8)
    change = (batch == _per_grid(most)) & _per_grid(present.sum(axis=1) >= 2)
    return np.where(change, _per_grid(least), batch), None


@kernel("reverse_color_frequency")
def reverse_color_frequency(batch: np.ndarray) -> Result:
    """Batched reverse_color_frequency: one lookup table per grid, then one gather."""
    counts = color_counts(batch)[:, 1:]
    # Present colours, most common first (ties: smaller colour), then the absent ones.
    order = np.argsort(-counts, axis=1, kind="stable") + 1
    n = np.count_nonzero(counts, axis=1)[:, None]
    rank = np.arange(NUM_COLORS - 1)[None, :]
    # The r-th most common present colour takes the colour of the r-th least common.
    source = np.where(rank < n, n - 1 - rank, rank)
    k = len(batch)
    lut = np.tile(_IDENTITY, (k, 1))
    lut[np.arange(k)[:, None], order] = np.take_along_axis(order, source, axis=1)
    return lut[np.arange(k)[:, None, None], batch], None


@kernel("swap_background_to_zero")
def swap_background_to_zero(batch: np.ndarray) -> Result:
    """Batched swap_background_to_zero."""
    background = np.argmax(color_counts(batch), axis=1).astype(np.int8)
    return _swap(batch, np.int8(0), _per_grid(background)), None


# --- masks: halves combined cell by cell -----------------------------------------------


def _halves(batch: np.ndarray, split: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """The two halves of every grid (split 0: left, right; 1: top, bottom) and their validity.

    An odd side needs a one-colour middle line (the separator): grids without one are invalid.
    """
    if split not in (0, 1):
        return None
    rows = batch if split == 1 else swap_rc(batch)
    n = rows.shape[1]
    half = n // 2
    if half == 0:
        return None
    valid = None
    if n % 2:
        middle = rows[:, half]
        valid = (middle == middle[:, :1]).all(axis=1)
    first, second = rows[:, :half], rows[:, n - half :]
    return (first, second, valid) if split == 1 else (swap_rc(first), swap_rc(second), valid)


def _halves_op(batch: np.ndarray, split: int, c: int, op: BoolOp) -> Result:
    """``op`` over the non-zero masks of the two halves, painted in c."""
    halves = _halves(batch, split)
    if halves is None:
        return no_result(batch)
    first, second, valid = halves
    return _paint(op(first != 0, second != 0), c), valid


@kernel("halves_and")
def halves_and(batch: np.ndarray, split: int, c: int) -> Result:
    """Batched halves_and."""
    return _halves_op(batch, split, c, np.logical_and)


@kernel("halves_or")
def halves_or(batch: np.ndarray, split: int, c: int) -> Result:
    """Batched halves_or."""
    return _halves_op(batch, split, c, np.logical_or)


@kernel("halves_xor")
def halves_xor(batch: np.ndarray, split: int, c: int) -> Result:
    """Batched halves_xor."""
    return _halves_op(batch, split, c, np.logical_xor)


@kernel("halves_nor")
def halves_nor(batch: np.ndarray, split: int, c: int) -> Result:
    """Batched halves_nor."""
    return _halves_op(batch, split, c, nor)


@kernel("halves_and_not")
def halves_and_not(batch: np.ndarray, split: int, c: int) -> Result:
    """Batched halves_and_not."""
    return _halves_op(batch, split, c, and_not)


@kernel("overlay_halves")
def overlay_halves(batch: np.ndarray, order: int) -> Result:
    """Batched overlay_halves."""
    halves = _halves(batch, order % 2) if order in (0, 1, 2, 3) else None
    if halves is None:
        return no_result(batch)
    first, second, valid = halves
    under, over = (first, second) if order < 2 else (second, first)
    return np.where(over != 0, over, under), valid


# --- masks: colour masks ---------------------------------------------------------------


@kernel("mask_of_color")
def mask_of_color(batch: np.ndarray, a: int, c: int) -> Result:
    """Batched mask_of_color."""
    return _paint(batch == a, c), None


@kernel("invert_mask")
def invert_mask(batch: np.ndarray, c: int) -> Result:
    """Batched invert_mask."""
    return _paint(batch == 0, c), None


# --- masks: background enclosed or not -------------------------------------------------


def _run_ids(mask: np.ndarray) -> np.ndarray:
    """Label each run of true cells along the last axis with an id from 1, unique in the array."""
    starts = mask.copy()
    starts[..., 1:] &= ~mask[..., :-1]
    ids = np.cumsum(starts, dtype=np.intp).reshape(mask.shape)
    ids[~mask] = 0
    return ids


def _spread(reach: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Extend ``reach`` to the whole of every run it touches."""
    hit = np.zeros(int(ids.max()) + 1, dtype=bool)
    hit[ids[reach]] = True
    hit[0] = False
    return hit[ids]


def _outside(passable: np.ndarray) -> np.ndarray:
    """Per grid, the passable cells 4-connected to its border through passable cells."""
    reach = np.zeros_like(passable)
    reach[:, [0, -1], :] = passable[:, [0, -1], :]
    reach[:, :, [0, -1]] = passable[:, :, [0, -1]]
    # Run ids are unique across the stack, so whole rows then whole columns flood at once
    # in every grid; the rounds needed are the turns of the most winding path, not K.
    row_ids = _run_ids(passable)
    col_ids = swap_rc(_run_ids(swap_rc(passable)))
    count = np.count_nonzero(reach)
    while True:
        reach = _spread(_spread(reach, row_ids), col_ids)
        new_count = np.count_nonzero(reach)
        if new_count == count:
            return reach
        count = new_count


def _enclosed(batch: np.ndarray) -> np.ndarray:
    """The 0 cells not 4-connected to their grid's border through 0 cells."""
    background = batch == 0
    return background & ~_outside(background)


@kernel("fill_enclosed_background")
def fill_enclosed_background(batch: np.ndarray, c: int) -> Result:
    """Batched fill_enclosed_background."""
    return np.where(_enclosed(batch), np.int8(c), batch), None


@kernel("fill_outside_background")
def fill_outside_background(batch: np.ndarray, c: int) -> Result:
    """Batched fill_outside_background."""
    return np.where(_outside(batch == 0), np.int8(c), batch), None


@kernel("enclosed_background_mask")
def enclosed_background_mask(batch: np.ndarray, c: int) -> Result:
    """Batched enclosed_background_mask."""
    return _paint(_enclosed(batch), c), None
