"""Grid helpers shared by every primitive family.

Primitives receive valid grids (see :func:`arc_harness.tasks.as_grid`) and must
return a valid grid or :data:`NO_RESULT`. :func:`make` is the single exit door: it
turns any array into a read-only int8 grid, or ``NO_RESULT`` when the shape or values
are out of range, so primitives never raise on valid input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from arc_harness.tasks import MAX_SIDE, NUM_COLORS, Grid, as_grid

__all__ = ["Grid", "MAX_SIDE", "NUM_COLORS", "NO_RESULT", "as_grid", "make", "is_grid"]

# The "no result" value: a primitive that has no sensible answer returns it.
NO_RESULT = None


def make(array: Any) -> Grid | None:
    """A read-only int8 grid from ``array``, or NO_RESULT if it is not a valid grid.

    No copy is made: every grid in the DSL is read-only, so sharing memory with an
    input (a flipped view, say) is safe and saves an allocation in the search loop.
    """
    arr = np.asarray(array)
    if arr.ndim != 2:
        return NO_RESULT
    h, w = arr.shape
    if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        return NO_RESULT
    if arr.min() < 0 or arr.max() >= NUM_COLORS:
        return NO_RESULT
    if arr.dtype != np.int8:
        arr = arr.astype(np.int8)
    if arr.flags.writeable:
        arr.setflags(write=False)
    return arr


def is_grid(value: Any) -> bool:
    """True for a valid DSL grid value."""
    return (
        isinstance(value, np.ndarray)
        and value.dtype == np.int8
        and value.ndim == 2
        and 1 <= value.shape[0] <= MAX_SIDE
        and 1 <= value.shape[1] <= MAX_SIDE
        and (value.size == 0 or (int(value.min()) >= 0 and int(value.max()) < NUM_COLORS))
    )
