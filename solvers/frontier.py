"""The search frontier: states waiting for expansion, by cost, batched by shape.

Best-first search over a large branching factor, done lazily: a state of cost c meets
the steps of cost s only when the search reaches cost c + s, so cheap programs are never
queued behind dear ones, and states of equal cost and equal shapes are expanded together
as one batch (the unit the backends vectorise over).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Stacks = tuple[np.ndarray, ...]  # per example, a (K, H, W) stack of the states' grids


@dataclass
class Chunk:
    grids: Stacks
    nodes: np.ndarray


def merged(chunks: list[Chunk], batch_size: int) -> list[Chunk]:
    """Chunks of one shape signature, concatenated and cut into batches of ``batch_size``."""
    grids = tuple(np.concatenate(parts) for parts in zip(*(c.grids for c in chunks), strict=True))
    for stack in grids:
        stack.setflags(write=False)  # states are values; read-only also lets kernels reuse work per stack
    nodes = np.concatenate([c.nodes for c in chunks])
    return [
        Chunk(tuple(g[start : start + batch_size] for g in grids), nodes[start : start + batch_size])
        for start in range(0, len(nodes), batch_size)
    ]


@dataclass
class Frontier:
    """Best-first by cost, lazily: a state of cost c meets the steps of cost s only when
    the search reaches cost c + s, so cheap programs are never queued behind dear ones.

    ``pending``: states of a cost still being generated, by shape signature. Once the
    search moves past a cost, that level is sealed into batches and one job per step
    group (steps of equal cost) is queued at the cost its children will have.

    Jobs whose children cost the same are equally good programs, so the cheapest work
    goes first: the level's state count times the group's ``weights`` entry (the work of
    its steps on one state). A search cut short by its deadline has then tried the most
    programs it could at that cost, rather than, say, every slow step on a big level
    before any fast step on a small one.
    """

    groups: list[tuple[float, range]]
    max_cost: float
    batch_size: int
    weights: Sequence[float] | None = None  # per group; None: every group weighs its step count
    pending: dict[float, dict[tuple, list[Chunk]]] = field(default_factory=dict)
    sealed: dict[float, list[Chunk]] = field(default_factory=dict)
    jobs_left: dict[float, int] = field(default_factory=dict)
    heap: list[tuple[float, float, int, float, int]] = field(default_factory=list)
    started: set[float] = field(default_factory=set)
    order: int = 0

    def add(self, cost: float, chunk: Chunk) -> None:
        cost = round(cost, 9)  # sums of float step costs: equal levels must compare equal
        by_shape = self.pending.setdefault(cost, defaultdict(list))
        by_shape[tuple(g.shape[1:] for g in chunk.grids)].append(chunk)

    def seal_below(self, cost: float) -> bool:
        """Seal every pending level cheaper than ``cost``; True if any was sealed."""
        ready = sorted(c for c in self.pending if c < cost)
        for level in ready:
            by_shape = self.pending.pop(level).values()
            batches = [b for chunks in by_shape for b in merged(chunks, self.batch_size)]
            jobs = [(level + step_cost, g) for g, (step_cost, _) in enumerate(self.groups)]
            jobs = [(child, g) for child, g in jobs if child <= self.max_cost]
            if not jobs:
                continue
            self.sealed[level] = batches
            self.jobs_left[level] = len(jobs)
            states = sum(len(b.nodes) for b in batches)
            for child, g in jobs:
                work = states * (len(self.groups[g][1]) if self.weights is None else self.weights[g])
                heapq.heappush(self.heap, (child, work, self.order, level, g))
                self.order += 1
        return bool(ready)

    def next_cost(self) -> float | None:
        """The cost of the children the next job makes, after sealing what is complete."""
        while True:
            upcoming = self.heap[0][0] if self.heap else np.inf
            if not self.seal_below(upcoming):
                return None if upcoming == np.inf else upcoming

    def pop(self) -> tuple[float, list[Chunk], int, bool]:
        """(child cost, parent batches, step group, whether these parents are new to expansion)."""
        child, _, _, level, group = heapq.heappop(self.heap)
        batches = self.sealed[level]
        first = level not in self.started
        self.started.add(level)
        self.jobs_left[level] -= 1
        if not self.jobs_left[level]:
            del self.sealed[level], self.jobs_left[level]
        return child, batches, group, first


def step_groups(costs: Sequence[float]) -> list[tuple[float, range]]:
    """Consecutive runs of equal cost in the sorted step list: (cost, step indices)."""
    groups: list[tuple[float, range]] = []
    start = 0
    for i in range(1, len(costs) + 1):
        if i == len(costs) or costs[i] != costs[start]:
            groups.append((costs[start], range(start, i)))
            start = i
    return groups
