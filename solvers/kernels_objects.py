"""Batched kernels for the object primitives (see :mod:`solvers.kernels` for the contract).

Objects are connected components (:mod:`dsl.components`), labelled here for a whole
``(K, H, W)`` stack at once. Every row of every grid is first cut into runs of linked
cells; runs linked across rows (or corners) are then merged as a graph: each round hooks
every root onto the smallest root it touches (one scatter-min) and jumps pointers until
every run points at its root. Rounds grow with the log of the merge depth, not with the
cells, the grids or the turns a component takes, and no Python code runs per grid or cell.

Runs are numbered in raster order over the stack, so a component's root run holds its
first cell and ids come out in the order of :func:`dsl.components.components`, grid after
grid. The per-grid rules then work on arrays over all the stack's components, keyed by grid.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dsl import components as cc
from dsl.grid import NUM_COLORS
from solvers.kernels import Result, StackCache, kernel, no_result

CONNS = (cc.SINGLE_4, cc.SINGLE_8, cc.MULTI_4, cc.MULTI_8)
Slice = tuple[slice, ...]

# Neighbour pairs (a, b) over a stack, b one row below a: straight down, down-right, down-left.
_DOWN = (np.s_[:, :-1, :], np.s_[:, 1:, :])
_CORNERS = ((np.s_[:, :-1, :-1], np.s_[:, 1:, 1:]), (np.s_[:, :-1, 1:], np.s_[:, 1:, :-1]))
_RIGHT = (np.s_[:, :, :-1], np.s_[:, :, 1:])


# --- labelling ---------------------------------------------------------------------------


def _links(batch: np.ndarray, included: np.ndarray, same_color: bool, a: Slice, b: Slice) -> np.ndarray:
    """Mask over the neighbour pairs (a, b) of the stack that belong to one component."""
    linked = included[a] & included[b]
    if same_color:
        linked &= batch[a] == batch[b]
    return linked


def _roots(parent: np.ndarray) -> np.ndarray:
    """Every node pointed straight at its root (pointer jumping until nothing changes)."""
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            return parent
        parent = up


def _merge(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Per node of a graph with edges (u, v), the smallest node of its connected part."""
    parent = np.arange(n)
    while len(u):
        ru, rv = parent[u], parent[v]
        cross = ru != rv
        # an edge inside one tree stays inside it: drop it for good
        u, v, ru, rv = u[cross], v[cross], ru[cross], rv[cross]
        # parents only ever point at smaller nodes, so hooking never makes a cycle
        np.minimum.at(parent, np.maximum(ru, rv), np.minimum(ru, rv))
        parent = _roots(parent)
    return parent


def label_stack(batch: np.ndarray, included: np.ndarray, same_color: bool, diag: bool) -> np.ndarray:
    """Per cell, the flat index over the stack of its component's first cell; -1 off ``included``.

    Cells of ``included`` connect through edges (and corners if ``diag``), only between
    equal colours if ``same_color``; components never cross from one grid to the next.
    """
    starts = np.ones(batch.shape, dtype=bool)
    starts[:, :, 1:] = ~_links(batch, included, same_color, *_RIGHT)
    run_of = (np.cumsum(starts.ravel()) - 1).reshape(batch.shape)
    pairs = (_DOWN, *_CORNERS) if diag else (_DOWN,)
    linked = [(a, b, _links(batch, included, same_color, a, b)) for a, b in pairs]
    u = np.concatenate([run_of[a][m] for a, _, m in linked])
    v = np.concatenate([run_of[b][m] for _, b, m in linked])
    first_cell = np.flatnonzero(starts)[_merge(int(run_of.ravel()[-1]) + 1, u, v)]
    return np.where(included, first_cell[run_of], -1)


class Comps(NamedTuple):
    """Components of every grid of a stack, numbered 0..n-1 over the stack in raster order."""

    ids: np.ndarray  # (K, H, W) intp: component of each cell, -1 for cells in none
    grid: np.ndarray  # (n,) the grid each component lies in
    firsts: np.ndarray  # (n,) flat index over the stack of each component's first cell
    sizes: np.ndarray  # (n,) cells per component


def _numbered(first: np.ndarray) -> Comps:
    """Components from per-cell first-cell indices (-1 off components), numbered densely."""
    flat = first.ravel()
    firsts = np.flatnonzero(flat == np.arange(flat.size))
    number = np.zeros(flat.size + 1, dtype=np.intp)
    number[firsts] = np.arange(len(firsts))
    number[-1] = -1  # what first == -1 picks
    ids = number[first]
    sizes = np.bincount(ids[ids >= 0], minlength=len(firsts))
    return Comps(ids, firsts // (first.shape[1] * first.shape[2]), firsts, sizes)


# Every object step (each conn, colour and size) on one stack shares its labellings: the
# four conns, their objects' boxes and the holes, of two stacks.
_RECENT = StackCache(18)


def _objects(batch: np.ndarray, conn: int) -> Comps:
    """The objects (non-0 components) of every grid under ``conn`` (one of CONNS)."""
    same_color, diag = conn in (cc.SINGLE_4, cc.SINGLE_8), conn in (cc.SINGLE_8, cc.MULTI_8)
    return _numbered(label_stack(batch, batch != 0, same_color, diag))


def stack_components(batch: np.ndarray, conn: int) -> Comps:
    """:func:`_objects`, reused while the same read-only stack comes back."""
    return _RECENT.get(batch, conn, lambda b: _objects(b, conn))


def per_cell(comps: Comps, values: np.ndarray, off: bool | int) -> np.ndarray:
    """Per cell, its component's entry of ``values``; ``off`` on cells in no component."""
    padded = np.append(values, np.array(off, dtype=values.dtype))
    return padded[comps.ids]  # id -1 picks the appended entry


# --- choosing components -------------------------------------------------------------------


def one_best(comps: Comps, k: int, score: np.ndarray) -> np.ndarray:
    """Per component, whether its score is the single largest of its grid (ties: none is)."""
    best = np.full(k, np.iinfo(np.intp).min)
    np.maximum.at(best, comps.grid, score)
    top = score == best[comps.grid]
    return top & (np.bincount(comps.grid[top], minlength=k) == 1)[comps.grid]


def _chosen(comps: Comps, k: int, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, whether its component is chosen; per grid, whether any of its components is."""
    return per_cell(comps, chosen, False), np.bincount(comps.grid[chosen], minlength=k) > 0


def _painted(batch: np.ndarray, comps: Comps, chosen: np.ndarray, c: int) -> Result:
    """The chosen components painted c; grids with none chosen have no result."""
    cells, valid = _chosen(comps, len(batch), chosen)
    return np.where(cells, np.int8(c), batch), valid


@kernel("recolor_largest_object")
def recolor_largest_object(batch: np.ndarray, conn: int, c: int) -> Result:
    """Batched recolor_largest_object."""
    if conn not in CONNS:
        return no_result(batch)
    comps = stack_components(batch, conn)
    return _painted(batch, comps, one_best(comps, len(batch), comps.sizes), c)


@kernel("recolor_smallest_object")
def recolor_smallest_object(batch: np.ndarray, conn: int, c: int) -> Result:
    """Batched recolor_smallest_object."""
    if conn not in CONNS:
        return no_result(batch)
    comps = stack_components(batch, conn)
    return _painted(batch, comps, one_best(comps, len(batch), -comps.sizes), c)


@kernel("recolor_objects_of_size")
def recolor_objects_of_size(batch: np.ndarray, k: int, c: int) -> Result:
    """Batched recolor_objects_of_size (one-colour edge-connected objects)."""
    comps = stack_components(batch, cc.SINGLE_4)
    return _painted(batch, comps, comps.sizes == k, c)


@kernel("remove_noise")
def remove_noise(batch: np.ndarray, conn: int) -> Result:
    """Batched remove_noise."""
    if conn not in CONNS:
        return no_result(batch)
    comps = stack_components(batch, conn)
    return _painted(batch, comps, comps.sizes == 1, 0)


@kernel("keep_largest_object")
def keep_largest_object(batch: np.ndarray, conn: int) -> Result:
    """Batched keep_largest_object."""
    if conn not in CONNS:
        return no_result(batch)
    comps = stack_components(batch, conn)
    cells, valid = _chosen(comps, len(batch), one_best(comps, len(batch), comps.sizes))
    return np.where(cells, batch, np.int8(0)), valid


@kernel("recolor_by_size_rank")
def recolor_by_size_rank(batch: np.ndarray, conn: int) -> Result:
    """Batched recolor_by_size_rank: ranks from a per-grid table of the sizes present."""
    if conn not in CONNS:
        return no_result(batch)
    comps = stack_components(batch, conn)
    present = np.zeros((len(batch), batch[0].size + 1), dtype=bool)
    present[comps.grid, comps.sizes] = True
    # distinct sizes at least s, for every s: the rank of size s where it is present
    at_least = np.cumsum(present[:, ::-1], axis=1)[:, ::-1]
    # ranks past 9 come only in grids with no result: clipped, so that out holds colours
    rank = np.minimum(at_least[comps.grid, comps.sizes], NUM_COLORS - 1).astype(np.int8)
    out = np.where(comps.ids >= 0, per_cell(comps, rank, 0), batch)
    distinct = at_least[:, 0]
    return out, (distinct > 0) & (distinct < NUM_COLORS)


# --- boxes ---------------------------------------------------------------------------------


def _box_union(shape: tuple[int, ...], grid: np.ndarray, corners: tuple[np.ndarray, ...]) -> np.ndarray:
    """Per grid of a stack, the union of the inclusive boxes (top, left, bottom, right) given."""
    k, h, w = shape
    top, left, bottom, right = corners
    # a 2-D difference array: +1 at two corners, -1 at the other two; prefix sums fill the boxes
    index = np.ravel_multi_index
    size = (k, h + 1, w + 1)
    plus = np.concatenate([index((grid, top, left), size), index((grid, bottom + 1, right + 1), size)])
    minus = np.concatenate([index((grid, top, right + 1), size), index((grid, bottom + 1, left), size)])
    n = k * (h + 1) * (w + 1)
    diff = (np.bincount(plus, minlength=n) - np.bincount(minus, minlength=n)).reshape(size)
    return diff.cumsum(axis=1).cumsum(axis=2)[:, :h, :w] > 0


def stack_boxes(batch: np.ndarray, conn: int) -> tuple[np.ndarray, ...]:
    """Each object's bounding box under ``conn``: (top, left, bottom, right), inclusive, reused
    while the same read-only stack comes back (the crops to chosen objects share them)."""
    return _RECENT.get(batch, ("boxes", conn), lambda b: _boxes(stack_components(b, conn), b.shape))


def _boxes(comps: Comps, shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Each component's bounding box: (top, left, bottom, right), inclusive."""
    _, h, w = shape
    rows, cols = np.indices(shape[1:])
    inside = comps.ids >= 0
    ids = comps.ids[inside]
    rows, cols = np.broadcast_to(rows, shape)[inside], np.broadcast_to(cols, shape)[inside]
    left, bottom, right = np.full(len(comps.sizes), w), np.zeros_like(comps.sizes), np.zeros_like(comps.sizes)
    np.minimum.at(left, ids, cols)
    np.maximum.at(bottom, ids, rows)
    np.maximum.at(right, ids, cols)
    return comps.firsts % (h * w) // w, left, bottom, right


def _paint_boxes(batch: np.ndarray, margin: int, c: int) -> Result:
    """Colour c on the 0 cells of the objects' boxes (margin 0) or of the ring just outside (1)."""
    _, h, w = batch.shape
    comps = stack_components(batch, cc.MULTI_8)
    top, left, bottom, right = stack_boxes(batch, cc.MULTI_8)
    mask = _box_union(batch.shape, comps.grid, (top, left, bottom, right))
    if margin:
        grown = (np.maximum(top - 1, 0), np.maximum(left - 1, 0), np.minimum(bottom + 1, h - 1))
        mask = _box_union(batch.shape, comps.grid, (*grown, np.minimum(right + 1, w - 1))) & ~mask
    out = np.where(mask & (batch == 0), np.int8(c), batch)
    return out, np.bincount(comps.grid, minlength=len(batch)) > 0


@kernel("box_objects")
def box_objects(batch: np.ndarray, c: int) -> Result:
    """Batched box_objects."""
    return _paint_boxes(batch, 1, c)


@kernel("fill_object_boxes")
def fill_object_boxes(batch: np.ndarray, c: int) -> Result:
    """Batched fill_object_boxes."""
    return _paint_boxes(batch, 0, c)


# --- holes ---------------------------------------------------------------------------------


class Holes(NamedTuple):
    """Holes of every grid's objects (see :class:`dsl.components.Holes`)."""

    objects: Comps  # the objects: any colours, corners (MULTI_8)
    owner: np.ndarray  # (K, H, W) per cell the id of the enclosing object, -1 off holes
    empty: np.ndarray  # (K, H, W) bool: hole cells whose region touches no other object


def _touching(region: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every edge-adjacent (background region, object id) pair, repeats included."""
    regions, objects = [], []
    for a, b in (_RIGHT, _DOWN):
        for x, y in ((a, b), (b, a)):
            touch = (region[x] >= 0) & (ids[y] >= 0)
            regions.append(region[x][touch])
            objects.append(ids[y][touch])
    return np.concatenate(regions), np.concatenate(objects)


def stack_holes(batch: np.ndarray) -> Holes:
    """The holes of every grid's objects: enclosed 4-connected 0 regions and their owners."""
    return _RECENT.get(batch, len(CONNS), _holes)


def _holes(batch: np.ndarray) -> Holes:
    """:func:`stack_holes`, computed afresh."""
    objects = stack_components(batch, cc.MULTI_8)
    region = label_stack(batch, batch == 0, same_color=False, diag=False)
    regions, touched = _touching(region, objects.ids)
    # the owner is the touching object with the highest top, then the first in raster
    # order: the smallest id, as ids follow first cells in raster order
    n = len(objects.sizes)
    lowest, highest = np.full(batch.size + 1, n), np.full(batch.size + 1, -1)
    np.minimum.at(lowest, regions, touched)
    np.maximum.at(highest, regions, touched)
    border = np.ones(batch.shape[1:], dtype=bool)
    border[1:-1, 1:-1] = False
    lowest[region[:, border]] = n  # a region reaching the border is no hole (-1s land last)
    owner = lowest[region]  # cells off regions read the last entry, n
    owner[owner == n] = -1
    return Holes(objects, owner, (owner >= 0) & (highest[region] == owner))


@kernel("fill_object_holes")
def fill_object_holes(batch: np.ndarray, c: int) -> Result:
    """Batched fill_object_holes."""
    empty = stack_holes(batch).empty
    return np.where(empty, np.int8(c), batch), empty.any(axis=(1, 2))


@kernel("fill_holes_own_color")
def fill_holes_own_color(batch: np.ndarray) -> Result:
    """Batched fill_holes_own_color: each object's main colour from one bincount over the stack."""
    objects, owner, _ = stack_holes(batch)
    inside = objects.ids >= 0
    keys = objects.ids[inside] * NUM_COLORS + batch[inside]
    counts = np.bincount(keys, minlength=len(objects.sizes) * NUM_COLORS).reshape(-1, NUM_COLORS)
    main = counts.argmax(axis=1).astype(np.int8)  # ties: the smaller colour
    holes = owner >= 0
    return np.where(holes, np.append(main, np.int8(0))[owner], batch), holes.any(axis=(1, 2))


@kernel("recolor_objects_with_holes")
def recolor_objects_with_holes(batch: np.ndarray, c: int) -> Result:
    """Batched recolor_objects_with_holes."""
    objects, owner, _ = stack_holes(batch)
    enclosing = np.zeros(len(objects.sizes), dtype=bool)
    enclosing[owner[owner >= 0]] = True
    return _painted(batch, objects, enclosing, c)


# --- gravity -------------------------------------------------------------------------------


def _toward(batch: np.ndarray, direction: int) -> np.ndarray:
    """A view of the stack in which ``direction`` (0 up, 1 down, 2 left, 3 right) points down."""
    flipped = batch.transpose(0, 2, 1) if direction in (2, 3) else batch
    return flipped[:, ::-1] if direction in (0, 2) else flipped


def _back_from(batch: np.ndarray, direction: int) -> np.ndarray:
    """The inverse of :func:`_toward`."""
    unflipped = batch[:, ::-1] if direction in (0, 2) else batch
    return unflipped.transpose(0, 2, 1) if direction in (2, 3) else unflipped


def _settling_rank(comps: Comps, k: int, bottoms: np.ndarray) -> np.ndarray:
    """Per component, its turn in its grid: lowest bottom first, ties by id."""
    order = np.lexsort((-bottoms, comps.grid))  # stable: ties keep id order
    counts = np.bincount(comps.grid, minlength=k)
    starts = np.cumsum(counts) - counts
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order)) - starts[comps.grid[order]]
    return rank


def _drop(view: np.ndarray) -> np.ndarray:
    """Every object of every grid falls rigidly down until it rests on the floor or on one settled."""
    k, h, w = view.shape
    comps = _objects(view, cc.MULTI_8)  # a fresh view each call: nothing to reuse
    grid, rows, cols = np.nonzero(comps.ids >= 0)
    ids = comps.ids[grid, rows, cols]
    bottoms = np.zeros(len(comps.sizes), dtype=np.intp)
    np.maximum.at(bottoms, ids, rows)
    turn = _settling_rank(comps, k, bottoms)[ids]
    order = np.argsort(turn, kind="stable")
    grid, rows, cols, turn = grid[order], rows[order], cols[order], turn[order]
    bounds = np.searchsorted(turn, np.arange(turn[-1] + 2 if len(turn) else 1))
    # occupied rows of every column as bits, the floor as bit h: the gap below a cell at row
    # r is the count of trailing zeros of the bits above r
    occupied = np.full((k, w), 1 << h, dtype=np.int64)
    landed = np.empty_like(rows)
    # a loop over turns, not grids or cells: the t-th object of every grid settles at once,
    # as it rests only on those settled before it in its own grid
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        g, r, c = grid[lo:hi], rows[lo:hi], cols[lo:hi]
        bits = occupied[g, c] >> (r + 1)
        gap = np.frexp((bits & -bits).astype(np.float64))[1] - 1
        fall = np.full(k, h)
        np.minimum.at(fall, g, gap)
        landed[lo:hi] = r + fall[g]
        np.bitwise_or.at(occupied, (g, c), np.left_shift(1, landed[lo:hi]))
    out = np.zeros_like(view)
    out[grid, landed, cols] = view[grid, rows, cols]
    return out


@kernel("gravity_objects")
def gravity_objects(batch: np.ndarray, direction: int) -> Result:
    """Batched gravity_objects."""
    if direction not in (0, 1, 2, 3):
        return no_result(batch)
    return _back_from(_drop(_toward(batch, direction)), direction), None
