"""Primitive family: patterns (symmetry and periodicity).

Repairs treat the cells of one colour ``c`` as unknown and fill them from the known
cells, using the mirror symmetries consistent with the known cells (axes may sit off
centre, as when a symmetric mosaic is cropped) or the smallest consistent 2-D period.
Each repair also comes as a "blank patch" primitive returning only the repaired content
of the bounding box of the unknown cells, since many ARC tasks answer with the missing
rectangle rather than the whole grid.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dsl.grid import NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

__all__ = [
    "bool_cell",
    "is_symmetric_diag",
    "is_symmetric_lr",
    "is_symmetric_rot180",
    "is_symmetric_ud",
    "period_cols",
    "period_rows",
    "periodic_blank_patch",
    "periodic_repair",
    "periodic_tile",
    "symmetrize_half",
    "symmetry_blank_patch",
    "symmetry_repair",
]


def _bbox(mask: np.ndarray) -> tuple[slice, slice] | None:
    """Slices of the bounding box of a mask's True cells, or None if it has none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _partners(h: int, w: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Flat indices of partner cells into the padded grid of :func:`_padded`.

    A cell mapped to itself gets index 0 (padding, always unknown): it says nothing.
    """
    m = max(h, w)
    i, j = np.indices((h, w))
    flat = (rows + m) * (w + 2 * m) + (cols + m)
    return np.where((rows == i) & (cols == j), 0, flat).astype(np.intp)


@lru_cache(maxsize=64)
def _mirror_families(h: int, w: int) -> tuple[np.ndarray, ...]:
    """Partner indices, shape (K, h, w), per family of candidate mirrors.

    Families: row flips about every axis a (i -> a - i), column flips, reflections about
    every line i - j = d and every line i + j = s. Off-centre axes are kept because
    cropped mosaics are symmetric about an axis that is not the grid's centre line.
    """
    i, j = np.indices((h, w))
    a = np.arange(2 * h - 1)[:, None, None]
    b = np.arange(2 * w - 1)[:, None, None]
    d = np.arange(-(w - 1), h)[:, None, None]
    s = np.arange(h + w - 1)[:, None, None]
    return (
        _partners(h, w, a - i, np.broadcast_to(j, (a.size, h, w))),
        _partners(h, w, np.broadcast_to(i, (b.size, h, w)), b - j),
        _partners(h, w, j + d, i - d),
        _partners(h, w, s - j, s - i),
    )


def _rotations(h: int, w: int, centres: set[tuple[int, int]]) -> np.ndarray:
    """Partner indices of half and quarter turns about centres (a/2, b/2)."""
    i, j = np.indices((h, w))
    rows, cols = [], []
    for a, b in centres:
        rows.append(a - i)
        cols.append(b - j)
        if (a - b) % 2 == 0:
            rows.append(j + (a - b) // 2)
            cols.append((a + b) // 2 - i)
    return _partners(h, w, np.stack(rows), np.stack(cols))


def _padded(grid: Grid, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The grid with unknown cells as -1, padded with -1 by max(h, w); and its centre view."""
    h, w = grid.shape
    m = max(h, w)
    pad = np.full((h + 2 * m, w + 2 * m), -1, dtype=np.int8)
    centre = pad[m : m + h, m : m + w]
    np.copyto(centre, grid, where=known)
    return pad, centre


def _best_mirror(flat: np.ndarray, centre: np.ndarray, partners: np.ndarray, need: int) -> int:
    """Index of the candidate best supported by the known cells, or -1.

    A candidate qualifies when no pair of known cells disagrees and at least ``need``
    known cells have a known partner that agrees.
    """
    other = flat[partners]
    paired = (other >= 0) & (centre >= 0)
    same = other == centre
    agree = (paired & same).sum(axis=(1, 2))
    ok = ~(paired & ~same).any(axis=(1, 2)) & (agree >= need)
    return int(np.argmax(np.where(ok, agree, -1))) if ok.any() else -1


def _symmetry_fill(grid: Grid, c: int) -> np.ndarray | None:
    """The grid with colour-c cells filled from its consistent mirror images, or None."""
    known = grid != c
    if known.all():
        return np.asarray(grid)
    h, w = grid.shape
    pad, centre = _padded(grid, known)
    flat = pad.ravel()
    need = max(1, (int(known.sum()) + 1) // 2)
    maps, axes = [], []
    for partners in _mirror_families(h, w):
        k = _best_mirror(flat, centre, partners, need)
        axes.append(k)
        if k >= 0:
            maps.append(partners[k])
    centres = {(h - 1, w - 1)} | ({(axes[0], axes[1])} if min(axes[:2]) >= 0 else set())
    turns = _rotations(h, w, centres)
    for k in range(turns.shape[0]):  # two to four turns, each judged on its own
        if _best_mirror(flat, centre, turns[k : k + 1], need) >= 0:
            maps.append(turns[k])
    for _ in range(4):  # a few rounds reach cells whose partner is filled in an earlier round
        before = int((centre < 0).sum())
        for partners in maps:
            np.copyto(centre, flat[partners], where=centre < 0)
        if (centre < 0).sum() == before:
            break
    if np.array_equal(centre >= 0, known):
        return None
    return np.where(centre < 0, c, centre)


def _exact_period(grid: Grid) -> int:
    """Smallest p such that row i equals row i + p throughout (the height if none)."""
    h = grid.shape[0]
    for p in range(1, h):  # loop over candidate periods; stops at the first one
        if np.array_equal(grid[p:], grid[:-p]):
            return p
    return h


def _shift_periods(grid: Grid, known: np.ndarray) -> list[int]:
    """Row shifts p (with p <= h/2, or h) under which all pairs of known cells agree."""
    h = grid.shape[0]
    # One comparison per shift: each shift overlaps a differently shaped slice.
    ok = [p for p in range(1, h // 2 + 1) if not ((grid[p:] != grid[:-p]) & known[p:] & known[:-p]).any()]
    return [*ok, h]


def _tile_for(grid: Grid, known: np.ndarray, py: int, px: int) -> np.ndarray | None:
    """The py x px tile agreeing with every known cell and covering every cell, or None."""
    h, w = grid.shape
    nh, nw = -(-h // py), -(-w // px)
    hi = np.full((nh * py, nw * px), -1, dtype=np.int16)
    lo = np.full((nh * py, nw * px), 10, dtype=np.int16)
    hi[:h, :w] = np.where(known, grid, -1)
    lo[:h, :w] = np.where(known, grid, 10)
    hi = hi.reshape(nh, py, nw, px).max(axis=(0, 2))
    lo = lo.reshape(nh, py, nw, px).min(axis=(0, 2))
    if (hi < 0).any() or (hi != lo).any():
        return None
    return hi


def _periodic_fill(grid: Grid, c: int) -> np.ndarray | None:
    """The grid with colour-c cells filled from its smallest consistent period, or None."""
    known = grid != c
    if known.all():
        return np.asarray(grid)
    h, w = grid.shape
    rows = _shift_periods(grid, known)
    cols = _shift_periods(grid.T, known.T)
    # Smallest tile area first: the simplest explanation of the known cells.
    for py, px in sorted(((p, q) for p in rows for q in cols), key=lambda pq: (pq[0] * pq[1], pq)):
        if py == h and px == w:
            continue
        tile = _tile_for(grid, known, py, px)
        if tile is not None:
            return np.tile(tile, (-(-h // py), -(-w // px)))[:h, :w]
    return None


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def symmetry_repair(grid: Grid, c: int) -> Grid | None:
    """Fill cells of colour c from mirror images (flips, diagonals, rotations) consistent with the rest."""
    filled = _symmetry_fill(grid, c)
    return NO_RESULT if filled is None else make(filled)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def symmetry_blank_patch(grid: Grid, c: int) -> Grid | None:
    """The symmetry-repaired content of the bounding box of the colour-c cells."""
    box = _bbox(grid == c)
    if box is None:
        return NO_RESULT
    filled = _symmetry_fill(grid, c)
    if filled is None:
        return NO_RESULT
    patch = filled[box]
    return NO_RESULT if (patch == c).any() else make(patch)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def periodic_repair(grid: Grid, c: int) -> Grid | None:
    """Fill cells of colour c from the smallest 2-D period consistent with the other cells."""
    filled = _periodic_fill(grid, c)
    return NO_RESULT if filled is None else make(filled)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def periodic_blank_patch(grid: Grid, c: int) -> Grid | None:
    """The period-repaired content of the bounding box of the colour-c cells."""
    box = _bbox(grid == c)
    if box is None:
        return NO_RESULT
    filled = _periodic_fill(grid, c)
    return NO_RESULT if filled is None else make(filled[box])


@primitive(T.GRID, ret=T.INT)
def period_rows(grid: Grid) -> int:
    """Smallest vertical period: rows repeat every this many rows (the height if never)."""
    return _exact_period(grid)


@primitive(T.GRID, ret=T.INT)
def period_cols(grid: Grid) -> int:
    """Smallest horizontal period: columns repeat every this many columns (the width if never)."""
    return _exact_period(grid.T)


@primitive(T.GRID, ret=T.GRID)
def periodic_tile(grid: Grid) -> Grid | None:
    """The top-left repeating tile of a grid periodic in rows or columns."""
    py, px = _exact_period(grid), _exact_period(grid.T)
    if (py, px) == grid.shape:
        return NO_RESULT
    return make(grid[:py, :px])


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"side": (0, 1, 2, 3)})
def symmetrize_half(grid: Grid, side: int) -> Grid | None:
    """Mirror one half onto the other: side 0 left->right, 1 right->left, 2 top->bottom, 3 bottom->top."""
    if side not in (0, 1, 2, 3):
        return NO_RESULT
    src = grid if side in (2, 3) else grid.T
    if side in (1, 3):
        src = src[::-1]
    h = src.shape[0]
    out = np.concatenate([src[: (h + 1) // 2], src[: h // 2][::-1]])
    if side in (1, 3):
        out = out[::-1]
    return make(out if side in (2, 3) else out.T)


@primitive(T.GRID, ret=T.BOOL)
def is_symmetric_lr(grid: Grid) -> bool:
    """True if the grid equals its left-right mirror image."""
    return bool(np.array_equal(grid, grid[:, ::-1]))


@primitive(T.GRID, ret=T.BOOL)
def is_symmetric_ud(grid: Grid) -> bool:
    """True if the grid equals its top-bottom mirror image."""
    return bool(np.array_equal(grid, grid[::-1]))


@primitive(T.GRID, ret=T.BOOL)
def is_symmetric_diag(grid: Grid) -> bool:
    """True if the grid is square and equals its transpose."""
    return bool(np.array_equal(grid, grid.T))


@primitive(T.GRID, ret=T.BOOL)
def is_symmetric_rot180(grid: Grid) -> bool:
    """True if the grid equals itself turned half a turn."""
    return bool(np.array_equal(grid, grid[::-1, ::-1]))


@primitive(T.BOOL, T.COLOR, T.COLOR, ret=T.GRID)
def bool_cell(flag: bool, yes: int, no: int) -> Grid | None:
    """A 1x1 grid of colour yes if flag holds, else of colour no (the answer to a yes/no test)."""
    return make([[yes if flag else no]])
