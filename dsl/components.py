"""Connected-component labelling and other array-level helpers for :mod:`dsl.objects`.

Split from :mod:`dsl.objects` to keep both modules short: this one works on plain
arrays (labels, boxes, masks) and registers no primitive; :mod:`dsl.objects` turns
labels into :class:`dsl.objects.Object` values and holds the primitives.

Labelling is vectorised: every cell starts labelled with its own flat index; each
round gives every horizontal run of linked cells its smallest label at once
(``np.minimum.reduceat`` over the runs), then every vertical run, then corner
neighbours (a minimum over shifted arrays), then jumps pointers
(``label = label[label]``, a label being a cell of the same component). Rounds grow
with the turns a component's paths take, not with its cell count, and no Python
code runs per cell.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

# Connectivity modes (the ``conn`` codes primitives expose to the search).
SINGLE_4 = 0  # one colour per component, edge neighbours
SINGLE_8 = 1  # one colour per component, edge and corner neighbours
MULTI_4 = 2  # any non-zero colours together, edge neighbours
MULTI_8 = 3  # any non-zero colours together, edge and corner neighbours
WITH_BACKGROUND_4 = 4  # one colour per component, background (0) regions included
WITH_BACKGROUND_8 = 5  # as above with corner neighbours
MODES = (SINGLE_4, SINGLE_8, MULTI_4, MULTI_8, WITH_BACKGROUND_4, WITH_BACKGROUND_8)

# Neighbour pairs as (slice of a, slice of b): right, down; down-right, down-left.
_EDGES = ((np.s_[:, :-1], np.s_[:, 1:]), (np.s_[:-1, :], np.s_[1:, :]))
_CORNERS = ((np.s_[:-1, :-1], np.s_[1:, 1:]), (np.s_[:-1, 1:], np.s_[1:, :-1]))


class Components(NamedTuple):
    """Components numbered 0..n-1 in raster order of their first cell."""

    ids: np.ndarray  # (h, w) int: component of each cell, -1 for cells in none
    tops: np.ndarray  # (n,) bounding box of each component, inclusive
    lefts: np.ndarray
    bottoms: np.ndarray
    rights: np.ndarray
    sizes: np.ndarray  # (n,) cells per component


def _linked(grid: np.ndarray, included: np.ndarray, same_color: bool, a, b) -> np.ndarray:
    """Mask over the pairs (a, b) of neighbour cells that belong together."""
    linked = included[a] & included[b]
    if same_color:
        linked &= grid[a] == grid[b]
    return linked


def _runs(linked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of cells linked to the next one along each row: (run of each cell, run starts).

    ``linked`` is (h, w-1): cell (r, c) linked to (r, c+1). Indices are over the
    row-major flattened (h, w) grid, where every run is contiguous.
    """
    starts = np.ones((linked.shape[0], linked.shape[1] + 1), dtype=bool)
    starts[:, 1:] = ~linked
    flat = starts.ravel()
    return np.cumsum(flat) - 1, np.flatnonzero(flat)


def label_cells(grid: np.ndarray, included: np.ndarray, same_color: bool, diag: bool) -> np.ndarray:
    """Per cell, the flat index of the first cell of its component; h*w off ``included``."""
    h, w = grid.shape
    none = h * w
    labels = np.where(included, np.arange(none).reshape(h, w), none)
    row_of, row_starts = _runs(_linked(grid, included, same_color, *_EDGES[0]))
    col_of, col_starts = _runs(_linked(grid.T, included.T, same_color, *_EDGES[0]))
    corners = [(a, b, _linked(grid, included, same_color, a, b)) for a, b in _CORNERS if diag]
    while True:  # rounds until stable: about the number of turns a path takes, often 1-3
        before = labels
        # a whole row run, then a whole column run, takes its smallest label at once
        labels = np.minimum.reduceat(labels.ravel(), row_starts)[row_of]
        labels = np.minimum.reduceat(labels.reshape(h, w).T.ravel(), col_starts)[col_of].reshape(w, h).T
        labels = labels.copy()
        for a, b, linked in corners:
            np.minimum(labels[a], np.where(linked, labels[b], none), out=labels[a])
            np.minimum(labels[b], np.where(linked, labels[a], none), out=labels[b])
        # a label is a cell of the same component, so its own label is a valid jump
        labels = np.append(labels.ravel(), none)[labels]
        if np.array_equal(labels, before):
            return labels


def components(grid: np.ndarray, mode: int) -> Components:
    """The connected components of ``grid`` under connectivity ``mode`` (one of MODES)."""
    with_background = mode in (WITH_BACKGROUND_4, WITH_BACKGROUND_8)
    included = np.ones(grid.shape, dtype=bool) if with_background else grid != 0
    same_color = mode not in (MULTI_4, MULTI_8)
    diag = mode in (SINGLE_8, MULTI_8, WITH_BACKGROUND_8)
    labels = label_cells(grid, included, same_color, diag)
    firsts, ids = np.unique(labels[included], return_inverse=True)
    cell_ids = np.full(grid.shape, -1, dtype=np.intp)
    cell_ids[included] = ids
    if not len(firsts):
        empty = np.zeros(0, dtype=np.intp)
        return Components(cell_ids, empty, empty, empty, empty, empty)
    rows, cols = np.nonzero(included)  # raster order, the same order as ids
    order = np.argsort(ids, kind="stable")
    starts = np.searchsorted(ids[order], np.arange(len(firsts)))
    rows, cols = rows[order], cols[order]
    return Components(
        cell_ids,
        np.minimum.reduceat(rows, starts),
        np.minimum.reduceat(cols, starts),
        np.maximum.reduceat(rows, starts),
        np.maximum.reduceat(cols, starts),
        np.bincount(ids, minlength=len(firsts)),
    )


@lru_cache(maxsize=2048)
def _cached(data: bytes, h: int, w: int, mode: int) -> Components:
    comps = components(np.frombuffer(data, dtype=np.int8).reshape(h, w), mode)
    for arr in comps:
        arr.setflags(write=False)  # shared between callers
    return comps


def cached_components(grid: np.ndarray, mode: int) -> Components:
    """:func:`components`, remembered by grid content: the steps of one search state share it."""
    return _cached(grid.tobytes(), *grid.shape, mode)


def per_component(comps: Components, values: np.ndarray, off: bool | int) -> np.ndarray:
    """Per cell, its component's entry of ``values``; ``off`` on cells in no component."""
    return np.append(values, off)[comps.ids]  # id -1 picks the appended entry


def main_colors(grid: np.ndarray, comps: Components) -> np.ndarray:
    """Each component's most common colour (ties: the smaller), int8, one more entry of 0 last."""
    inside = comps.ids >= 0
    # colour counts of all components at once: one bincount over (component, colour) keys
    keys = comps.ids[inside] * 10 + grid[inside]
    counts = np.bincount(keys, minlength=len(comps.sizes) * 10).reshape(-1, 10)
    return np.append(counts.argmax(axis=1), 0).astype(np.int8)


def unique_best(values: np.ndarray) -> int | None:
    """Index of the single largest value, or None when there is none or a tie."""
    if not len(values):
        return None
    hits = np.flatnonzero(values == values.max())
    return int(hits[0]) if len(hits) == 1 else None


def one_hot_best(values: np.ndarray) -> np.ndarray:
    """Mask true at the single largest value only; all false when there is none or a tie."""
    k = unique_best(values)
    return np.arange(len(values)) == (-1 if k is None else k)


def box_mask(comps: Components, shape: tuple[int, int], margin: int) -> np.ndarray:
    """Cells of the components' bounding boxes (margin 0), or of the ring just outside them (1)."""
    h, w = shape
    box = np.zeros((h + 2, w + 2), dtype=bool)  # one cell of padding holds the outer ring
    for t, l, b, r in zip(comps.tops, comps.lefts, comps.bottoms, comps.rights, strict=True):
        # a loop per component: a handful of slice assignments each, no per-cell work
        box[t + 1 - margin : b + 2 + margin, l + 1 - margin : r + 2 + margin] = True
    if margin:
        inside = box_mask(comps, shape, 0)
        return box[1:-1, 1:-1] & ~inside
    return box[1:-1, 1:-1]


class Holes(NamedTuple):
    """Holes of objects (non-zero cells, any colours, corners: ``MULTI_8`` components).

    A hole is a 4-connected region of background (0) cells that does not touch the grid
    border; its owner is the object enclosing it, the region's neighbour with the
    highest top row (anything else it touches lies inside it, so starts lower).
    """

    owner: np.ndarray  # (h, w) int: per cell the id of the enclosing object, -1 off holes
    empty: np.ndarray  # (h, w) bool: hole cells whose region touches no other object


def holes(grid: np.ndarray) -> Holes:
    """The holes of the grid's objects (see :class:`Holes`), remembered by grid content."""
    return _cached_holes(grid.tobytes(), *grid.shape)


@lru_cache(maxsize=512)
def _cached_holes(data: bytes, h: int, w: int) -> Holes:
    grid = np.frombuffer(data, dtype=np.int8).reshape(h, w)
    background = grid == 0
    shapes = cached_components(grid, MULTI_8)
    regions = label_cells(grid, background, same_color=False, diag=False)
    none = grid.size
    # (background region, neighbouring object) for every edge-adjacent pair of cells
    region_parts, object_parts = [], []
    for a, b in _EDGES:
        for x, y in ((a, b), (b, a)):
            touch = background[x] & ~background[y]
            region_parts.append(regions[x][touch])
            object_parts.append(shapes.ids[y][touch])
    keys = np.unique(np.concatenate(region_parts) * (none + 1) + np.concatenate(object_parts))
    pair_regions, pair_objects = np.divmod(keys, none + 1)
    order = np.lexsort((shapes.tops[pair_objects], pair_regions))  # per region, highest first
    firsts = np.unique(pair_regions[order], return_index=True)[1]
    owner = np.full(none + 1, -1, dtype=np.intp)
    owner[pair_regions[order][firsts]] = pair_objects[order][firsts]
    owner[np.concatenate([regions[0], regions[-1], regions[:, 0], regions[:, -1]])] = -1
    owner[none] = -1
    alone = np.bincount(pair_regions, minlength=none + 1) == 1
    found = Holes(owner[regions], (owner[regions] >= 0) & alone[regions])
    for arr in found:
        arr.setflags(write=False)  # shared between callers
    return found


def toward(arr: np.ndarray, direction: int) -> np.ndarray:
    """A view of ``arr`` in which ``direction`` (0 up, 1 down, 2 left, 3 right) points down."""
    return (arr[::-1], arr, arr.T[::-1], arr.T)[direction]


def back_from(arr: np.ndarray, direction: int) -> np.ndarray:
    """The inverse of :func:`toward`."""
    return (arr[::-1], arr, arr[::-1].T, arr.T)[direction]


def fall_distance(occupied: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> int:
    """How far cells at (rows, cols) can move down before meeting ``occupied`` or the floor."""
    h = occupied.shape[0]
    blocked = np.where(occupied, np.arange(h)[:, None], h)
    # per cell, the first blocked row below it: a reversed running minimum, floor at h
    below = np.vstack([np.minimum.accumulate(blocked[::-1], axis=0)[::-1], np.full(occupied.shape[1], h)])
    return int((below[rows + 1, cols] - rows - 1).min())


def drop_down(grid: np.ndarray, ids: np.ndarray, bottoms: np.ndarray) -> np.ndarray:
    """Each component falls as a rigid body until it rests on the floor or another one.

    ``ids``/``bottoms`` label the grid's non-zero cells (see :func:`components`). The
    lowest components settle first; a Python loop runs per component because each one's
    resting place depends on those settled before it.
    """
    out = np.zeros_like(grid)
    occupied = np.zeros(grid.shape, dtype=bool)
    for k in np.argsort(-bottoms, kind="stable"):
        rows, cols = np.nonzero(ids == k)
        fall = fall_distance(occupied, rows, cols)
        occupied[rows + fall, cols] = True
        out[rows + fall, cols] = grid[rows, cols]
    return out
