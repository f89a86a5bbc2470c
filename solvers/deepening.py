"""Iterative deepening over cost bounds: search to cost 2, then 3, ... one round at a time.

The last level of each bounded search is only screened against the first demonstration,
which is several times cheaper than expanding it, so each bound is settled quickly before
the next; the levels below it are repeated, a small price next to the level above. Rounds
are driven one by one so a caller can interleave several deepenings (a task and its
colour-normalised views) and give each its own share of the time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from arc_harness.tasks import Task
from solvers import search
from solvers.backends import Backend
from solvers.search import Answer, SearchConfig, SearchResult, SearchStats, StepCost, uniform_cost
from solvers.steps import Step


class Deepening:
    """Rounds of bounded search on one task, with the answers of all rounds pooled."""

    def __init__(
        self,
        task: Task,
        steps: Sequence[Step],
        backend: Backend,
        config: SearchConfig,
        cost: StepCost = uniform_cost,
    ) -> None:
        self.task, self.steps, self.backend, self.config, self.cost = task, steps, backend, config, cost
        self.bound = min(2.0, config.max_cost)
        self.finished = False
        self.answers: list[Answer] = []
        self.last = SearchResult([], SearchStats())
        self.seconds = 0.0  # search time of the rounds run
        self.nodes = self.candidates = 0  # their work
        self.first_fit: tuple[float, int, int] | None = None  # seconds, nodes, candidates

    def round(self, deadline: float) -> None:
        """Search to the current bound (or until ``deadline``), then raise the bound."""
        started = time.monotonic()
        config = replace(self.config, max_cost=self.bound)
        result = search.search(self.task, self.steps, self.backend, deadline, config, self.cost)
        self.answers = pooled(self.answers, result.answers)
        stats = result.stats
        if stats.first_fit_seconds is not None and self.first_fit is None:
            self.first_fit = (
                self.seconds + stats.first_fit_seconds,
                self.nodes + (stats.first_fit_nodes or 0),
                self.candidates + (stats.first_fit_candidates or 0),
            )
        self.seconds += time.monotonic() - started
        self.nodes += stats.nodes_expanded
        self.candidates += stats.candidates
        self.last = result
        self.finished = stats.stop != "exhausted" or self.bound >= self.config.max_cost
        self.bound = min(self.bound + 1.0, self.config.max_cost)

    @property
    def settled(self) -> bool:
        """Whether the last round found enough answers or ran out of time, so that no
        other search on the task need run (a bound merely exhausted settles nothing)."""
        return self.last.stats.stop in ("answers", "deadline")

    def result(self) -> SearchResult:
        """The pooled answers, cheapest first; the last round's statistics, with the work
        before the first fit counted over every round."""
        answers = sorted(self.answers, key=lambda a: (a.cost, a.constants))
        stats = replace(self.last.stats)
        if self.first_fit is not None:
            stats.first_fit_seconds, stats.first_fit_nodes, stats.first_fit_candidates = self.first_fit
        else:
            stats.first_fit_seconds = stats.first_fit_nodes = stats.first_fit_candidates = None
        return SearchResult(answers, stats, self.last.steps)


def pooled(old: list[Answer], new: list[Answer]) -> list[Answer]:
    """The answers of both rounds, each set of outputs once, at the cheaper of its costs.

    A deeper round can spell outputs an earlier one answered more cheaply: a program at cost
    2.5 for what cost 3 as a colour-mapped fit of a cost-2 program.
    """
    best = {search.outputs_key(a.outputs): a for a in old}
    for answer in new:
        key = search.outputs_key(answer.outputs)
        if key not in best or (answer.cost, answer.constants) < (best[key].cost, best[key].constants):
            best[key] = answer
    return list(best.values())
