"""Object selection: the output is one of the input's objects, picked as the extreme of a property.

Many tasks whose outputs are smaller than their inputs cut one object out: "the object with
the most red cells", "the only symmetric one", "the one with the most colours". The DSL
has selectors for the common criteria (largest, unique colour, ...); here the criterion is
fitted from the demonstrations instead, over a table of object properties: sizes, box
sides, colour counts, how many cells of each colour, how many objects share its shape or
colour, mirror symmetry, position, and touching the border.

A selection is a connectivity (:data:`dsl.components.MODES`), a property, a sense (most or
least) and a crop (the box as it is in the grid, the object alone on background 0, or what
a frame holds: the box inside its outer ring). It stays exact like every fit of the search:
it fits only when, in every demonstration, the one object with the extreme value (no tie)
cropped gives the output; and it answers only when every test input has one such object too.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Task
from dsl import components as cc
from dsl.grid import NUM_COLORS
from dsl.objects import Object, Objects, objects_of

CONNECTIVITY = {
    cc.SINGLE_4: "one colour, edge-connected",
    cc.SINGLE_8: "one colour, with corners",
    cc.MULTI_4: "any colours, edge-connected",
    cc.MULTI_8: "any colours, with corners",
    cc.WITH_BACKGROUND_4: "background regions too, edge-connected",
    cc.WITH_BACKGROUND_8: "background regions too, with corners",
}
PROPERTIES = (
    "size",
    "height",
    "width",
    "box_area",
    "box_gaps",  # cells of its box not in it
    "colours",
    "same_shape",  # objects of its shape, itself included
    "same_colour",  # objects of its main colour, itself included
    "mirror_lr",
    "mirror_ud",
    "top",
    "left",
    "bottom",
    "right",
    "on_border",
    *(f"cells_of_{c}" for c in range(NUM_COLORS)),
)
# The grid under its box; the object on background 0; the grid inside its box's outer ring.
CROPS = ("box", "alone", "inside")


@dataclass(frozen=True)
class Selection:
    """A fitted selection and its outputs on the test inputs."""

    mode: int
    crop: str
    prop: str
    most: bool
    outputs: tuple[np.ndarray, ...]

    @property
    def text(self) -> str:
        sense = "most" if self.most else "least"
        return f"object selection: {sense} {self.prop} ({CONNECTIVITY[self.mode]}), {self.crop}"

    def on(self, grid: np.ndarray) -> np.ndarray | None:
        """The selection made on ``grid``: its one extreme object cropped, or None."""
        objs = objects_of(grid, self.mode)
        if not objs:
            return None
        k = _pick(property_table(objs, grid.shape)[:, PROPERTIES.index(self.prop)], self.most)
        return None if k is None else cropped(grid, objs[k], self.crop)


def applicable(task: Task) -> bool:
    """Whether every demonstration output is smaller than its input: in one side, and larger in none."""
    return all(
        p.output.shape != p.input.shape
        and all(o <= i for o, i in zip(p.output.shape, p.input.shape, strict=True))
        for p in task.train
    )


def fit(task: Task, deadline: float, limit: int = 2) -> list[Selection]:
    """Up to ``limit`` selections with distinct test outputs, in the order tried.

    Stops at ``deadline`` (``time.time()``) with the selections found so far.
    """
    if not applicable(task):
        return []
    found: list[Selection] = []
    seen: set[tuple] = set()
    for mode in CONNECTIVITY:
        if time.time() > deadline:
            break
        for selection in _fits(task, mode):
            key = tuple((o.shape, o.tobytes()) for o in selection.outputs)
            if key not in seen:
                seen.add(key)
                found.append(selection)
            if len(found) == limit:
                return found
    return found


def _fits(task: Task, mode: int) -> Iterator[Selection]:
    demos = [objects_of(p.input, mode) for p in task.train]
    tests = [objects_of(p.input, mode) for p in task.test]
    if not all(demos) or not all(tests):
        return
    demo_props = [property_table(objs, p.input.shape) for objs, p in zip(demos, task.train, strict=True)]
    test_props = [property_table(objs, p.input.shape) for objs, p in zip(tests, task.test, strict=True)]
    for crop in CROPS:
        # per demonstration, which objects cropped give its output
        right = [
            np.array([_same(cropped(p.input, o, crop), p.output) for o in objs])
            for objs, p in zip(demos, task.train, strict=True)
        ]
        if not all(r.any() for r in right):
            continue
        for k, prop in enumerate(PROPERTIES):
            for most in (True, False):
                if not all(
                    _pick(t[:, k], most) in np.flatnonzero(r) for t, r in zip(demo_props, right, strict=True)
                ):
                    continue
                picked = [_pick(t[:, k], most) for t in test_props]
                if any(i is None for i in picked):
                    continue
                outputs = [
                    cropped(p.input, objs[i], crop)
                    for p, objs, i in zip(task.test, tests, picked, strict=True)
                ]
                if all(o is not None for o in outputs):
                    yield Selection(mode, crop, prop, most, tuple(outputs))


def _pick(values: np.ndarray, most: bool) -> int | None:
    """The index of the one largest (or smallest) value; None on a tie."""
    best = values.max() if most else values.min()
    at = np.flatnonzero(values == best)
    return int(at[0]) if len(at) == 1 else None


def _same(a: np.ndarray | None, b: np.ndarray) -> bool:
    return a is not None and a.shape == b.shape and bool(np.array_equal(a, b))


def cropped(grid: np.ndarray, obj: Object, crop: str) -> np.ndarray | None:
    """The object's box as it is in the grid, the object alone on background 0, or what its
    box holds inside its outer ring (a frame's contents; None for a box too thin to hold any)."""
    if crop == "alone":
        return np.where(obj.patch >= 0, obj.patch, 0).astype(np.int8)
    ring = int(crop == "inside")
    rows = slice(obj.top + ring, obj.top + obj.height - ring)
    cols = slice(obj.left + ring, obj.left + obj.width - ring)
    cut = np.array(grid[rows, cols], dtype=np.int8)
    return cut if cut.size else None


def property_table(objs: Objects, shape: tuple[int, int]) -> np.ndarray:
    """(objects, PROPERTIES) int64: every property of every object."""
    shapes = Counter(o.shape_key for o in objs)
    colours = Counter(o.color for o in objs)
    return np.array([_properties(o, shape, shapes, colours) for o in objs], dtype=np.int64)


def _properties(obj: Object, shape: tuple[int, int], shapes: Counter, colours: Counter) -> list[int]:
    h, w = shape
    bottom, right = obj.top + obj.height, obj.left + obj.width
    patch = obj.patch
    counts = np.bincount(patch[patch >= 0], minlength=NUM_COLORS)
    return [
        obj.size,
        obj.height,
        obj.width,
        obj.height * obj.width,
        obj.height * obj.width - obj.size,
        len(obj.colors),
        shapes[obj.shape_key],
        colours[obj.color],
        int(np.array_equal(patch, patch[:, ::-1])),
        int(np.array_equal(patch, patch[::-1])),
        obj.top,
        obj.left,
        bottom,
        right,
        int(obj.top == 0 or obj.left == 0 or bottom == h or right == w),
        *(int(n) for n in counts),
    ]
