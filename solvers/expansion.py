"""Expanding one level of the search: a group of equal-cost steps over a level's batches.

Children that will be expanded further are merged with the states seen, checked for fits
and stored in the frontier (:class:`_Admission`). Children too dear to expand are only
screened (:class:`_Screening`): checked on the first demonstration, and finished on the
others only where that one could still fit. Both work on the children of neighbouring
steps together, in step order, since a level holds many small batches and each check
costs more per call than per child.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from solvers.backends import Children, Stacks
from solvers.frontier import Chunk, Frontier

if TYPE_CHECKING:
    from solvers.search import SearchRun

# The last level checks a kernel's output shape (one blank-grid call per step and state
# shape) only for batches at least this large; on smaller ones the check costs as much as
# the step.
SHAPE_CHECK_ROWS = 16

# Grid-by-grid steps run on slices of a batch sized to take about this long, so the
# deadline is checked often while shared inner calls are still computed once per grid.
SLICE_SECONDS = 0.1


def run_job(run: SearchRun, frontier: Frontier, job: tuple, deadline: float) -> bool:
    """Apply one group of equal-cost steps to a sealed level; False when the deadline cut it short.

    Children that will be expanded further are evaluated on every example and merged. On
    the last level (children too dear to expand) only fits matter: the first example is
    evaluated alone, and only the children that could still fit it are evaluated on the rest;
    a batched step whose output cannot have the first output's shape is not run at all.
    """
    child_cost, batches, group, first = job
    indices = list(frontier.groups[group][1])
    batched = [i for i in indices if run.backend.batched(run.steps[i])]
    one_by_one = [i for i in indices if not run.backend.batched(run.steps[i])]
    last = child_cost + frontier.groups[0][0] > run.config.max_cost
    examples = slice(0, 1) if last else slice(None)
    inputs = run.inputs[examples]
    sink = _Screening(run, child_cost) if last else _Admission(run, frontier, child_cost)
    try:
        for batch in batches:
            if first:
                run.stats.nodes_expanded += len(batch.nodes)
            grids = batch.grids[examples]
            check_shape = last and len(batch.nodes) >= SHAPE_CHECK_ROWS
            for index in batched:
                if time.time() >= deadline:
                    return False
                if check_shape and not run.may_reach_target_shape(index, grids[0].shape[1:]):
                    continue
                for children in run.backend.apply(run.steps[index], grids, inputs):
                    sink.add(batch, children.rows, children, index)
            steps = [run.steps[i] for i in one_by_one]
            for part in _slices(len(batch.nodes) if steps else 0):
                if time.time() >= deadline:
                    return False
                results = run.backend.apply_many(steps, tuple(g[part] for g in grids), inputs)
                offset = np.arange(part.start, min(part.stop, len(batch.nodes)))
                for index, found in zip(one_by_one, results, strict=True):
                    for children in found:
                        sink.add(batch, offset[children.rows], children, index)
    finally:
        sink.flush()  # what was computed is kept, deadline or not
    return True


# Children of neighbouring steps are checked together up to about this many: on the many
# small batches of a level, merging and checking fits cost more per call than per child.
ADMIT_ROWS = 512


class _Admission:
    """Children of consecutive steps with one shape signature, admitted as one group.

    Only neighbours in step order are joined, and the group keeps their order, so the
    outcome is that of admitting each step's children alone: the same states kept, the
    same first parent for each, fits found in the same order.
    """

    def __init__(self, run: SearchRun, frontier: Frontier, cost: float) -> None:
        self.run, self.frontier, self.cost = run, frontier, cost
        self.parts: list[tuple[np.ndarray, Stacks, int]] = []
        self.shapes: tuple | None = None
        self.rows = 0

    def add(self, batch: Chunk, rows: np.ndarray, children: Children, index: int) -> None:
        parents = batch.nodes[rows]
        if children.prints is not None:  # fingerprinted on a device: its grids are read only if kept
            self.flush()
            _admit(self.run, self.frontier, parents, children.grids, index, self.cost, children.prints)
            return
        shapes = tuple(g.shape[1:] for g in children.grids)
        if shapes != self.shapes:
            self.flush()
            self.shapes = shapes
        self.parts.append((parents, children.grids, index))
        self.rows += len(parents)
        if self.rows >= ADMIT_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.parts:
            return
        if len(self.parts) == 1:
            parents, grids, index = self.parts[0]
        else:
            parents = np.concatenate([p for p, _, _ in self.parts])
            grids = tuple(
                np.concatenate(stacks) for stacks in zip(*(g for _, g, _ in self.parts), strict=True)
            )
            index = np.concatenate([np.full(len(p), i, dtype=np.int64) for p, _, i in self.parts])
        self.parts, self.rows = [], 0
        _admit(self.run, self.frontier, parents, grids, index, self.cost)


class _Screening:
    """Last level: children of consecutive steps checked against the first demonstration together.

    Children whose first grid has not the first output's shape cannot fit and are dropped
    at once; the others' first grids are checked as one stack, then each step is finished
    on the rest of the examples for its children that could still fit, in step order.
    """

    def __init__(self, run: SearchRun, cost: float) -> None:
        self.run, self.cost = run, cost
        self.parts: list[tuple[Chunk, np.ndarray, np.ndarray, int]] = []
        self.rows = 0

    def add(self, batch: Chunk, rows: np.ndarray, children: Children, index: int) -> None:
        self.run.stats.candidates += len(rows)
        self.run.stats.applications += len(rows)
        first = children.grids[0]
        if first.shape[1:] != self.run.targets[0].shape:
            return
        self.parts.append((batch, rows, first, index))
        self.rows += len(rows)
        if self.rows >= ADMIT_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.parts:
            return
        parts, self.parts, self.rows = self.parts, [], 0
        firsts = [np.asarray(first) for _, _, first, _ in parts]
        ok = self.run.could_fit(firsts[0] if len(firsts) == 1 else np.concatenate(firsts))
        if self.run.promising is not None:
            for (batch, rows, _, index), first in zip(parts, firsts, strict=True):
                self.run.promising.offer(batch, rows, first, index, self.cost)
        start = 0
        for batch, rows, _, index in parts:
            alive = rows[ok[start : start + len(rows)]]
            start += len(rows)
            if len(alive):
                _finish(self.run, batch, alive, index, self.cost)


def _slices(n: int) -> Iterator[slice]:
    """Consecutive slices of range(n), each sized so the caller's work on it takes ~SLICE_SECONDS."""
    start, size = 0, 1
    while start < n:
        began = time.monotonic()
        yield slice(start, start + size)
        per_item = (time.monotonic() - began) / size
        start += size
        size = max(1, int(SLICE_SECONDS / max(per_item, 1e-6)))


def _admit(
    run: SearchRun,
    frontier: Frontier,
    parents: np.ndarray,
    grids: Stacks,
    index: int | np.ndarray,
    cost: float,
    prints: np.ndarray | None = None,
) -> None:
    """Merge new children with the states seen, check them for fits, store them for expansion."""
    run.stats.candidates += len(parents)
    run.stats.applications += len(parents) * len(grids)
    grids, nodes = run.admit(grids, parents, index, prints)
    if not len(nodes):
        return
    run.record_fits(grids, nodes, cost)
    room = run.config.max_states - run.stats.stored_states
    if room > 0:
        kept = Chunk(tuple(g[:room] for g in grids), nodes[:room])
        run.stats.stored_states += len(kept.nodes)
        frontier.add(cost, kept)


def _finish(run: SearchRun, batch: Chunk, alive: np.ndarray, index: int, cost: float) -> None:
    """Last level: the step on every example for the states whose child could still fit."""
    for full in run.backend.apply(run.steps[index], tuple(g[alive] for g in batch.grids), run.inputs):
        run.stats.applications += len(full.rows) * (len(full.grids) - 1)
        nodes = run.register(batch.nodes[alive[full.rows]], index)
        run.record_fits(tuple(np.asarray(g) for g in full.grids), nodes, cost)
