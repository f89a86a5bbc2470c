"""Windows: a final crop, fitted from the demonstrations, to the output size they all show.

Many tasks answer with a grid of one fixed size cut from a larger one: a corner, or the
middle. When every demonstration output has the same shape, a state whose grids are
larger answers the task if one window of that shape, at one anchor (a corner or the
centre) for all pairs, equals every output cell for cell. The fit is exact, like every
other fit of the search, and the test answers are the same windows of the test grids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

# Where a window sits in a larger grid: (rows from the top?, columns from the left?), or
# None for the centre (only where the margins are even on both axes).
ANCHORS: dict[str, tuple[bool, bool] | None] = {
    "top-left": (True, True),
    "top-right": (True, False),
    "bottom-left": (False, True),
    "bottom-right": (False, False),
    "centre": None,
}


def common_shape(targets: Sequence[np.ndarray]) -> tuple[int, int] | None:
    """The one shape every demonstration output has, or None if they differ."""
    shapes = {t.shape for t in targets}
    return next(iter(shapes)) if len(shapes) == 1 else None


def usable(targets: Sequence[np.ndarray]) -> bool:
    """Whether windows may answer: the outputs share one shape and not all are one colour.

    A window of uniform outputs only has to find the right colour in a corner, which a
    state does by chance as often as by rule (measured on the training split: such window
    fits lost two tasks and gained one, by luck).
    """
    return common_shape(targets) is not None and any((t != t.flat[0]).any() for t in targets)


def window(stack: np.ndarray, shape: tuple[int, int], anchor: str) -> np.ndarray | None:
    """The ``shape`` window at ``anchor`` of every grid of a (K, H, W) stack; None if none fits."""
    _, height, width = stack.shape
    h, w = shape
    if h > height or w > width:
        return None
    corner = ANCHORS[anchor]
    if corner is None:
        if (height - h) % 2 or (width - w) % 2:
            return None
        top, left = (height - h) // 2, (width - w) // 2
    else:
        top, left = (0 if corner[0] else height - h), (0 if corner[1] else width - w)
    return stack[:, top : top + h, left : left + w]


def fits(train: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> Iterator[tuple[str, np.ndarray]]:
    """(anchor, rows): the states whose windows at ``anchor`` equal every demonstration output.

    Only for states larger than the outputs on some pair (a state of the outputs' size on
    every pair is checked as it is) and only when the outputs share one shape (the caller
    checks :func:`usable` once per task).
    """
    shape = common_shape(targets)
    if shape is None or all(s.shape[1:] == shape for s in train):
        return
    for anchor in ANCHORS:
        rows = None  # states still fitting: all of them before the first pair
        for stack, target in zip(train, targets, strict=True):
            cut = window(stack if rows is None else stack[rows], shape, anchor)
            if cut is None:
                break
            hit = (cut == target).all(axis=(1, 2))
            rows = np.flatnonzero(hit) if rows is None else rows[hit]
            if not len(rows):
                break
        else:
            yield anchor, rows
