"""Object views: a task split into one small task per object, solved once for all of them.

Many tasks apply the same change to every object in place: fill each shape's inside, put
a mark in each bend, colour each square's corners. A program for the whole grid must
find and loop over the objects; a program for one object's box need not. When a task
allows it, the view rewrites it: each input object's bounding box (optionally grown by a
margin of one cell, for halos and outlines) becomes one demonstration, cut from the
demonstration's input and output, and each test object's box becomes one test input. The
search then runs on the rewritten task, like on a colour view (:mod:`solvers.views`).

A task allows it when, in every demonstration, input and output have one shape, the
boxes do not overlap, and no cell outside them changes. Then a program that fits every
box exactly, painted back into each box, reproduces every demonstration exactly: answers
stay exact. The test answer is the test input with each of its boxes replaced by the
program's output for it, which must keep the box's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Grid, Pair, Task
from dsl import components as cc
from dsl.objects import objects_of

# Tried in order; the first that splits the task is used. Objects of any colours come
# first: a multi-coloured shape is usually one object to the task.
SPLITS = (
    (cc.MULTI_8, 0, "objects"),
    (cc.MULTI_8, 1, "objects with a margin"),
    (cc.SINGLE_8, 0, "single-colour objects"),
    (cc.SINGLE_8, 1, "single-colour objects with a margin"),
    (cc.MULTI_4, 0, "edge-connected objects"),
    (cc.SINGLE_4, 0, "edge-connected single-colour objects"),
)

# More boxes than this in one grid is noise, not objects, and would slow every state.
MAX_BOXES = 30
# Demonstrations in the rewritten task, all examples together.
MAX_PAIRS = 60

Box = tuple[int, int, int, int]  # top, left, bottom, right (exclusive)


@dataclass(frozen=True)
class ObjectView:
    """A task rewritten as one demonstration per object box, and how to paint answers back."""

    name: str
    task: Task
    # The original test inputs, and per test pair of the rewritten task: (test index, box).
    inputs: tuple[Grid, ...]
    places: tuple[tuple[int, Box], ...]

    def restore(self, outputs: Sequence[Grid]) -> tuple[Grid, ...] | None:
        """Test outputs of the original task, or None if a box's output changed shape."""
        painted = [np.array(grid) for grid in self.inputs]
        for grid, (i, (top, left, bottom, right)) in zip(outputs, self.places, strict=True):
            if grid.shape != (bottom - top, right - left):
                return None
            painted[i][top:bottom, left:right] = grid
        return tuple(_readonly(grid) for grid in painted)


def object_view(task: Task) -> ObjectView | None:
    """The first split of ``SPLITS`` that ``task`` allows and that is not the task itself."""
    for mode, margin, name in SPLITS:
        view = _split(task, mode, margin, f"each of the {name}")
        if view is not None:
            return view
    return None


def object_boxes(grid: Grid, mode: int, margin: int) -> list[Box] | None:
    """The boxes of the grid's objects grown by ``margin`` (clipped), or None if there are
    none, too many, or two overlap."""
    h, w = grid.shape
    boxes = [
        (
            max(0, o.top - margin),
            max(0, o.left - margin),
            min(h, o.top + o.height + margin),
            min(w, o.left + o.width + margin),
        )
        for o in objects_of(grid, mode)
    ]
    if not boxes or len(boxes) > MAX_BOXES or _overlapping(boxes):
        return None
    return boxes


def _split(task: Task, mode: int, margin: int, name: str) -> ObjectView | None:
    train: list[Pair] = []
    for pair in task.train:
        boxes = _changes_inside(pair, mode, margin)
        if boxes is None:
            return None
        train += [Pair(_cut(pair.input, box), _cut(pair.output, box)) for box in boxes]
    # One box per demonstration is the task again, or nearly: nothing to gain, time to lose.
    if len(train) <= len(task.train) or len(train) > MAX_PAIRS or not _consistent(train):
        return None
    tests: list[Pair] = []
    places: list[tuple[int, Box]] = []
    for i, pair in enumerate(task.test):
        boxes = object_boxes(pair.input, mode, margin)
        if boxes is None:
            return None
        tests += [Pair(_cut(pair.input, box), None) for box in boxes]
        places += [(i, box) for box in boxes]
    inputs = tuple(pair.input for pair in task.test)
    return ObjectView(name, Task(task.id, tuple(train), tuple(tests), task.split), inputs, tuple(places))


def _changes_inside(pair: Pair, mode: int, margin: int) -> list[Box] | None:
    """The input's object boxes, if the output has the input's shape and differs from it
    only inside them."""
    if pair.output is None or pair.output.shape != pair.input.shape:
        return None
    boxes = object_boxes(pair.input, mode, margin)
    if boxes is None:
        return None
    outside = np.ones(pair.input.shape, dtype=bool)
    for top, left, bottom, right in boxes:
        outside[top:bottom, left:right] = False
    return None if (pair.input != pair.output)[outside].any() else boxes


def _consistent(pairs: list[Pair]) -> bool:
    """Whether some box changes, and equal boxes always change the same way (else no
    program of the box alone can fit)."""
    seen: dict[tuple, bytes] = {}
    changed = False
    for pair in pairs:
        if pair.output is None:
            return False
        changed = changed or not np.array_equal(pair.input, pair.output)
        key = (pair.input.shape, pair.input.tobytes())
        if seen.setdefault(key, pair.output.tobytes()) != pair.output.tobytes():
            return False
    return changed


def _overlapping(boxes: list[Box]) -> bool:
    for k, (t1, l1, b1, r1) in enumerate(boxes):
        for t2, l2, b2, r2 in boxes[k + 1 :]:
            if t1 < b2 and t2 < b1 and l1 < r2 and l2 < r1:
                return True
    return False


def _cut(grid: Grid, box: Box) -> Grid:
    top, left, bottom, right = box
    return _readonly(np.array(grid[top:bottom, left:right]))


def _readonly(grid: np.ndarray) -> Grid:
    grid.setflags(write=False)
    return grid
