"""Batched crops: primitives that cut every grid of a stack to a box found from its cells.

A crop's output shape depends on the grid's content (where its largest object lies), so
crops do not meet the one-shape contract of :mod:`solvers.kernels` and stay in its
:data:`~solvers.kernels.NO_KERNEL` table. Grid by grid, each cost a labelling and a few
dozen numpy calls per state, the largest per-state cost in the search. Here a *box kernel*
finds, for a whole ``(K, H, W)`` stack at once, the box each grid is cut to, and
:func:`cut` gathers the boxes of each shape in one fancy-indexing call, so the Python work
grows with the distinct output shapes of a stack, not with its grids.

Contract, for the primitive ``name`` registered with ``@box_kernel(name)``:

- ``k(batch, *literals)`` returns ``Boxes``: per grid the rows ``top:bottom`` and columns
  ``left:right`` to keep (int arrays ``(K,)``) and ``valid``, false where the primitive has
  no result (the box means nothing there). ``batch`` is never written to.
- Cut to its box, every valid grid equals the primitive's output, ``NO_RESULT`` cases
  included (a differential test checks this on every literal binding).

Object crops share the stack's labellings with the object kernels (:mod:`solvers.kernels_objects`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dsl.grid import NUM_COLORS
from solvers import kernels_objects as ko
from solvers.kernels import KERNELS, color_counts, register_in

__all__ = ["BOX_KERNELS", "Boxes", "Cut", "box_kernel", "cut", "mask_boxes", "run"]


class Boxes(NamedTuple):
    """Per grid of a stack, the box to keep (ends exclusive) and whether there is one.

    ``source``, when given, is the stack the boxes are cut from instead of the batch (a
    repaired copy of it, for the patches of :mod:`dsl.patterns`).
    """

    top: np.ndarray
    left: np.ndarray
    bottom: np.ndarray
    right: np.ndarray
    valid: np.ndarray
    source: np.ndarray | None = None


class Cut(NamedTuple):
    """A stack cut to its boxes, grouped by output shape, first shape first.

    Grid k, when valid, is ``stacks[shape_of[k]][position[k]]``; ``shape_of`` is -1 where
    there is no result. Each stack holds only the grids of its shape.
    """

    shape_of: np.ndarray
    position: np.ndarray
    stacks: list[np.ndarray]


BoxKernel = Callable[..., Boxes]
BOX_KERNELS: dict[str, BoxKernel] = {}


def box_kernel(name: str) -> Callable[[BoxKernel], BoxKernel]:
    """Register a function as the box kernel of primitive ``name``; a taken name raises ValueError."""
    return register_in(BOX_KERNELS, "box kernel", name)


def run(name: str, batch: np.ndarray, literals: tuple[int | bool, ...]) -> Cut:
    """Primitive ``name`` on every grid of ``batch`` through its box kernel."""
    boxes = BOX_KERNELS[name](batch, *literals)
    return cut(batch if boxes.source is None else boxes.source, boxes)


def cut(batch: np.ndarray, boxes: Boxes) -> Cut:
    """Every valid grid of ``batch`` cut to its box: one gather per distinct box shape."""
    k = len(batch)
    shape_of, position = np.full(k, -1, dtype=np.intp), np.zeros(k, dtype=np.intp)
    rows = np.flatnonzero(boxes.valid)
    heights, widths = (boxes.bottom - boxes.top)[rows], (boxes.right - boxes.left)[rows]
    keys, first, inverse = np.unique(
        heights * (batch.shape[2] + 1) + widths, return_index=True, return_inverse=True
    )
    stacks = []
    for g in np.argsort(first, kind="stable"):  # shapes in the order of their first grid
        chosen = rows[inverse.reshape(-1) == g]
        h, w = divmod(int(keys[g]), batch.shape[2] + 1)
        down = boxes.top[chosen, None] + np.arange(h)
        across = boxes.left[chosen, None] + np.arange(w)
        out = batch[chosen[:, None, None], down[:, :, None], across[:, None, :]]
        out.setflags(write=False)  # a state, like the per-grid path's crops
        shape_of[chosen], position[chosen] = len(stacks), np.arange(len(chosen))
        stacks.append(out)
    return Cut(shape_of, position, stacks)


# --- boxes of masks --------------------------------------------------------------------------


def _first_true(mask: np.ndarray) -> np.ndarray:
    """Per row of a 2-D mask, the index of its first true entry (0 when there is none)."""
    return mask.argmax(axis=1)


def mask_boxes(mask: np.ndarray) -> Boxes:
    """Per grid of a ``(K, H, W)`` mask, the bounding box of its true cells."""
    rows, cols = mask.any(axis=2), mask.any(axis=1)
    h, w = mask.shape[1:]
    top, bottom = _first_true(rows), h - _first_true(rows[:, ::-1])
    left, right = _first_true(cols), w - _first_true(cols[:, ::-1])
    return Boxes(top, left, bottom, right, rows.any(axis=1))


@box_kernel("crop_to_content")
def crop_to_content(batch: np.ndarray) -> Boxes:
    """Box of crop_to_content: the non-0 cells."""
    return mask_boxes(batch != 0)


@box_kernel("crop_to_content_majority")
def crop_to_content_majority(batch: np.ndarray) -> Boxes:
    """Box of crop_to_content_majority: the cells off each grid's most common colour."""
    background = color_counts(batch).argmax(axis=1)  # ties: the smaller colour, as bincount's argmax
    return mask_boxes(batch != background[:, None, None].astype(np.int8))


@box_kernel("crop_to_color")
def crop_to_color(batch: np.ndarray, c: int) -> Boxes:
    """Box of crop_to_color: the cells of colour c."""
    return mask_boxes(batch == c)


# --- patches: the repaired content of the box of one colour ---------------------------------


def _inside(boxes: Boxes, shape: tuple[int, ...]) -> np.ndarray:
    """Per cell of a stack, whether it lies in its grid's box."""
    rows, cols = np.arange(shape[1])[None, :, None], np.arange(shape[2])[None, None, :]
    down = (rows >= boxes.top[:, None, None]) & (rows < boxes.bottom[:, None, None])
    return down & (cols >= boxes.left[:, None, None]) & (cols < boxes.right[:, None, None])


@box_kernel("symmetry_blank_patch")
def symmetry_blank_patch(batch: np.ndarray, c: int) -> Boxes:
    """Box of symmetry_blank_patch: the colour-c cells, cut from the repaired grid if it left none there."""
    repaired, ok = KERNELS["symmetry_repair"](batch, c)
    boxes = mask_boxes(batch == c)
    left_over = ((repaired == c) & _inside(boxes, batch.shape)).any(axis=(1, 2))
    valid = boxes.valid & ~left_over if ok is None else boxes.valid & ok & ~left_over
    return boxes._replace(valid=valid, source=repaired)


@box_kernel("periodic_blank_patch")
def periodic_blank_patch(batch: np.ndarray, c: int) -> Boxes:
    """Box of periodic_blank_patch: the colour-c cells, cut from the period-repaired grid."""
    repaired, ok = KERNELS["periodic_repair"](batch, c)
    boxes = mask_boxes(batch == c)
    return boxes._replace(valid=boxes.valid if ok is None else boxes.valid & ok, source=repaired)


# --- boxes of chosen objects ------------------------------------------------------------------


def _no_boxes(k: int) -> Boxes:
    zeros = np.zeros(k, dtype=np.intp)
    return Boxes(zeros, zeros, zeros, zeros, np.zeros(k, dtype=bool))


def _chosen_boxes(batch: np.ndarray, conn: int, chosen: np.ndarray) -> Boxes:
    """Per grid, the box of its chosen object; valid only where exactly one is chosen."""
    k = len(batch)
    comps = ko.stack_components(batch, conn)
    one = np.bincount(comps.grid[chosen], minlength=k) == 1
    picked = chosen & one[comps.grid]
    top, left, bottom, right = (np.zeros(k, dtype=np.intp) for _ in range(4))
    grids = comps.grid[picked]
    t, l, b, r = (side[picked] for side in ko.stack_boxes(batch, conn))
    top[grids], left[grids], bottom[grids], right[grids] = t, l, b + 1, r + 1
    return Boxes(top, left, bottom, right, one)


def _by_size(batch: np.ndarray, conn: int, sign: int) -> Boxes:
    """Box of the one largest (sign 1) or smallest (-1) object of each grid."""
    if conn not in ko.CONNS:
        return _no_boxes(len(batch))
    comps = ko.stack_components(batch, conn)
    return _chosen_boxes(batch, conn, ko.one_best(comps, len(batch), sign * comps.sizes))


@box_kernel("crop_to_largest_object")
def crop_to_largest_object(batch: np.ndarray, conn: int) -> Boxes:
    """Box of crop_to_largest_object."""
    return _by_size(batch, conn, 1)


@box_kernel("crop_to_smallest_object")
def crop_to_smallest_object(batch: np.ndarray, conn: int) -> Boxes:
    """Box of crop_to_smallest_object."""
    return _by_size(batch, conn, -1)


@box_kernel("crop_to_unique_color_object")
def crop_to_unique_color_object(batch: np.ndarray, conn: int) -> Boxes:
    """Box of crop_to_unique_color_object: the one object holding a colour no other object holds."""
    if conn not in ko.CONNS:
        return _no_boxes(len(batch))
    comps = ko.stack_components(batch, conn)
    n = len(comps.sizes)
    inside = comps.ids >= 0
    holds = np.zeros((n, NUM_COLORS), dtype=bool)
    holds[comps.ids[inside], batch[inside]] = True
    # per grid and colour, how many of its objects hold that colour
    keys = comps.grid[:, None] * NUM_COLORS + np.arange(NUM_COLORS)
    holders = np.bincount(keys.ravel(), weights=holds.ravel(), minlength=len(batch) * NUM_COLORS)
    return _chosen_boxes(batch, conn, (holds & (holders[keys] == 1)).any(axis=1))


@box_kernel("crop_to_unique_shape_object")
def crop_to_unique_shape_object(batch: np.ndarray, conn: int) -> Boxes:
    """Box of crop_to_unique_shape_object: the one object whose shape no other object has."""
    if conn not in ko.CONNS:
        return _no_boxes(len(batch))
    comps = ko.stack_components(batch, conn)
    return _chosen_boxes(batch, conn, _unique_shapes(batch, conn, comps))


def _unique_shapes(batch: np.ndarray, conn: int, comps: ko.Comps) -> np.ndarray:
    """Per object, whether no other object of its grid has its shape (cells in the box, colours aside).

    Objects are first told apart by grid, box size and cell count. Those that share all
    three with another are compared cell by cell, over their cell masks laid out in their
    boxes, unless they fill their boxes: then the box alone is the shape (noise cells).
    """
    top, left, bottom, right = ko.stack_boxes(batch, conn)
    heights, widths = bottom - top + 1, right - left + 1
    # one integer per (grid, height, width, size): sides up to 30, sizes up to 900
    coarse = ((comps.grid * 31 + heights) * 31 + widths) * 901 + comps.sizes
    _, group, count = np.unique(coarse, return_inverse=True, return_counts=True)
    unique = count[group] == 1
    tied = np.flatnonzero(~unique & (comps.sizes != heights * widths))
    if not len(tied):
        return unique
    inside = comps.ids >= 0
    ids = comps.ids[inside]
    rows, cols = (np.broadcast_to(a, batch.shape)[inside] for a in np.indices(batch.shape[1:]))
    row_of = np.full(len(comps.sizes), -1, dtype=np.intp)
    row_of[tied] = np.arange(len(tied))
    keep = row_of[ids] >= 0
    ids, rows, cols = ids[keep], rows[keep], cols[keep]
    # objects tied on the coarse key have equal widths: equal layouts mean equal shapes
    masks = np.zeros((len(tied), int((heights * widths)[tied].max())), dtype=bool)
    masks[row_of[ids], (rows - top[ids]) * widths[ids] + cols - left[ids]] = True
    prefix = coarse[tied].astype(np.int64)[:, None].view(np.uint8)
    rows_bytes = np.ascontiguousarray(np.concatenate([prefix, np.packbits(masks, axis=1)], axis=1))
    # each row as one opaque value: a 1-D unique sorts them as byte strings
    _, group, count = np.unique(
        rows_bytes.view(f"V{rows_bytes.shape[1]}").ravel(), return_inverse=True, return_counts=True
    )
    unique[tied] = count[group] == 1
    return unique
