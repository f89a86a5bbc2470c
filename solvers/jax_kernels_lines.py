"""JAX kernels for the lines family and cell gravity (contract: :mod:`solvers.jax_kernels`).

As in :mod:`solvers.kernels_lines`, the canvas is viewed so that the ray direction
points down the rows (flipped, transposed, or skewed so each diagonal is one column),
the nearest non-background cell above and below every cell comes from a scan down the
rows (here a doubling scan of selects), and the result is mapped back. A direction given
as a traced literal picks its view with ``lax.switch`` on that one value, shared by the
whole batch: no per-item branch, no recompilation per direction. The canvas padding is
background: it casts nothing and stops nothing, so rays computed on the whole canvas
agree with the grid inside its box (the caller clears the rest). Gravity is the
exception: cells fall to the box's edge, not the canvas's.
Direction codes: 0 up, 1 down, 2 left, 3 right, 4 up-left, 5 up-right, 6 down-left,
7 down-right.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from solvers.jax_kernels import SIDE, Item, box, jax_kernel

ORTHOGONAL = (0, 1, 2, 3)
DIAGONAL = (4, 5, 6, 7)
_WIDE = 2 * SIDE - 1  # a skewed view holds every diagonal in one of 59 columns


def _skew(a) -> jnp.ndarray:
    """``v[r, c + r] = a[r, c]``, 0 elsewhere (30 x 59): each anti-diagonal in one column.

    Padding each row with 30 zeros and re-cutting the flat array into rows one shorter
    shifts row r by r cells: data movement XLA lays out well, where a gather through an
    index table made large batches many times slower on CPU.
    """
    padded = jnp.concatenate((a, jnp.zeros_like(a)), axis=1)
    return padded.ravel()[: SIDE * _WIDE].reshape(SIDE, _WIDE)


def _unskew(v) -> jnp.ndarray:
    """Inverse of :func:`_skew`."""
    flat = jnp.concatenate((v.ravel(), jnp.zeros(SIDE, v.dtype)))
    return flat.reshape(SIDE, 2 * SIDE)[:, :SIDE]


def _flip_cols(a):
    return a[:, ::-1]


# Per direction, the view putting it down the rows, and its inverse.
_VIEWS = {
    0: (lambda a: a[::-1], lambda v: v[::-1]),
    1: (lambda a: a, lambda v: v),
    2: (lambda a: a.T[::-1], lambda v: v[::-1].T),
    3: (lambda a: a.T, lambda v: v.T),
    4: (lambda a: _skew(a[::-1]), lambda v: _unskew(v)[::-1]),
    5: (lambda a: _flip_cols(_skew(a[::-1, ::-1])), lambda v: _unskew(_flip_cols(v))[::-1, ::-1]),
    6: (_skew, _unskew),
    7: (lambda a: _flip_cols(_skew(_flip_cols(a))), lambda v: _flip_cols(_unskew(_flip_cols(v)))),
}


def _view(g, d, count: int = 8) -> jnp.ndarray:
    """The canvas seen with direction ``d`` pointing down the rows (0 off the grid).

    A Python ``d`` picks its view when tracing; a traced one (a literal of the step, the
    same for the whole batch, so never a per-item branch) switches among the first
    ``count`` directions, orthogonal views padded to the diagonal ones' 59 columns.
    """
    if isinstance(d, int):
        return _VIEWS[d][0](g)
    width = _WIDE if count > len(ORTHOGONAL) else SIDE

    def branch(k: int):
        view = _VIEWS[k][0]
        return lambda a: jnp.pad(view(a), ((0, 0), (0, width - (_WIDE if k in DIAGONAL else SIDE))))

    return jax.lax.switch(d, [branch(k) for k in range(count)], g)


def _unview(view, d, count: int = 8) -> jnp.ndarray:
    """An array computed on :func:`_view` back on the canvas."""
    if isinstance(d, int):
        return _VIEWS[d][1](view)

    def branch(k: int):
        back = _VIEWS[k][1]
        return lambda v: back(v if k in DIAGONAL else v[:, :SIDE])

    return jax.lax.switch(d, [branch(k) for k in range(count)], view)


def _down(x, k: int) -> jnp.ndarray:
    """Rows moved k down (k < 0: up), 0 moved in."""
    pad = jnp.zeros((abs(k), x.shape[1]), x.dtype)
    return jnp.concatenate((pad, x[:-k])) if k > 0 else jnp.concatenate((x[-k:], pad))


def _nearest(view, k: int) -> jnp.ndarray:
    """Per cell, the colour of the nearest non-0 cell strictly above (k = 1) or below (k = -1), or 0.

    A doubling scan: after the step of distance d every cell knows the nearest non-0 cell
    within 2d rows; five steps cover 30 rows, with no gather.
    """
    near = view
    for distance in (1, 2, 4, 8, 16):
        near = jnp.where(near != 0, near, _down(near, k * distance))
    return _down(near, k)


def _layer(g, d, rule: str, colour=0) -> jnp.ndarray:
    """Colours to paint on background cells (0 where none) for rays in direction ``d``.

    ``rule``: "ray" (to the border), "hit" (only rays that end on a cell), "toward"
    (only rays that end on ``colour``, not cast by it), "connect" (between equal colours).
    Colours are 1-9 off the background, so "a cell above" is "a non-0 colour above".
    """
    view = _view(g, d)
    prev = _nearest(view, 1)
    mask = (view == 0) & (prev != 0)
    if rule != "ray":
        after = _nearest(view, -1)
        mask &= after != 0
        if rule == "toward":
            mask &= (after == colour) & (prev != colour)
        elif rule == "connect":
            mask &= prev == after
    return _unview(jnp.where(mask, prev, 0).astype(jnp.int8), d)


def _overlay(g, h, w, layers: list[jnp.ndarray], ok=True) -> Item:
    """Paint the layers on the grid's background cells; earlier layers take priority."""
    out = g
    for layer in reversed(layers):
        out = jnp.where(layer != 0, layer, out)
    return out, h, w, jnp.asarray(ok)


def _direction(d, count: int):
    """(index into the tables, whether ``d`` is one of the first ``count`` directions)."""
    return jnp.clip(d, 0, count - 1), (d >= 0) & (d < count)


# --- lines: rays -----------------------------------------------------------------------


@jax_kernel("extend_rays")
def extend_rays(g, h, w, direction):
    d, ok = _direction(direction, 8)
    return _overlay(g, h, w, [_layer(g, d, "ray")], ok)


@jax_kernel("extend_color_rays")
def extend_color_rays(g, h, w, c, direction):
    d, ok = _direction(direction, 8)
    layer = _layer(g, d, "ray")
    return _overlay(g, h, w, [jnp.where(layer == c, layer, 0).astype(jnp.int8)], ok)


@jax_kernel("rays_until_hit")
def rays_until_hit(g, h, w, direction):
    d, ok = _direction(direction, 8)
    return _overlay(g, h, w, [_layer(g, d, "hit")], ok)


@jax_kernel("rays_toward_color")
def rays_toward_color(g, h, w, c):
    return _overlay(g, h, w, [_layer(g, d, "toward", c) for d in ORTHOGONAL])


@jax_kernel("draw_cross")
def draw_cross(g, h, w):
    return _overlay(g, h, w, [_layer(g, d, "ray") for d in ORTHOGONAL])


@jax_kernel("draw_diagonals")
def draw_diagonals(g, h, w):
    return _overlay(g, h, w, [_layer(g, d, "ray") for d in DIAGONAL])


# --- lines: connecting pixels and full lines -------------------------------------------


@jax_kernel("connect_aligned")
def connect_aligned(g, h, w):
    return _overlay(g, h, w, [_layer(g, 1, "connect"), _layer(g, 3, "connect")])


@jax_kernel("connect_color_with")
def connect_color_with(g, h, w, c, fill):
    layers = [_layer(g, d, "connect") for d in (1, 3)]
    out, *_ = _overlay(g, h, w, [jnp.where(layer == c, fill, 0).astype(jnp.int8) for layer in layers])
    # Background never connects (as in the primitive): 0 in a layer means "nothing here".
    return jnp.where(c == 0, g, out), h, w, jnp.asarray(True)


@jax_kernel("draw_color_hlines")
def draw_color_hlines(g, h, w, c):
    rows = ((g == c) & box(h, w)).any(axis=1)
    return jnp.where(rows[:, None], c, g).astype(jnp.int8), h, w, jnp.asarray(True)


@jax_kernel("draw_color_vlines")
def draw_color_vlines(g, h, w, c):
    cols = ((g == c) & box(h, w)).any(axis=0)
    return jnp.where(cols[None, :], c, g).astype(jnp.int8), h, w, jnp.asarray(True)


# --- objects: cell gravity -------------------------------------------------------------


@jax_kernel("gravity_cells")
def gravity_cells(g, h, w, direction):
    d, ok = _direction(direction, len(ORTHOGONAL))
    view = _view(g, d, len(ORTHOGONAL))
    inside = _view(box(h, w).astype(jnp.int8), d, len(ORTHOGONAL)) != 0
    # Non-0 cells fall to the end of the grid's part of their line (the box's edge, not the
    # canvas's), keeping their order: a cell with n non-0 cells after it lands n above the end.
    end = jnp.max(jnp.where(inside, jnp.arange(SIDE)[:, None], -1), axis=0)
    cells = (view != 0).astype(jnp.int8)  # counts up to 30: int8 moves less memory
    after = cells
    for distance in (1, 2, 4, 8, 16):  # a doubling scan: non-0 cells at or below
        after = after + _down(after, -distance)
    target = jnp.where(cells != 0, end - (after - cells), SIDE)  # row SIDE: dropped
    fallen = jnp.zeros_like(view).at[target, jnp.arange(view.shape[1])].set(view, mode="drop")
    return _unview(fallen, d, len(ORTHOGONAL)), h, w, ok
