"""Primitive family: size and cropping.

Cropping to content, halves and thirds, splitting a grid into cells (at separator
lines or into equal parts) and picking one cell back out, removing repeated or empty
rows and columns, and a grid's height and width. Background is 0 unless a name says
otherwise.

Equal parts allow one-cell separators: a side of 2n+1 cells splits into two halves of
n around the middle line, a side of 3n+2 into thirds of n between two lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from dsl.grid import NO_RESULT, Grid, make
from dsl.registry import primitive
from dsl.types import T

Grids = tuple[Grid, ...]


def _crop_mask(grid: Grid, mask: np.ndarray) -> Grid | None:
    """The grid cut to the bounding box of ``mask``; NO_RESULT when the mask is empty."""
    rows = mask.any(axis=1)
    if not rows.any():
        return NO_RESULT
    cols = mask.any(axis=0)
    r0, r1 = rows.argmax(), len(rows) - rows[::-1].argmax()
    c0, c1 = cols.argmax(), len(cols) - cols[::-1].argmax()
    return make(grid[r0:r1, c0:c1])


@primitive(T.GRID, ret=T.GRID)
def crop_to_content(grid: Grid) -> Grid | None:
    """Cut to the bounding box of the non-zero cells."""
    return _crop_mask(grid, grid != 0)


@primitive(T.GRID, ret=T.GRID)
def crop_to_content_majority(grid: Grid) -> Grid | None:
    """Cut to the bounding box of the cells that differ from the most common colour."""
    background = np.bincount(grid.ravel()).argmax()
    return _crop_mask(grid, grid != background)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def crop_to_color(grid: Grid, color: int) -> Grid | None:
    """Cut to the bounding box of the cells of one colour."""
    return _crop_mask(grid, grid == color)


def _part_bounds(size: int, parts: int) -> list[tuple[int, int]] | None:
    """(start, stop) of ``parts`` equal parts of a side, skipping one-cell separators."""
    if parts < 1 or size < parts:
        return None
    if size % parts == 0:
        step = part = size // parts
    elif (size + 1) % parts == 0:
        part = (size + 1) // parts - 1
        step = part + 1
    else:
        return None
    return [(i * step, i * step + part) for i in range(parts)] if part > 0 else None


def _part(grid: Grid, axis: int, parts: int, index: int) -> Grid | None:
    """Part ``index`` of ``parts`` equal parts along ``axis`` (0: rows, 1: columns)."""
    bounds = _part_bounds(grid.shape[axis], parts)
    if bounds is None or not 0 <= index < parts:
        return NO_RESULT
    start, stop = bounds[index]
    return make(grid[start:stop] if axis == 0 else grid[:, start:stop])


def _split(grid: Grid, axis: int, parts: int) -> Grids | None:
    """All ``parts`` equal parts along ``axis``, in reading order."""
    bounds = _part_bounds(grid.shape[axis], parts)
    if bounds is None:
        return NO_RESULT
    if axis == 0:
        return tuple(make(grid[a:b]) for a, b in bounds)
    return tuple(make(grid[:, a:b]) for a, b in bounds)


@primitive(T.GRID, ret=T.GRID)
def top_half(grid: Grid) -> Grid | None:
    """The top half of the rows (the middle row of an odd height is left out)."""
    return _part(grid, 0, 2, 0)


@primitive(T.GRID, ret=T.GRID)
def bottom_half(grid: Grid) -> Grid | None:
    """The bottom half of the rows (the middle row of an odd height is left out)."""
    return _part(grid, 0, 2, 1)


@primitive(T.GRID, ret=T.GRID)
def left_half(grid: Grid) -> Grid | None:
    """The left half of the columns (the middle column of an odd width is left out)."""
    return _part(grid, 1, 2, 0)


@primitive(T.GRID, ret=T.GRID)
def right_half(grid: Grid) -> Grid | None:
    """The right half of the columns (the middle column of an odd width is left out)."""
    return _part(grid, 1, 2, 1)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"index": (0, 1, 2)})
def rows_third(grid: Grid, index: int) -> Grid | None:
    """Third number ``index`` of the rows: 0 top, 1 middle, 2 bottom."""
    return _part(grid, 0, 3, index)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"index": (0, 1, 2)})
def cols_third(grid: Grid, index: int) -> Grid | None:
    """Third number ``index`` of the columns: 0 left, 1 middle, 2 right."""
    return _part(grid, 1, 3, index)


@primitive(T.GRID, T.INT, ret=T.GRIDS, domains={"parts": (2, 3)})
def split_rows_equal(grid: Grid, parts: int) -> Grids | None:
    """Split top to bottom into ``parts`` bands of equal height."""
    return _split(grid, 0, parts)


@primitive(T.GRID, T.INT, ret=T.GRIDS, domains={"parts": (2, 3)})
def split_cols_equal(grid: Grid, parts: int) -> Grids | None:
    """Split left to right into ``parts`` bands of equal width."""
    return _split(grid, 1, parts)


@primitive(T.GRID, ret=T.GRIDS)
def split_squares(grid: Grid) -> Grids | None:
    """Cut a long grid into squares as wide as its short side (none unless the sides divide evenly)."""
    h, w = grid.shape
    if h == w or max(h, w) % min(h, w):
        return NO_RESULT
    return _split(grid, 0, h // w) if h > w else _split(grid, 1, w // h)


def _runs(keep: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each maximal run of True in a 1-D boolean array."""
    # At most 30 entries: a plain loop beats the several numpy calls a vectorised scan needs.
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, flag in enumerate(keep.tolist()):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(keep)))
    return runs


def _line_masks(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Which rows and which columns are a single colour throughout."""
    return (grid == grid[:, :1]).all(axis=1), (grid == grid[:1, :]).all(axis=0)


def _cells_between(grid: Grid, sep_rows: np.ndarray, sep_cols: np.ndarray) -> Grids | None:
    """The blocks between separator rows and columns, in reading order."""
    if not (sep_rows.any() or sep_cols.any()):
        return NO_RESULT
    row_runs, col_runs = _runs(~sep_rows), _runs(~sep_cols)
    # One slice per cell: the cell count is small and the blocks have ragged sizes.
    cells = tuple(make(grid[a:b, c:d]) for a, b in row_runs for c, d in col_runs)
    return cells or NO_RESULT


@primitive(T.GRID, T.COLOR, ret=T.GRIDS)
def split_by_color_lines(grid: Grid, color: int) -> Grids | None:
    """Cut into the cells between full rows and columns of the given colour."""
    uniform_rows, uniform_cols = _line_masks(grid)
    return _cells_between(grid, uniform_rows & (grid[:, 0] == color), uniform_cols & (grid[0] == color))


@primitive(T.GRID, ret=T.GRIDS)
def split_by_lines(grid: Grid) -> Grids | None:
    """Cut at separator lines: full rows/columns of the non-zero colour forming most lines (else 0)."""
    uniform_rows, uniform_cols = _line_masks(grid)
    counts = np.bincount(grid[:, 0][uniform_rows], minlength=10) + np.bincount(
        grid[0][uniform_cols], minlength=10
    )
    # Blank rows are common inside pictures, so a 0 line only separates when nothing else does.
    color = counts[1:].argmax() + 1 if counts[1:].any() else 0
    return _cells_between(grid, uniform_rows & (grid[:, 0] == color), uniform_cols & (grid[0] == color))


def _pick_extreme(grids: Grids, score: Callable[[Grid], int], largest: bool) -> Grid | None:
    """The one grid with the highest (or lowest) score; NO_RESULT on a tie."""
    # One score per grid: the grids have ragged shapes, so there is no array to vectorise over.
    scores = [score(g) for g in grids]
    best = max(scores) if largest else min(scores)
    return grids[scores.index(best)] if scores.count(best) == 1 else NO_RESULT


def _color_count(grid: Grid) -> int:
    """How many different non-zero colours a grid holds."""
    return int(np.count_nonzero(np.bincount(grid.ravel(), minlength=10)[1:]))


def _pick_odd(grids: Grids, key: Callable[[Grid], object]) -> Grid | None:
    """The one grid whose key no other grid shares; NO_RESULT unless exactly one."""
    keys = [key(g) for g in grids]
    counts = Counter(keys)
    lonely = [i for i, k in enumerate(keys) if counts[k] == 1]
    return grids[lonely[0]] if len(lonely) == 1 else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_first(grids: Grids) -> Grid | None:
    """The first grid."""
    return grids[0] if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_last(grids: Grids) -> Grid | None:
    """The last grid."""
    return grids[-1] if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_most_filled(grids: Grids) -> Grid | None:
    """The grid with the most non-zero cells (NO_RESULT on a tie)."""
    return _pick_extreme(grids, np.count_nonzero, largest=True) if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_least_filled(grids: Grids) -> Grid | None:
    """The grid with the fewest non-zero cells (NO_RESULT on a tie)."""
    return _pick_extreme(grids, np.count_nonzero, largest=False) if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_most_colors(grids: Grids) -> Grid | None:
    """The grid with the most different non-zero colours (NO_RESULT on a tie)."""
    return _pick_extreme(grids, _color_count, largest=True) if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_fewest_colors(grids: Grids) -> Grid | None:
    """The grid with the fewest different non-zero colours (NO_RESULT on a tie)."""
    return _pick_extreme(grids, _color_count, largest=False) if grids else NO_RESULT


@primitive(T.GRIDS, ret=T.GRID)
def pick_odd_one_out(grids: Grids) -> Grid | None:
    """The only grid that equals no other grid (NO_RESULT unless exactly one)."""
    return _pick_odd(grids, lambda g: (g.shape, g.tobytes()))


@primitive(T.GRIDS, ret=T.GRID)
def pick_odd_shape_out(grids: Grids) -> Grid | None:
    """The only grid whose pattern of non-zero cells no other grid shares, colours ignored."""
    return _pick_odd(grids, lambda g: (g.shape, np.packbits(g != 0).tobytes()))


@primitive(T.GRID, ret=T.GRID)
def dedupe_rows(grid: Grid) -> Grid | None:
    """Collapse each run of identical consecutive rows into one row."""
    keep = np.ones(grid.shape[0], dtype=bool)
    keep[1:] = (grid[1:] != grid[:-1]).any(axis=1)
    return make(grid[keep])


@primitive(T.GRID, ret=T.GRID)
def dedupe_cols(grid: Grid) -> Grid | None:
    """Collapse each run of identical consecutive columns into one column."""
    keep = np.ones(grid.shape[1], dtype=bool)
    keep[1:] = (grid[:, 1:] != grid[:, :-1]).any(axis=0)
    return make(grid[:, keep])


@primitive(T.GRID, ret=T.GRID)
def remove_empty_lines(grid: Grid) -> Grid | None:
    """Drop every row and every column that is all background 0."""
    mask = grid != 0
    return make(grid[mask.any(axis=1)][:, mask.any(axis=0)])


@primitive(T.GRID, ret=T.GRID)
def trim_border(grid: Grid) -> Grid | None:
    """Remove the outermost ring of cells."""
    h, w = grid.shape
    return make(grid[1:-1, 1:-1]) if h > 2 and w > 2 else NO_RESULT


@primitive(T.GRID, ret=T.INT)
def grid_height(grid: Grid) -> int:
    """The number of rows."""
    return int(grid.shape[0])


@primitive(T.GRID, ret=T.INT)
def grid_width(grid: Grid) -> int:
    """The number of columns."""
    return int(grid.shape[1])
