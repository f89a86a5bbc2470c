"""Batched colour, count and flag primitives: one value per grid of a ``(K, H, W)`` stack.

Steps with computed arguments (:mod:`solvers.computed`) need a value such as
``background_color(I)`` for every state of a batch before they group the states by it.
Here that is one numpy pass over the stack instead of a Python call per grid.

Contract, for the primitive ``name`` registered with ``@scalar_kernel(name)``: the
primitive takes one grid (then literals) and returns a colour, count or flag;
``k(batch, *literals)`` returns ``(values, valid)``, ``values`` an int64 ``(K,)`` array
(flags as 0/1), ``valid`` None when every grid has a value, else a bool ``(K,)`` array.
Item by item it equals the primitive, ties and missing values included (a differential
test checks this).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.grid import NUM_COLORS
from solvers.kernels import color_counts, register_in

ScalarResult = tuple[np.ndarray, np.ndarray | None]
ScalarKernel = Callable[..., ScalarResult]

SCALAR_KERNELS: dict[str, ScalarKernel] = {}


def scalar_kernel(name: str) -> Callable[[ScalarKernel], ScalarKernel]:
    """Register a function as the batched kernel of the scalar primitive ``name``."""
    return register_in(SCALAR_KERNELS, "scalar kernel", name)


def _all(batch: np.ndarray, values: np.ndarray | int) -> ScalarResult:
    return np.broadcast_to(np.asarray(values, dtype=np.int64), (len(batch),)).copy(), None


def _rarest(counts: np.ndarray, cells: int) -> np.ndarray:
    """Per row, the colour (column) with the fewest cells among those present; ties: smallest."""
    return np.argmin(np.where(counts > 0, counts, cells + 1), axis=1)


@scalar_kernel("background_color")
def background_color(batch: np.ndarray) -> ScalarResult:
    """Batched background_color: argmax keeps the first (smallest) colour on ties, as the primitive."""
    return _all(batch, np.argmax(color_counts(batch), axis=1))


@scalar_kernel("least_common_color")
def least_common_color(batch: np.ndarray) -> ScalarResult:
    """Batched least_common_color."""
    return _all(batch, _rarest(color_counts(batch), batch[0].size))


@scalar_kernel("most_common_nonzero_color")
def most_common_nonzero_color(batch: np.ndarray) -> ScalarResult:
    """Batched most_common_nonzero_color; no value on an all-0 grid."""
    counts = color_counts(batch)[:, 1:]
    return np.argmax(counts, axis=1).astype(np.int64) + 1, counts.any(axis=1)


@scalar_kernel("least_common_nonzero_color")
def least_common_nonzero_color(batch: np.ndarray) -> ScalarResult:
    """Batched least_common_nonzero_color; no value on an all-0 grid."""
    counts = color_counts(batch)[:, 1:]
    return _rarest(counts, batch[0].size).astype(np.int64) + 1, counts.any(axis=1)


@scalar_kernel("border_color")
def border_color(batch: np.ndarray) -> ScalarResult:
    """Batched border_color: the ring of outer cells, or every cell of a grid 2 or less across."""
    k, h, w = batch.shape
    if h <= 2 or w <= 2:
        ring = batch.reshape(k, -1)
    else:
        ring = np.concatenate((batch[:, 0], batch[:, -1], batch[:, 1:-1, 0], batch[:, 1:-1, -1]), axis=1)
    return _all(batch, np.argmax(color_counts(ring[:, None, :]), axis=1))


@scalar_kernel("count_colors")
def count_colors(batch: np.ndarray) -> ScalarResult:
    """Batched count_colors."""
    return _all(batch, (color_counts(batch) > 0).sum(axis=1))


@scalar_kernel("count_nonzero_colors")
def count_nonzero_colors(batch: np.ndarray) -> ScalarResult:
    """Batched count_nonzero_colors."""
    return _all(batch, (color_counts(batch)[:, 1:] > 0).sum(axis=1))


@scalar_kernel("count_color_cells")
def count_color_cells(batch: np.ndarray, c: int) -> ScalarResult:
    """Batched count_color_cells."""
    if not 0 <= c < NUM_COLORS:
        return _all(batch, 0)
    return _all(batch, color_counts(batch)[:, c])


@scalar_kernel("count_foreground_cells")
def count_foreground_cells(batch: np.ndarray) -> ScalarResult:
    """Batched count_foreground_cells."""
    return _all(batch, np.count_nonzero(batch.reshape(len(batch), -1), axis=1))


@scalar_kernel("grid_height")
def grid_height(batch: np.ndarray) -> ScalarResult:
    """Batched grid_height."""
    return _all(batch, batch.shape[1])


@scalar_kernel("grid_width")
def grid_width(batch: np.ndarray) -> ScalarResult:
    """Batched grid_width."""
    return _all(batch, batch.shape[2])


def _equal(batch: np.ndarray, other: np.ndarray) -> ScalarResult:
    return _all(batch, (batch == other).all(axis=(1, 2)))


@scalar_kernel("is_symmetric_lr")
def is_symmetric_lr(batch: np.ndarray) -> ScalarResult:
    """Batched is_symmetric_lr."""
    return _equal(batch, batch[:, :, ::-1])


@scalar_kernel("is_symmetric_ud")
def is_symmetric_ud(batch: np.ndarray) -> ScalarResult:
    """Batched is_symmetric_ud."""
    return _equal(batch, batch[:, ::-1])


@scalar_kernel("is_symmetric_rot180")
def is_symmetric_rot180(batch: np.ndarray) -> ScalarResult:
    """Batched is_symmetric_rot180."""
    return _equal(batch, batch[:, ::-1, ::-1])


@scalar_kernel("is_symmetric_diag")
def is_symmetric_diag(batch: np.ndarray) -> ScalarResult:
    """Batched is_symmetric_diag: a grid that is not square never is."""
    if batch.shape[1] != batch.shape[2]:
        return _all(batch, 0)
    return _equal(batch, batch.transpose(0, 2, 1))


def _period(batch: np.ndarray) -> ScalarResult:
    """Per grid, the smallest p with row i equal to row i + p throughout; the height if none."""
    k, h = batch.shape[:2]
    period = np.full(k, h, dtype=np.int64)
    open_ = np.ones(k, dtype=bool)
    for p in range(1, h):  # one vectorised comparison per candidate period, as the primitive
        found = open_ & (batch[:, p:] == batch[:, :-p]).all(axis=(1, 2))
        period[found] = p
        open_ &= ~found
        if not open_.any():
            break
    return period, None


@scalar_kernel("period_rows")
def period_rows(batch: np.ndarray) -> ScalarResult:
    """Batched period_rows."""
    return _period(batch)


@scalar_kernel("period_cols")
def period_cols(batch: np.ndarray) -> ScalarResult:
    """Batched period_cols."""
    return _period(batch.transpose(0, 2, 1))
