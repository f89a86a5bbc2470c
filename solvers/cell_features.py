"""What a cell can read from its surroundings: the feature pool of the local rules.

Each feature maps a grid to one small non-negative integer per cell (below
:data:`VALUE_LIMIT`, so a few features pack into one integer key): the cell's colour, its
neighbours' colours, the first colour seen along each axis, the size of the component it
belongs to, whether it is enclosed, and so on. "Background" is the grid's most common
colour (ties: the smaller; :func:`dsl.colour.background_color`), so a feature means
the same on a grid whose background is not 0.

Values are clipped where they could run large (sizes, counts): a rule keyed on "size 30 or
more" still generalises, and keys stay small.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.colour import background_color
from dsl.components import label_cells

# Every feature value is below this: 10 colours as bits, or a colour with 10 for "none".
VALUE_LIMIT = 1024
OUTSIDE = 10  # a neighbour beyond the border; a ray that meets nothing
SIZE_CAP = 30

Feature = Callable[[np.ndarray, int], np.ndarray]

# (row, column) offsets of the eight neighbours, by name.
NEIGHBOURS = {
    "up": (-1, 0),
    "down": (1, 0),
    "left": (0, -1),
    "right": (0, 1),
    "up_left": (-1, -1),
    "up_right": (-1, 1),
    "down_left": (1, -1),
    "down_right": (1, 1),
}
EDGE_NEIGHBOURS = ("up", "down", "left", "right")
CORNER_NEIGHBOURS = ("up_left", "up_right", "down_left", "down_right")


def neighbour(grid: np.ndarray, offset: tuple[int, int]) -> np.ndarray:
    """Per cell, the colour of the cell at ``offset`` from it; OUTSIDE beyond the border."""
    h, w = grid.shape
    padded = np.pad(grid.astype(np.int32), 1, constant_values=OUTSIDE)
    dr, dc = offset
    return padded[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w]


def colour_set(grid: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Per cell, the colours among the named neighbours as bits (bit c for colour c)."""
    bits = np.zeros(grid.shape, dtype=np.int32)
    for name in names:
        seen = neighbour(grid, NEIGHBOURS[name])
        bits |= np.where(seen < OUTSIDE, 1 << np.minimum(seen, 9), 0)
    return bits


def neighbour_count(grid: np.ndarray, bg: int) -> np.ndarray:
    """Per cell, how many of its eight neighbours are not background."""
    return sum(
        (neighbour(grid, off) != bg) & (neighbour(grid, off) != OUTSIDE) for off in NEIGHBOURS.values()
    )


def line_colours(grid: np.ndarray, axis: int) -> np.ndarray:
    """Per cell, the colours of its row (axis 1) or column (axis 0) as bits."""
    bits = np.bitwise_or.reduce(1 << grid.astype(np.int32), axis=axis, keepdims=True)
    return np.broadcast_to(bits, grid.shape)


def ray(grid: np.ndarray, bg: int, direction: str) -> np.ndarray:
    """Per cell, the first non-background colour strictly beyond it towards ``direction``."""
    # turn the grid so the direction points right, scan columns right to left, turn back
    turns = {"right": 0, "up": 3, "left": 2, "down": 1}[direction]
    turned = np.rot90(grid, turns)
    seen = np.full(turned.shape, OUTSIDE, dtype=np.int32)
    nearest = np.full(turned.shape[0], OUTSIDE, dtype=np.int32)
    for col in range(turned.shape[1] - 1, -1, -1):
        seen[:, col] = nearest
        nearest = np.where(turned[:, col] != bg, turned[:, col], nearest)
    return np.rot90(seen, -turns)


def component_sizes(grid: np.ndarray, included: np.ndarray, same_color: bool) -> np.ndarray:
    """Per cell, the size of its 4-connected component (capped); 0 off ``included``."""
    labels = label_cells(grid, included, same_color, diag=False).ravel()
    counts = np.bincount(labels, minlength=grid.size + 1)
    counts[grid.size] = 0  # the label of cells in no component
    return np.minimum(counts[labels], SIZE_CAP).reshape(grid.shape)


def hole_counts(grid: np.ndarray, bg: int) -> np.ndarray:
    """Per cell, how many holes its one-colour component encloses (capped at 9); 0 on background.

    A hole is a 4-connected region of other cells that the component surrounds: it touches
    no border, so every cell next to it outside it belongs to the component.
    """
    labels = label_cells(grid, grid != bg, same_color=True, diag=False)
    counts = np.zeros(grid.size + 1, dtype=np.int32)
    for owner in np.unique(labels[grid != bg]):  # a loop per object: a labelling each
        inside = labels == owner
        rest = label_cells(grid, ~inside, same_color=False, diag=False)
        border = np.unique(np.concatenate([rest[0], rest[-1], rest[:, 0], rest[:, -1]]))
        counts[owner] = len(np.setdiff1d(np.unique(rest[~inside]), border))
    return np.minimum(counts[labels], 9)


def enclosed(grid: np.ndarray, bg: int) -> np.ndarray:
    """1 on background cells no background path joins to the border, else 0."""
    regions = label_cells(grid, grid == bg, same_color=False, diag=False)
    open_ = np.unique(np.concatenate([regions[0], regions[-1], regions[:, 0], regions[:, -1]]))
    return ((grid == bg) & ~np.isin(regions, open_)).astype(np.int32)


def _line_counts(grid: np.ndarray, bg: int, axis: int) -> np.ndarray:
    counts = np.minimum((grid != bg).sum(axis=axis, keepdims=True), SIZE_CAP)
    return np.broadcast_to(counts, grid.shape)


def _parity(grid: np.ndarray, axis: int) -> np.ndarray:
    index = np.arange(grid.shape[axis]) % 2
    return np.broadcast_to(index[:, None] if axis == 0 else index[None, :], grid.shape)


FEATURES: dict[str, Feature] = {
    "colour": lambda g, bg: g.astype(np.int32),
    **{name: (lambda g, bg, off=off: neighbour(g, off)) for name, off in NEIGHBOURS.items()},
    **{f"ray_{d}": (lambda g, bg, d=d: ray(g, bg, d)) for d in EDGE_NEIGHBOURS},
    "is_background": lambda g, bg: (g == bg).astype(np.int32),
    "neighbour_count": neighbour_count,
    "row_colours": lambda g, bg: line_colours(g, axis=1),
    "column_colours": lambda g, bg: line_colours(g, axis=0),
    "edge_colours": lambda g, bg: colour_set(g, EDGE_NEIGHBOURS),
    "corner_colours": lambda g, bg: colour_set(g, CORNER_NEIGHBOURS),
    "component_size": lambda g, bg: component_sizes(g, np.ones(g.shape, dtype=bool), same_color=True),
    "object_size": lambda g, bg: component_sizes(g, g != bg, same_color=False),
    "holes": hole_counts,
    "enclosed": enclosed,
    "row_count": lambda g, bg: _line_counts(g, bg, axis=1),
    "column_count": lambda g, bg: _line_counts(g, bg, axis=0),
    "row_parity": lambda g, bg: _parity(g, axis=0),
    "column_parity": lambda g, bg: _parity(g, axis=1),
}
NAMES = tuple(FEATURES)
# Features whose value is a set of colours, one bit per colour.
COLOUR_SET_FEATURES = ("row_colours", "column_colours", "edge_colours", "corner_colours")


def feature_planes(grid: np.ndarray) -> np.ndarray:
    """(features, cells) int64: every feature of every cell, in :data:`NAMES` order."""
    bg = background_color(grid)
    return np.stack([np.asarray(FEATURES[name](grid, bg)).ravel() for name in NAMES]).astype(np.int64)
