"""JAX kernels for the search: one primitive on one padded grid, batched by the caller with ``vmap``.

Every grid lives in a fixed 30 x 30 int8 canvas with its true height and width carried
alongside as int32 values, so one compiled kernel serves every shape: a kernel never
branches on a Python-level size. A kernel is written for *one* item (as equinox and
gymnax write a model's ``__call__``) and :mod:`solvers.backend_jax` vmaps it over a
batch of states and examples.

Contract, for the primitive ``name`` registered with ``@jax_kernel(name)``:

- ``k(g, h, w, *literals)``: ``g`` an int8 ``(30, 30)`` canvas whose cells outside the
  top-left ``h x w`` box are 0; ``h``, ``w`` int32 scalars; ``literals`` int32 scalars
  (traced: ``recolor(I, 3, 5)`` and ``recolor(I, 1, 2)`` share one compilation).
- It returns ``(out, oh, ow, ok)``: the output canvas, its true size and whether the
  primitive has a result. Cells of ``out`` outside its box may hold anything (the caller
  zeroes them) and so may everything when ``ok`` is false. A size outside 1..30 counts
  as no result, exactly where the numpy kernel gives none.
- Item by item it equals the numpy kernel of :mod:`solvers.kernels` (and so the
  primitive), which the differential tests check through the two backends.

Most kernels are one gather: each output cell reads the input cell an index formula
picks, written with the true sizes as traced values. Colour maps count colours inside
the box only; the padding is 0 and must not count as background. Pair kernels
(``k(a, ah, aw, b, bh, bw, *literals)``) combine two canvases for the two-grid steps of
:mod:`solvers.kernels_pairs`.

This module holds the tables, the shared helpers, geometry and sizing; the other
families are in :data:`JAX_KERNEL_MODULES`, imported at the end.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import jax.numpy as jnp
import numpy as np

from dsl.grid import MAX_SIDE
from solvers.kernels import register_in

__all__ = [
    "JAX_KERNELS",
    "JAX_KERNEL_MODULES",
    "JAX_PAIR_KERNELS",
    "NO_JAX_KERNEL",
    "R",
    "C",
    "SIDE",
    "Item",
    "box",
    "jax_kernel",
    "jax_pair_kernel",
    "paint",
    "take",
]

SIDE = MAX_SIDE
Item = tuple[jnp.ndarray, jnp.ndarray, jnp.ndarray, jnp.ndarray]  # (out, height, width, ok)
ItemKernel = Callable[..., Item]

# Row and column index of every canvas cell (numpy constants, folded in at trace time).
R, C = np.indices((SIDE, SIDE), dtype=np.int32)

JAX_KERNELS: dict[str, ItemKernel] = {}
JAX_PAIR_KERNELS: dict[str, ItemKernel] = {}
JAX_KERNEL_MODULES = ("solvers.jax_kernels_colour", "solvers.jax_kernels_lines")

# Primitives with a numpy kernel (solvers.kernels.KERNELS) but no JAX one, by reason; the
# JAX backend runs them through their numpy kernel.
_REPAIR = "scores dozens of candidate axes or periods per grid; not yet written for the canvas"
NO_JAX_KERNEL: dict[str, str] = {
    "symmetry_repair": _REPAIR,
    "periodic_repair": _REPAIR,
    **dict.fromkeys(
        (
            "recolor_largest_object",
            "recolor_smallest_object",
            "recolor_objects_of_size",
            "keep_largest_object",
            "remove_noise",
            "recolor_by_size_rank",
            "box_objects",
            "fill_object_boxes",
            "recolor_objects_with_holes",
            "fill_object_holes",
            "fill_holes_own_color",
            "gravity_objects",
        ),
        "connected components: not yet batched on the device",
    ),
}


def jax_kernel(name: str) -> Callable[[ItemKernel], ItemKernel]:
    """Register a per-item function as the JAX kernel of the primitive ``name``."""
    return register_in(JAX_KERNELS, "JAX kernel", name)


def jax_pair_kernel(name: str) -> Callable[[ItemKernel], ItemKernel]:
    """Register a per-item function of two canvases as the JAX kernel of a two-grid primitive."""
    return register_in(JAX_PAIR_KERNELS, "JAX pair kernel", name)


# --- shared helpers -----------------------------------------------------------------


def take(g: jnp.ndarray, rows: jnp.ndarray, cols: jnp.ndarray) -> jnp.ndarray:
    """``g[rows, cols]`` cell by cell, indices clamped to the canvas (cells read outside
    the box only land outside the output's box, which the caller clears)."""
    return g[jnp.clip(rows, 0, SIDE - 1), jnp.clip(cols, 0, SIDE - 1)]


def box(h: jnp.ndarray, w: jnp.ndarray) -> jnp.ndarray:
    """The cells of an h x w grid on the canvas."""
    return (h > R) & (w > C)


def paint(mask: jnp.ndarray, c: jnp.ndarray) -> jnp.ndarray:
    """Colour c where the mask is true, 0 elsewhere."""
    return jnp.where(mask, c, 0).astype(jnp.int8)


def _fits(side: jnp.ndarray, factor: jnp.ndarray) -> jnp.ndarray:
    """Whether a side scaled by ``factor`` is a valid grid side."""
    return (factor >= 1) & (side * factor <= SIDE)


def _same(out: jnp.ndarray, h: jnp.ndarray, w: jnp.ndarray, ok: bool | jnp.ndarray = True) -> Item:
    return out, h, w, jnp.asarray(ok)


# --- geometry: the square group --------------------------------------------------------


@jax_kernel("rot90")
def rot90(g, h, w):
    return _same(take(g, C, w - 1 - R), w, h)


@jax_kernel("rot180")
def rot180(g, h, w):
    return _same(take(g, h - 1 - R, w - 1 - C), h, w)


@jax_kernel("rot270")
def rot270(g, h, w):
    return _same(take(g, h - 1 - C, R), w, h)


@jax_kernel("flip_horizontal")
def flip_horizontal(g, h, w):
    return _same(take(g, R, w - 1 - C), h, w)


@jax_kernel("flip_vertical")
def flip_vertical(g, h, w):
    return _same(take(g, h - 1 - R, C), h, w)


@jax_kernel("transpose")
def transpose(g, h, w):
    return _same(take(g, C, R), w, h)


@jax_kernel("antitranspose")
def antitranspose(g, h, w):
    return _same(take(g, h - 1 - C, w - 1 - R), w, h)


# --- geometry: shifts and rolls --------------------------------------------------------


def _shifted(g, h, w, dr: int, dc: int) -> Item:
    rows, cols = R - dr, C - dc
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    return _same(jnp.where(inside, take(g, rows, cols), 0).astype(jnp.int8), h, w)


@jax_kernel("shift_up")
def shift_up(g, h, w):
    return _shifted(g, h, w, -1, 0)


@jax_kernel("shift_down")
def shift_down(g, h, w):
    return _shifted(g, h, w, 1, 0)


@jax_kernel("shift_left")
def shift_left(g, h, w):
    return _shifted(g, h, w, 0, -1)


@jax_kernel("shift_right")
def shift_right(g, h, w):
    return _shifted(g, h, w, 0, 1)


@jax_kernel("roll_down")
def roll_down(g, h, w, k):
    return _same(take(g, jnp.mod(R - k, h), C), h, w)


@jax_kernel("roll_right")
def roll_right(g, h, w, k):
    return _same(take(g, R, jnp.mod(C - k, w)), h, w)


# --- geometry: one half mirrored onto the other ----------------------------------------


@jax_kernel("reflect_top_half")
def reflect_top_half(g, h, w):
    rows = jnp.where(h - h // 2 <= R, h - 1 - R, R)
    return _same(take(g, rows, C), h, w, h >= 2)


@jax_kernel("reflect_bottom_half")
def reflect_bottom_half(g, h, w):
    rows = jnp.where(h // 2 > R, h - 1 - R, R)
    return _same(take(g, rows, C), h, w, h >= 2)


@jax_kernel("reflect_left_half")
def reflect_left_half(g, h, w):
    cols = jnp.where(w - w // 2 <= C, w - 1 - C, C)
    return _same(take(g, R, cols), h, w, w >= 2)


@jax_kernel("reflect_right_half")
def reflect_right_half(g, h, w):
    cols = jnp.where(w // 2 > C, w - 1 - C, C)
    return _same(take(g, R, cols), h, w, w >= 2)


@jax_kernel("symmetrize_half")
def symmetrize_half(g, h, w, side):
    # Sides 2 / 3 keep the top / bottom half (middle line kept), 0 / 1 the left / right.
    keep_low = side % 2 == 0
    rows = jnp.where(keep_low, jnp.minimum(R, h - 1 - R), jnp.maximum(R, h - 1 - R))
    cols = jnp.where(keep_low, jnp.minimum(C, w - 1 - C), jnp.maximum(C, w - 1 - C))
    by_rows = side >= 2
    out = take(g, jnp.where(by_rows, rows, R), jnp.where(by_rows, C, cols))
    return _same(out, h, w, (side >= 0) & (side <= 3))


# --- sizing: halves, thirds, border ----------------------------------------------------


def _part(size, parts: int, index) -> tuple[jnp.ndarray, jnp.ndarray, jnp.ndarray]:
    """(start, length, ok) of part ``index`` of ``parts`` equal parts of a side, one-cell
    separators allowed (the numpy kernels' ``_part_slice``)."""
    even = size % parts == 0
    length = jnp.where(even, size // parts, (size + 1) // parts - 1)
    step = jnp.where(even, length, length + 1)
    ok = (size >= parts) & (index >= 0) & (index < parts) & (even | ((size + 1) % parts == 0)) & (length > 0)
    return index * step, length, ok


def _rows_part(g, h, w, parts: int, index) -> Item:
    start, length, ok = _part(h, parts, index)
    return take(g, R + start, C), length, w, ok


def _cols_part(g, h, w, parts: int, index) -> Item:
    start, length, ok = _part(w, parts, index)
    return take(g, R, C + start), h, length, ok


@jax_kernel("top_half")
def top_half(g, h, w):
    return _rows_part(g, h, w, 2, 0)


@jax_kernel("bottom_half")
def bottom_half(g, h, w):
    return _rows_part(g, h, w, 2, 1)


@jax_kernel("left_half")
def left_half(g, h, w):
    return _cols_part(g, h, w, 2, 0)


@jax_kernel("right_half")
def right_half(g, h, w):
    return _cols_part(g, h, w, 2, 1)


@jax_kernel("rows_third")
def rows_third(g, h, w, index):
    return _rows_part(g, h, w, 3, index)


@jax_kernel("cols_third")
def cols_third(g, h, w, index):
    return _cols_part(g, h, w, 3, index)


@jax_kernel("trim_border")
def trim_border(g, h, w):
    return take(g, R + 1, C + 1), h - 2, w - 2, (h > 2) & (w > 2)


# --- tiling and scaling ----------------------------------------------------------------


@jax_kernel("upscale")
def upscale(g, h, w, k):
    k1 = jnp.maximum(k, 1)
    return take(g, R // k1, C // k1), h * k, w * k, _fits(h, k) & _fits(w, k)


@jax_kernel("downscale")
def downscale(g, h, w, k):
    k1 = jnp.maximum(k, 1)
    ok = (k >= 1) & (h % k1 == 0) & (w % k1 == 0)
    return take(g, R * k1, C * k1), h // k1, w // k1, ok


@jax_kernel("tile")
def tile(g, h, w, rows, cols):
    ok = _fits(h, rows) & _fits(w, cols)
    return take(g, R % h, C % w), h * rows, w * cols, ok


@jax_kernel("tile_by_own_mask")
def tile_by_own_mask(g, h, w):
    # Block (i, j) is the grid where cell (i, j) is non-zero: row i * h + a, column j * w + b.
    on = take(g, R // h, C // w) != 0
    out = jnp.where(on, take(g, R % h, C % w), 0).astype(jnp.int8)
    return out, h * h, w * w, _fits(h, h) & _fits(w, w)


def _mirrored(index, n):
    """Index into a side of n cells followed by its mirror image (2n cells)."""
    return jnp.where(index < n, index, 2 * n - 1 - index)


@jax_kernel("mirror_tile_2x2")
def mirror_tile_2x2(g, h, w):
    ok = _fits(h, 2) & _fits(w, 2)
    return take(g, _mirrored(R, h), _mirrored(C, w)), 2 * h, 2 * w, ok


@jax_kernel("rotate_tile_2x2")
def rotate_tile_2x2(g, h, w):
    # Top: the grid, then it turned (g[h - 1 - c, r]); bottom: the top turned half-way.
    top = h > R
    r2, c2 = jnp.where(top, R, 2 * h - 1 - R), jnp.where(top, C, 2 * w - 1 - C)
    left = c2 < w
    rows, cols = jnp.where(left, r2, h - 1 - (c2 - w)), jnp.where(left, c2, r2)
    return take(g, rows, cols), 2 * h, 2 * w, (h == w) & _fits(h, 2)


@jax_kernel("mirror_concat_right")
def mirror_concat_right(g, h, w):
    return take(g, R, _mirrored(C, w)), h, 2 * w, _fits(w, 2)


@jax_kernel("mirror_concat_left")
def mirror_concat_left(g, h, w):
    return take(g, R, jnp.where(w > C, w - 1 - C, C - w)), h, 2 * w, _fits(w, 2)


@jax_kernel("mirror_concat_down")
def mirror_concat_down(g, h, w):
    return take(g, _mirrored(R, h), C), 2 * h, w, _fits(h, 2)


@jax_kernel("mirror_concat_up")
def mirror_concat_up(g, h, w):
    return take(g, jnp.where(h > R, h - 1 - R, R - h), C), 2 * h, w, _fits(h, 2)


def _load_modules() -> None:
    """Import the other JAX kernel modules so that their kernels register."""
    for module in JAX_KERNEL_MODULES:
        importlib.import_module(module)


_load_modules()
