"""Colour-normalised views of a task: each example's colours renamed by how often they occur.

Many tasks give every example its own colours for the same roles ("keep the rarest
colour", "draw rays in the colour of the marker"): no program with a literal colour fits
them all. In a view, every example's input colours are renamed by frequency rank, so the
same role gets the same name everywhere, and the search runs on the renamed task. As the
2020 ARC winner did before searching, this is a rewrite of the task, not of the search.

Renaming is a bijection of the ten colours per example, decided from that example's
*input* alone (test inputs included; no output is looked at to rename), and applied to its
input and, for demonstrations, its output. A program fitting the renamed demonstrations
exactly answers a test input by renaming its output back: every answer stays exact.

Colours a view leaves alone: those that only outputs use (constants the program paints),
and, in the view that ranks only the varying colours, those every input contains (a
shared background or frame keeps its name, and only the per-example colours move).

Any rewrite with a way back is a :class:`View` to the search solver: the colour views
here, the object views of :mod:`solvers.object_views`, and a view of a view (:class:`Nested`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from arc_harness.tasks import NUM_COLORS, Grid, Pair, Task


class View(Protocol):
    """A rewrite of a task that the search runs on, and how to turn its answers back."""

    @property
    def name(self) -> str: ...

    @property
    def task(self) -> Task: ...

    def restore(self, outputs: Sequence[Grid]) -> tuple[Grid, ...] | None:
        """The original task's test outputs for the rewritten task's, or None if they have none."""
        ...


@dataclass(frozen=True)
class ColourView:
    """A task with each example's colours renamed, and how to rename answers back."""

    name: str
    task: Task
    # Per example (demonstrations, then tests): renamed = rename[k][original].
    rename: tuple[np.ndarray, ...]

    def restore(self, outputs: Sequence[Grid]) -> tuple[Grid, ...]:
        """Test outputs of the renamed task, in the original colours."""
        n_train = len(self.task.train)
        restored = []
        for k, grid in enumerate(outputs):
            back = np.argsort(self.rename[n_train + k]).astype(np.int8)
            restored.append(_readonly(back[grid]))
        return tuple(restored)


@dataclass(frozen=True)
class Nested:
    """``inner``, a view of the task that ``outer`` made: answers are turned back twice."""

    outer: View
    inner: View

    @property
    def name(self) -> str:
        return f"{self.outer.name}, {self.inner.name}"

    @property
    def task(self) -> Task:
        return self.inner.task

    def restore(self, outputs: Sequence[Grid]) -> tuple[Grid, ...] | None:
        inner = self.inner.restore(outputs)
        return None if inner is None else self.outer.restore(inner)


def colour_views(task: Task) -> list[ColourView]:
    """The distinct renamed views of ``task`` that can help: those whose examples are renamed
    differently (one renaming shared by every example only relabels the task)."""
    views: list[ColourView] = []
    for name, keep_shared in (("colours by frequency", False), ("varying colours by frequency", True)):
        rename = frequency_renaming(task, keep_shared)
        if all(np.array_equal(r, rename[0]) for r in rename[1:]):
            continue
        if any(all(np.array_equal(a, b) for a, b in zip(v.rename, rename, strict=True)) for v in views):
            continue
        views.append(ColourView(name, renamed_task(task, rename), rename))
    return views


def frequency_renaming(task: Task, keep_shared: bool) -> tuple[np.ndarray, ...]:
    """Per example, a permutation of the colours ranking its input's colours by count."""
    counts = np.array([np.bincount(p.input.ravel(), minlength=NUM_COLORS) for p in task.train + task.test])
    present = counts > 0
    painted = np.zeros(NUM_COLORS, dtype=bool)
    for pair in task.train:
        painted |= np.bincount(pair.output.ravel(), minlength=NUM_COLORS) > 0
    fixed = painted & ~present.any(axis=0)
    if keep_shared:
        fixed |= present.all(axis=0)
    slots = np.flatnonzero(~fixed)
    return tuple(_ranking(row, fixed, slots) for row in counts)


def _ranking(counts: np.ndarray, fixed: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """The permutation sending the movable colours, most frequent first (then the lower
    colour; absent ones last), to ``slots`` in order."""
    by_count = np.argsort(-counts, kind="stable")
    rename = np.arange(NUM_COLORS, dtype=np.int8)
    rename[by_count[~fixed[by_count]]] = slots
    return rename


def renamed_task(task: Task, rename: Sequence[np.ndarray]) -> Task:
    """``task`` with example k's grids renamed by ``rename[k]``."""
    n_train = len(task.train)
    pairs = []
    for k, pair in enumerate(task.train + task.test):
        output = None if pair.output is None else _readonly(rename[k][pair.output])
        pairs.append(Pair(_readonly(rename[k][pair.input]), output))
    return Task(task.id, tuple(pairs[:n_train]), tuple(pairs[n_train:]), task.split)


def _readonly(grid: np.ndarray) -> Grid:
    grid.setflags(write=False)
    return grid
