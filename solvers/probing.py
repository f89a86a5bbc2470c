"""Probing one level past the bound: the last level's children nearest the outputs, expanded.

A bounded search only screens its last level: each child is checked against the outputs
and dropped. A three-call program whose first two calls already bring the grids most of
the way (noise removed, one shape kept) then waits for the next, much dearer round, which
must first expand every state of the last level. A probe expands only the few children
that agree with the outputs on the most cells, one level further, screened like the last
level. Agreement is only a guide to what is expanded first: every answer a probe finds
still reproduces every demonstration exactly, and costs what its program costs.

The children are ranked twice: on the first demonstration while the level is screened
(the only grid computed for every child there), then, for the best few, on every
demonstration once they are evaluated in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from solvers.frontier import Chunk

if TYPE_CHECKING:
    from solvers.search import SearchRun

Stacks = tuple[np.ndarray, ...]

# Children kept, ranked by the first demonstration, per state the probe will expand.
SHORTLIST_FACTOR = 4


@dataclass(frozen=True)
class Candidate:
    """A screened child: the step ``index`` on row ``row`` of ``batch``, at ``cost``."""

    score: float
    batch: Chunk
    row: int
    index: int
    cost: float


class Promising:
    """The screened children that agree with the first output on the most cells, best first."""

    def __init__(self, target: np.ndarray, capacity: int) -> None:
        self.target = target
        self.capacity = capacity
        self.kept: list[Candidate] = []  # in the order offered until trimmed, then best first
        self.floor = -1.0  # the worst score kept once full: nothing at or below it can enter

    def offer(self, batch: Chunk, rows: np.ndarray, first: np.ndarray, index: int, cost: float) -> None:
        """Rank children by the share of the first output's cells their first grid gets right."""
        if not self.capacity or not len(rows):
            return
        scores = agreement((np.asarray(first),), [self.target])
        for k in np.flatnonzero(scores > self.floor).tolist():
            self.kept.append(Candidate(float(scores[k]), batch, int(rows[k]), index, cost))
        if len(self.kept) >= 2 * self.capacity:
            self._trim()

    def best(self) -> list[Candidate]:
        self._trim()
        return self.kept

    def _trim(self) -> None:
        self.kept.sort(key=lambda c: -c.score)  # stable: on ties, the first offered first
        del self.kept[self.capacity :]
        if len(self.kept) == self.capacity:
            self.floor = self.kept[-1].score


def agreement(train: Stacks, targets: list[np.ndarray]) -> np.ndarray:
    """Per state, the mean over demonstrations of the share of output cells it gets right
    (0 where a grid has not the output's shape)."""
    shares = [
        (stack == target).mean(axis=(1, 2)) if stack.shape[1:] == target.shape else np.zeros(len(stack))
        for stack, target in zip(train, targets, strict=True)
    ]
    return np.mean(shares, axis=0)


def best_states(run: SearchRun, size: int) -> list[tuple[float, Chunk]]:
    """The ``size`` shortlisted children nearest the outputs on every demonstration, evaluated
    in full and registered as states: (cost, chunk) parts, best first within each part.

    Children equal to a state seen (or to each other) are dropped, as in any admission; the
    others are checked for fits like admitted states, so they may serve as stacked layers too.
    """
    if run.promising is None:
        return []
    by_step: dict[tuple[int, int], list[Candidate]] = {}
    for candidate in run.promising.best():
        by_step.setdefault((id(candidate.batch), candidate.index), []).append(candidate)
    found: list[tuple[float, float, int, Stacks]] = []  # score, cost, node, the state's grids
    for group in by_step.values():
        batch, index, cost = group[0].batch, group[0].index, group[0].cost
        rows = np.unique([c.row for c in group])
        parents = tuple(g[rows] for g in batch.grids)
        for children in run.backend.apply(run.steps[index], parents, run.inputs):
            grids, nodes = run.admit(children.grids, batch.nodes[rows[children.rows]], index, children.prints)
            if not len(nodes):
                continue
            run.record_fits(grids, nodes, cost)  # screening finished only those that could fit
            scores = agreement(grids[: run.n_train], run.targets)
            for k, node in enumerate(nodes.tolist()):
                found.append((float(scores[k]), cost, node, tuple(g[k] for g in grids)))
    found.sort(key=lambda f: (-f[0], f[2]))
    parts: dict[tuple, list[tuple[int, Stacks]]] = {}
    for _, cost, node, grids in found[:size]:
        parts.setdefault((cost, tuple(g.shape for g in grids)), []).append((node, grids))
    return [(cost, _chunk(states)) for (cost, _), states in parts.items()]


def _chunk(states: list[tuple[int, Stacks]]) -> Chunk:
    """One batch of (node, grids) states of one shape signature."""
    grids = tuple(np.stack(stack) for stack in zip(*(g for _, g in states), strict=True))
    return Chunk(grids, np.array([node for node, _ in states], dtype=np.intp))
