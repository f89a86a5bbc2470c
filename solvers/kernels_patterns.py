"""Batched kernels for the repairs of the patterns family (see :mod:`solvers.kernels` for the contract).

The primitives pick, per grid, the mirror axes or the period that the known cells support.
Here every candidate axis (or period) is scored for the whole stack at once, each grid
chooses by the primitive's rules from its row of scores, and the fill is a few gathers.

Cells are held flat, ``(K, H * W + 1)``, unknown cells as -1; the last column is a
sentinel, always unknown, the partner of every cell whose mirror image falls outside the
grid or on itself, so that such a partner says nothing.

``symmetry_blank_patch`` and ``periodic_blank_patch`` have no kernel: their output is the
box of the colour-c cells, a shape that depends on the cells.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from solvers.kernels import Result, StackCache, kernel

UNKNOWN = np.int8(-1)


# --- symmetry: the candidate mirrors ---------------------------------------------------


def _partner_index(h: int, w: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Flat partner of every cell (the sentinel where outside the grid or the cell itself)."""
    i, j = np.divmod(np.arange(h * w), w)
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w) & ((rows != i) | (cols != j))
    return np.where(inside, rows * w + cols, h * w).astype(np.intp)


@lru_cache(maxsize=64)
def _mirror_families(h: int, w: int) -> tuple[np.ndarray, ...]:
    """Per family of mirrors, partner indices ``(n + 1, H * W)``; the extra last row is no map.

    Families and their order as the primitive's: row flips i -> a - i, column flips
    j -> b - j, reflections about the lines i - j = d and about the lines i + j = s.
    """
    i, j = np.divmod(np.arange(h * w), w)
    a = np.arange(2 * h - 1)[:, None]
    b = np.arange(2 * w - 1)[:, None]
    d = np.arange(-(w - 1), h)[:, None]
    s = np.arange(h + w - 1)[:, None]
    maps = ((a - i, j + 0 * a), (i + 0 * b, b - j), (j + d, i - d), (s - j, s - i))
    families = []
    for rows, cols in maps:
        table = np.vstack((_partner_index(h, w, rows, cols), np.full(h * w, h * w)))
        table.setflags(write=False)
        families.append(table)
    return tuple(families)


@lru_cache(maxsize=64)
def _line_bins(h: int) -> np.ndarray:
    """Bin i + i' of the entry (i, i') of an H x H matrix; i == i', a line onto itself, dropped."""
    i, i2 = np.indices((h, h))
    bins = np.where(i == i2, 2 * h - 1, i + i2)
    bins.setflags(write=False)
    return bins


@lru_cache(maxsize=64)
def _skews(h: int, w: int, reversed_cols: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat indices laying a grid out by anti-diagonals, and the bins by i - j that undo it.

    ``[u, i]`` reads cell (i, u - i) and ``[u, j]`` cell (u - j, j), the sentinel outside
    the grid, of the grid or of its mirror image left to right; an H x W matrix's entry
    (i, j) goes to bin i - j + W - 1.
    """
    image = np.arange(h * w).reshape(h, w)  # where each cell of the image is stored
    if reversed_cols:
        image = image[:, ::-1]
    u = np.arange(h + w - 1)[:, None]
    i, j = np.arange(h)[None, :], np.arange(w)[None, :]
    col, row = u - i, u - j
    by_row = np.where((col >= 0) & (col < w), image[i, np.clip(col, 0, w - 1)], h * w)
    by_col = np.where((row >= 0) & (row < h), image[np.clip(row, 0, h - 1), j], h * w)
    ii, jj = np.indices((h, w))
    bins = ii - jj + w - 1
    for array in (by_row, by_col, bins):
        array.setflags(write=False)
    return by_row, by_col, bins


@lru_cache(maxsize=64)
def _centre_first(h: int, w: int) -> np.ndarray:
    """Whether the grid's centre comes first when the primitive turns about it and (a/2, b/2).

    The primitive iterates over a Python set of the two centres and fills from the turns in
    that order, so the order is read off that same set once per shape, indexed ``[a, b]``.
    """
    centre = (h - 1, w - 1)
    first = [[next(iter({centre} | {(a, b)})) == centre for b in range(2 * w - 1)] for a in range(2 * h - 1)]
    return np.array(first, dtype=bool)


# --- symmetry: every mirror scored at once ---------------------------------------------
#
# A mirror fits a grid when no two known cells it pairs differ; among those that fit, the
# primitive takes the one pairing the most known cells. Both counts are sums over pairs:
# with k (known), v (colour) and v^2 as channels, the known pairs are the sum of k k', and
# the squared differences v^2 + v'^2 - 2 v v' over the pairs, which a mirror (an
# involution) meets from both ends, sum to twice v^2 k' - v v': zero exactly where every
# pair agrees. For a family of mirrors those sums are Gram matrices of lines of cells,
# summed along their (anti-)diagonals, and exact in float32 (integers under 2^24).


def _channels(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Known cells as 1, their colours (0 where unknown), the colours squared: float32."""
    value = np.maximum(x, 0).astype(np.float32)
    return (x >= 0).astype(np.float32), value, value * value


def _sum_by(matrices: np.ndarray, bins: np.ndarray, n: int) -> np.ndarray:
    """Sums of each matrix's entries by bin, ``(N, n)``; entries in bin n are dropped.

    ``bincount`` rather than a product with a 0/1 matrix: that product is large enough for
    OpenBLAS to spread over threads, which on a busy machine costs a hundred times more.
    """
    m = len(matrices)
    keys = (np.arange(m)[:, None] * (n + 1) + bins.ravel()).ravel()
    sums = np.bincount(keys, weights=matrices.reshape(m, -1).ravel(), minlength=m * (n + 1))
    return sums.reshape(m, n + 1)[:, :n]


def _line_flips(grid: np.ndarray) -> np.ndarray:
    """Known pairs and disagreement ``(2K, 2H - 1)`` per flip i -> a - i of ``grid (K, H, W)``.

    Rows i and i' meet under the flip about i + i' = a: Gram matrices of the rows.
    """
    known, value, square = _channels(grid)
    pairs = known @ known.transpose(0, 2, 1)
    first = np.concatenate((square, value), axis=2)
    clash = first @ np.concatenate((known, -value), axis=2).transpose(0, 2, 1)
    return _sum_by(np.concatenate((pairs, clash)), _line_bins(grid.shape[1]), 2 * grid.shape[1] - 1)


def _diagonal_flips(cells: np.ndarray, grid: np.ndarray, reversed_cols: bool) -> np.ndarray:
    """As :func:`_line_flips`, per reflection about i - j = d, d from -(W - 1) to H - 1.

    Cell (i, j) meets (j + d, i - d) on its own anti-diagonal u = i + j: laid out by
    anti-diagonals, the reflection pairs position i with position i - d. The reflections
    about i + j = s are those about i - j = s - (W - 1) once columns are reversed.
    """
    _, h, w = grid.shape
    by_row, by_col, bins = _skews(h, w, reversed_cols)
    rows, cols = _channels(cells[:, by_row]), _channels(cells[:, by_col])
    # Entry (i, j) also meets cell (i, j) with itself, as the reflection about its own line
    # leaves it: dropped from the pairs (its v^2 - v v' is 0 already).
    own = grid[:, :, ::-1] if reversed_cols else grid
    pairs = rows[0].transpose(0, 2, 1) @ cols[0] - (own >= 0)
    first = np.concatenate((rows[2], rows[1]), axis=1).transpose(0, 2, 1)
    clash = first @ np.concatenate((cols[0], -cols[1]), axis=1)
    return _sum_by(np.concatenate((pairs, clash)), bins, h + w - 1)


def _mirror_scores(cells: np.ndarray, h: int, w: int) -> list[np.ndarray]:
    """Per family, known pairs and disagreement per grid and candidate, ``(2, K, n)`` ints."""
    k = len(cells)
    grid = cells[:, : h * w].reshape(k, h, w)
    scores = (
        _line_flips(grid),
        _line_flips(grid.transpose(0, 2, 1)),
        _diagonal_flips(cells, grid, reversed_cols=False),
        _diagonal_flips(cells, grid, reversed_cols=True),
    )
    return [np.rint(s).astype(np.int32).reshape(2, k, -1) for s in scores]


def _best(scores: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Per grid, the first candidate pairing the most known cells among those with no
    disagreement and at least ``need`` pairs; -1 where there is none."""
    pairs, clash = scores
    ok = (clash == 0) & (pairs >= need[:, None])
    best = np.argmax(np.where(ok, pairs, -1), axis=1)
    return np.where(ok.any(axis=1), best, -1)


# --- symmetry: turns, judged one by one ------------------------------------------------


def _turn_centres(h: int, w: int, rows: np.ndarray, cols: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """Per grid, the centres (a, b) of the turns in the primitive's order, and which exist.

    The turns are about the grid's centre and, where a row and a column flip were both
    found, about the crossing of their axes.
    """
    k = len(rows)
    second = (rows >= 0) & (cols >= 0) & ((rows != h - 1) | (cols != w - 1))
    swap = second & ~_centre_first(h, w)[np.maximum(rows, 0), np.maximum(cols, 0)]
    centre_a, centre_b = np.full(k, h - 1), np.full(k, w - 1)
    return [
        (np.where(swap, rows, centre_a), np.where(swap, cols, centre_b), np.ones(k, dtype=bool)),
        (np.where(swap, centre_a, rows), np.where(swap, centre_b, cols), second),
    ]


def _moved(
    h: int, w: int, row0: np.ndarray, col0: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Partners ``(K, H * W)``: cell x of grid k goes to (row0[k] + rows[x], col0[k] + cols[x])."""
    r = row0[:, None].astype(np.int16) + rows
    c = col0[:, None].astype(np.int16) + cols
    # Negative rows wrap to large unsigned ones: one comparison checks both bounds.
    inside = (r.view(np.uint16) < h) & (c.view(np.uint16) < w)
    return np.where(inside, r.astype(np.intp) * w + c, h * w)


def _turns(h: int, w: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Partners ``(K, H * W)`` of each grid's half and quarter turn about (a/2, b/2)."""
    i, j = (x.astype(np.int16) for x in np.divmod(np.arange(h * w), w))
    half = _moved(h, w, a, b, -i, -j)
    quarter = _moved(h, w, (a - b) // 2, (a + b) // 2, j, -i)
    # Both turns leave the centre cell, where there is one, in place: it says nothing.
    on_cell = np.flatnonzero((a % 2 == 0) & (b % 2 == 0))
    centre = (a[on_cell] // 2) * w + b[on_cell] // 2
    half[on_cell, centre] = quarter[on_cell, centre] = h * w
    return half, quarter


def _fits(cells: np.ndarray, partners: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Per grid, whether its own map ``partners (K, H * W)`` alone fits and pairs ``need`` cells."""
    n = cells.shape[1] - 1
    other = np.take(cells, partners + (n + 1) * np.arange(len(cells))[:, None])
    own = cells[:, :n]
    pairs = np.count_nonzero((own >= 0) & (other >= 0), axis=1)
    return (np.count_nonzero((own == other) & (own >= 0), axis=1) == pairs) & (pairs >= need)


def _kept_turns(cells: np.ndarray, need: np.ndarray, shape: tuple[int, int], axes: list[np.ndarray]) -> list:
    """Partners ``(K, H * W)`` of the turns each grid keeps, in the primitive's order.

    Per centre, the half turn and, where the centre allows one, the quarter turn; each is
    kept where it alone fits. A turn a grid does not keep maps to the sentinel; one that
    no grid keeps is left out, as filling from it would change nothing.
    """
    h, w = shape
    kept = []
    for a, b, exists in _turn_centres(h, w, axes[0], axes[1]):
        if not exists.any():
            continue
        half, quarter = _turns(h, w, a, b)
        for partners, present in ((half, exists), (quarter, exists & ((a - b) % 2 == 0))):
            keep = present & _fits(cells, partners, need)
            if keep.any():
                kept.append(np.where(keep[:, None], partners, h * w))
    return kept


# --- symmetry: the fill ----------------------------------------------------------------


def _fill(cells: np.ndarray, maps: list[np.ndarray]) -> None:
    """Fill unknown cells from their partners, map after map, for up to four rounds."""
    k, n = cells.shape[0], cells.shape[1] - 1
    flat, grid = cells.ravel(), cells[:, :n]
    # Indices into the whole raveled stack: one gather per map and round.
    offsets = (n + 1) * np.arange(k)[:, None]
    maps = [partners + offsets for partners in maps if (partners < n).any()]
    unknown = np.count_nonzero(grid < 0)
    for _ in range(4):  # as the primitive: a round that changes nothing changes nothing again
        for partners in maps:
            # An unknown cell (-1) plus its partner's colour + 1 becomes that colour.
            grid += (grid < 0) * (np.take(flat, partners) + np.int8(1))
        before, unknown = unknown, np.count_nonzero(grid < 0)
        if unknown == before:
            break


# The repairs of the last few stacks: the blank patches of the same colour (solvers.kernels_crops)
# cut them again whenever they are handed the very same read-only stack as the repair step.
_REPAIRS = StackCache(8)


@kernel("symmetry_repair")
def symmetry_repair(batch: np.ndarray, c: int) -> Result:
    """Batched symmetry_repair: valid where a grid has no colour-c cell or some were filled."""
    return _REPAIRS.get(batch, ("symmetry", c), lambda b: _symmetry_repair(b, c))


def _symmetry_repair(batch: np.ndarray, c: int) -> Result:
    k, h, w = batch.shape
    n = h * w
    known = batch.reshape(k, n) != c
    cells = np.full((k, n + 1), UNKNOWN)
    cells[:, :n] = np.where(known, batch.reshape(k, n), UNKNOWN)
    need = np.maximum(1, (np.count_nonzero(known, axis=1) + 1) // 2)
    maps, axes = [], []
    for table, scores in zip(_mirror_families(h, w), _mirror_scores(cells, h, w), strict=True):
        best = _best(scores, need)
        axes.append(best)
        maps.append(table[best])  # -1 picks the last row: no map
    _fill(cells, maps + _kept_turns(cells, need, (h, w), axes))
    filled = cells[:, :n]
    valid = known.all(axis=1) | (np.count_nonzero(filled >= 0, axis=1) > np.count_nonzero(known, axis=1))
    return np.where(filled < 0, np.int8(c), filled).reshape(k, h, w), valid


# --- periods ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _periods(h: int, w: int) -> tuple[tuple[int, int], ...]:
    """Candidate tiles (py, px), smallest area first, then by py: the primitive's order.

    A side is a candidate up to half the grid's side, or the whole side; not both whole.
    """
    rows = [*range(1, h // 2 + 1), h]
    cols = [*range(1, w // 2 + 1), w]
    pairs = [(p, q) for p in rows for q in cols if (p, q) != (h, w)]
    return tuple(sorted(pairs, key=lambda pq: (pq[0] * pq[1], pq)))


def _shift_ok(batch: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``ok[k, p]``: in grid k, known cells p rows apart agree (p up to H // 2; p = H always)."""
    k, h, _ = batch.shape
    ok = np.ones((k, h + 1), dtype=bool)
    for p in range(1, h // 2 + 1):
        clash = (batch[:, p:] != batch[:, :-p]) & known[:, p:] & known[:, :-p]
        ok[:, p] = ~clash.any(axis=(1, 2))
    return ok


def _tile_bounds(bounds: np.ndarray, h: int, w: int, py: int, px: int) -> np.ndarray:
    """Per grid and tile cell, the largest known value and 9 minus the smallest, ``(2, K, py, px)``.

    ``bounds`` holds both, unknown as -1, on a canvas twice the grid's sides, so a whole
    number of tiles always fits.
    """
    k = bounds.shape[1]
    nh, nw = -(-h // py), -(-w // px)
    blocks = bounds[:, :, : nh * py, : nw * px].reshape(2, k, nh, py, nw, px)
    return blocks.max(axis=(2, 4))


@kernel("periodic_repair")
def periodic_repair(batch: np.ndarray, c: int) -> Result:
    """Batched periodic_repair (see :func:`_periodic_repair`)."""
    return _REPAIRS.get(batch, ("period", c), lambda b: _periodic_repair(b, c))


def _periodic_repair(batch: np.ndarray, c: int) -> Result:
    """Each grid takes the first candidate tile that fits its known cells.

    The primitive tries only tiles whose sides are shifts its known cells agree under; a tile
    that fits always has such sides, so trying every tile in order gives the same choice.
    Those shifts still prune: a tile is tried only on the grids, still without one, that
    agree under both its sides, so on most grids most candidates cost nothing.
    """
    k, h, w = batch.shape
    known = batch != c
    bounds = np.full((2, k, 2 * h, 2 * w), UNKNOWN)
    bounds[0, :, :h, :w] = np.where(known, batch, UNKNOWN)
    bounds[1, :, :h, :w] = np.where(known, 9 - batch, UNKNOWN)
    rows_ok = _shift_ok(batch, known)
    cols_ok = _shift_ok(batch.transpose(0, 2, 1), known.transpose(0, 2, 1))
    out = batch.copy()
    todo = ~known.all(axis=(1, 2))
    valid = ~todo
    i, j = np.indices((h, w))
    for py, px in _periods(h, w):
        ids = np.flatnonzero(todo & rows_ok[:, py] & cols_ok[:, px])
        if ids.size == 0:
            continue
        top, low = _tile_bounds(bounds[:, ids], h, w, py, px)
        fits = (top + low == 9).all(axis=(1, 2))  # every tile cell known, its values all equal
        ids, top = ids[fits], top[fits]
        out[ids] = top[:, i % py, j % px]
        todo[ids] = False
        valid[ids] = True
        if not todo.any():
            break
    return out, valid
