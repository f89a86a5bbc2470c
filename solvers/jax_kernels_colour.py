"""JAX kernels for colour, masks and the two-grid steps (contract: :mod:`solvers.jax_kernels`).

Colour counts look inside the grid's box only: the canvas padding is 0 and would
otherwise count as background. The background flood (enclosed / outside cells) spreads
whole runs of passable cells along rows, then along columns, until nothing changes, as
the numpy kernel does: the rounds needed are the turns of the most winding path.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from dsl.grid import NUM_COLORS
from solvers.jax_kernels import SIDE, C, Item, R, box, jax_kernel, jax_pair_kernel, paint, take

_COLOURS = np.arange(NUM_COLORS, dtype=np.int8)
BoolOp = Callable[[jnp.ndarray, jnp.ndarray], jnp.ndarray]


def _counts(g, h, w) -> jnp.ndarray:
    """Cells per colour inside the box, shape (10,)."""
    hits = (g[None] == _COLOURS[:, None, None]) & box(h, w)[None]
    return hits.sum(axis=(1, 2), dtype=jnp.int32)


def _swap(g, a, b) -> jnp.ndarray:
    """Colours a and b exchanged."""
    return jnp.where(g == a, b, jnp.where(g == b, a, g)).astype(jnp.int8)


def _keep(g, h, w, out) -> Item:
    return out.astype(jnp.int8), h, w, jnp.asarray(True)


# --- colour: fixed recolourings --------------------------------------------------------


@jax_kernel("recolor")
def recolor(g, h, w, a, b):
    return _keep(g, h, w, jnp.where(g == a, b, g))


@jax_kernel("swap_colors")
def swap_colors(g, h, w, a, b):
    return _keep(g, h, w, _swap(g, a, b))


@jax_kernel("keep_color")
def keep_color(g, h, w, c):
    return _keep(g, h, w, jnp.where(g == c, g, 0))


@jax_kernel("remove_color")
def remove_color(g, h, w, c):
    return _keep(g, h, w, jnp.where(g == c, 0, g))


@jax_kernel("recolor_foreground")
def recolor_foreground(g, h, w, c):
    return _keep(g, h, w, jnp.where(g != 0, c, g))


@jax_kernel("fill_background")
def fill_background(g, h, w, c):
    return _keep(g, h, w, jnp.where(g == 0, c, g))


@jax_kernel("filled_like")
def filled_like(g, h, w, c):
    return _keep(g, h, w, jnp.full_like(g, c))


# --- colour: maps chosen by each grid's colour counts ----------------------------------


@jax_kernel("invert_two_colors")
def invert_two_colors(g, h, w):
    present = _counts(g, h, w) > 0
    low = jnp.argmax(present)
    high = NUM_COLORS - 1 - jnp.argmax(present[::-1])
    return _swap(g, low, high), h, w, present.sum() == 2


@jax_kernel("recolor_most_to_least_common")
def recolor_most_to_least_common(g, h, w):
    counts = _counts(g, h, w)[1:]
    present = counts > 0
    # Ties as the primitive breaks them: the most common is the smallest colour, the
    # least common the largest.
    most = jnp.argmax(counts) + 1
    rarest = jnp.where(present, counts, h * w + 1)
    ties = rarest == rarest.min()
    least = NUM_COLORS - 1 - jnp.argmax(ties[::-1])
    change = (g == most) & (present.sum() >= 2)
    return _keep(g, h, w, jnp.where(change, least, g))


@jax_kernel("reverse_color_frequency")
def reverse_color_frequency(g, h, w):
    counts = _counts(g, h, w)[1:]
    # Present colours, most common first (ties: smaller colour), then the absent ones.
    order = jnp.argsort(-counts, stable=True) + 1
    n = jnp.count_nonzero(counts)
    rank = jnp.arange(NUM_COLORS - 1)
    source = jnp.where(rank < n, n - 1 - rank, rank)
    lut = jnp.arange(NUM_COLORS, dtype=jnp.int8).at[order].set(order[source].astype(jnp.int8))
    return _keep(g, h, w, lut[g])


@jax_kernel("swap_background_to_zero")
def swap_background_to_zero(g, h, w):
    return _keep(g, h, w, _swap(g, 0, jnp.argmax(_counts(g, h, w))))


# --- masks: halves combined cell by cell -----------------------------------------------


def _halves(g, h, w, split):
    """Both halves of the grid seen with the split running across rows (split 1: top and
    bottom; 0: left and right, on the transposed canvas), with the view's size and validity.

    An odd side needs a one-colour middle line (the separator).
    """
    by_rows = split == 1
    view = jnp.where(by_rows, g, g.T)
    n, across = jnp.where(by_rows, h, w), jnp.where(by_rows, w, h)
    half = n // 2
    middle = view[jnp.clip(half, 0, SIDE - 1)]
    one_colour = jnp.all((middle == middle[0]) | (jnp.arange(SIDE) >= across))
    ok = ((split == 0) | by_rows) & (half > 0) & ((n % 2 == 0) | one_colour)
    return view, take(view, R + n - half, C), half, across, ok


def _unview(out, half, across, split) -> Item:
    """A result computed on the halves' view, back in the grid's orientation."""
    by_rows = split == 1
    out = jnp.where(by_rows, out, out.T)
    return out, jnp.where(by_rows, half, across), jnp.where(by_rows, across, half)


def _halves_op(g, h, w, split, c, op: BoolOp) -> Item:
    first, second, half, across, ok = _halves(g, h, w, split)
    return (*_unview(paint(op(first != 0, second != 0), c), half, across, split), ok)


def _nor(a, b):
    return ~(a | b)


def _and_not(a, b):
    return a & ~b


@jax_kernel("halves_and")
def halves_and(g, h, w, split, c):
    return _halves_op(g, h, w, split, c, jnp.logical_and)


@jax_kernel("halves_or")
def halves_or(g, h, w, split, c):
    return _halves_op(g, h, w, split, c, jnp.logical_or)


@jax_kernel("halves_xor")
def halves_xor(g, h, w, split, c):
    return _halves_op(g, h, w, split, c, jnp.logical_xor)


@jax_kernel("halves_nor")
def halves_nor(g, h, w, split, c):
    return _halves_op(g, h, w, split, c, _nor)


@jax_kernel("halves_and_not")
def halves_and_not(g, h, w, split, c):
    return _halves_op(g, h, w, split, c, _and_not)


@jax_kernel("overlay_halves")
def overlay_halves(g, h, w, order):
    split = jnp.mod(order, 2)
    first, second, half, across, ok = _halves(g, h, w, split)
    under, over = jnp.where(order < 2, first, second), jnp.where(order < 2, second, first)
    out = jnp.where(over != 0, over, under)
    return (*_unview(out, half, across, split), ok & (order >= 0) & (order <= 3))


# --- masks: colour masks ---------------------------------------------------------------


@jax_kernel("mask_of_color")
def mask_of_color(g, h, w, a, c):
    return paint(g == a, c), h, w, jnp.asarray(True)


@jax_kernel("invert_mask")
def invert_mask(g, h, w, c):
    return paint(g == 0, c), h, w, jnp.asarray(True)


# --- masks: background enclosed or not -------------------------------------------------


_BITS = np.arange(SIDE, dtype=np.uint32)


def _pack(mask) -> jnp.ndarray:
    """A (30, 30) mask as 30 row words, column c in bit c."""
    return (mask.astype(jnp.uint32) << _BITS).sum(axis=1, dtype=jnp.uint32)


def _unpack(words) -> jnp.ndarray:
    return ((words[:, None] >> _BITS) & 1).astype(bool)


def _along_rows(words, k: int) -> jnp.ndarray:
    """Cells moved k columns right (k < 0: left)."""
    return words << k if k > 0 else words >> -k


def _along_cols(words, k: int) -> jnp.ndarray:
    """Cells moved k rows down (k < 0: up)."""
    pad = jnp.zeros(abs(k), words.dtype)
    return jnp.concatenate((pad, words[:-k])) if k > 0 else jnp.concatenate((words[-k:], pad))


def _spread(reach, passable, move) -> jnp.ndarray:
    """Extend ``reach`` to every whole run of passable cells it touches along one axis.

    A doubling scan each way: after the step of distance d a cell is reached if a reached
    cell lies within 2d cells with only passable cells between.
    """
    spread = reach & passable
    for k in (1, -1):
        found, clear = spread, passable
        for distance in (1, 2, 4, 8, 16):
            found = found | (clear & move(found, k * distance))
            clear = clear & move(clear, k * distance)
        spread = spread | found
    return spread


def _outside(passable, h, w):
    """The passable cells 4-connected to the grid's border through passable cells.

    On bit-packed rows (30 words a grid), runs spread along rows, then along columns,
    until nothing changes.
    """
    border = (R == 0) | (h - 1 == R) | (C == 0) | (w - 1 == C)
    open_cells = _pack(passable)

    def grow(state):
        reach, _ = state
        wider = _spread(_spread(reach, open_cells, _along_rows), open_cells, _along_cols)
        return wider, jnp.any(wider != reach)

    start = (_pack(passable & border), jnp.asarray(True))
    return _unpack(jax.lax.while_loop(lambda s: s[1], grow, start)[0])


def _enclosed(g, h, w):
    background = (g == 0) & box(h, w)
    return background & ~_outside(background, h, w)


@jax_kernel("fill_enclosed_background")
def fill_enclosed_background(g, h, w, c):
    return _keep(g, h, w, jnp.where(_enclosed(g, h, w), c, g))


@jax_kernel("fill_outside_background")
def fill_outside_background(g, h, w, c):
    return _keep(g, h, w, jnp.where(_outside((g == 0) & box(h, w), h, w), c, g))


@jax_kernel("enclosed_background_mask")
def enclosed_background_mask(g, h, w, c):
    return paint(_enclosed(g, h, w), c), h, w, jnp.asarray(True)


# --- two grids: the state and the task input -------------------------------------------


def _masks_op(op: BoolOp):
    def kern(a, ah, aw, b, bh, bw, c):
        return paint(op(a != 0, b != 0), c), ah, aw, (ah == bh) & (aw == bw)

    return kern


for _name, _op in {
    "mask_and": jnp.logical_and,
    "mask_or": jnp.logical_or,
    "mask_xor": jnp.logical_xor,
    "mask_nor": _nor,
    "mask_and_not": _and_not,
}.items():
    jax_pair_kernel(_name)(_masks_op(_op))


@jax_pair_kernel("diff_mask")
def diff_mask(a, ah, aw, b, bh, bw, c):
    return paint(a != b, c), ah, aw, (ah == bh) & (aw == bw)


@jax_pair_kernel("overlay")
def overlay(base, ah, aw, top, bh, bw):
    return jnp.where(top != 0, top, base), ah, aw, (ah == bh) & (aw == bw)


@jax_pair_kernel("keep_where")
def keep_where(grid, ah, aw, mask, bh, bw):
    return jnp.where(mask != 0, grid, 0).astype(jnp.int8), ah, aw, (ah == bh) & (aw == bw)


@jax_pair_kernel("paint_where")
def paint_where(grid, ah, aw, mask, bh, bw, c):
    return jnp.where(mask != 0, c, grid).astype(jnp.int8), ah, aw, (ah == bh) & (aw == bw)


@jax_pair_kernel("concat_vertical")
def concat_vertical(a, ah, aw, b, bh, bw):
    out = jnp.where(ah > R, a, take(b, R - ah, C))
    return out, ah + bh, aw, (aw == bw) & (ah + bh <= SIDE)


@jax_pair_kernel("concat_horizontal")
def concat_horizontal(a, ah, aw, b, bh, bw):
    out = jnp.where(aw > C, a, take(b, R, C - aw))
    return out, ah, aw + bw, (ah == bh) & (aw + bw <= SIDE)
