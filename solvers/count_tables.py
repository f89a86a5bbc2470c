"""Count tables: the whole output looked up from one count of the input, or its main colour.

Some tasks answer with one of a few fixed grids, chosen by a count: "as many 1s in a 3x3
as there are red squares", "a diagonal when the grid holds three colours, a row when it
holds one", or by the colour the input is drawn in: "a plus for a red shape, a bar for a
green one". A count table maps one count of the input (its objects under one
connectivity, its colours, its cells of one colour, its cells not 0) or its most common
colour other than 0 to a whole output, read off the demonstrations.

It stays exact: it fits only when demonstrations with equal counts have equal outputs, and
it answers only when each test input's count is one a demonstration had. Two more
conditions keep it from fitting by chance:
- at least two demonstrations share a count: when every demonstration has its own count
  (as most counts do), any table fits, and a test's count meeting one would decide alone;
- at least two outputs differ: a constant output is no count's doing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Task
from dsl.colour import most_common_nonzero_color
from dsl.grid import NUM_COLORS
from dsl.objects import objects_of
from solvers.object_selection import CONNECTIVITY

Count = Callable[[np.ndarray], int | None]

COUNTS: dict[str, Count] = {
    **{
        f"objects ({name})": (lambda grid, mode=mode: len(objects_of(grid, mode)))
        for mode, name in CONNECTIVITY.items()
    },
    "colours": lambda grid: len(np.unique(grid)),
    "cells not 0": lambda grid: int(np.count_nonzero(grid)),
    **{f"cells of {c}": (lambda grid, c=c: int(np.count_nonzero(grid == c))) for c in range(NUM_COLORS)},
    # Not a count, but a key all the same; None (no such colour) is a key like any other.
    "main colour": most_common_nonzero_color,
}


@dataclass(frozen=True)
class CountTable:
    """A fitted table and its outputs on the test inputs."""

    count: str
    cases: int  # distinct counts in the table
    outputs: tuple[np.ndarray, ...]

    @property
    def text(self) -> str:
        return f"count table on {self.count} ({self.cases} cases)"


def fit(task: Task, deadline: float) -> CountTable | None:
    """The table on the first count (in COUNTS order) that fits and covers the test inputs.

    None past ``deadline`` (``time.time()``).
    """
    for name, count in COUNTS.items():
        if time.time() > deadline:
            return None
        table = _table([count(p.input) for p in task.train], [p.output for p in task.train])
        if table is None:
            continue
        wanted = [count(p.input) for p in task.test]
        if all(n in table for n in wanted):
            return CountTable(name, len(table), tuple(table[n] for n in wanted))
    return None


def _table(counts: list[int | None], outputs: list[np.ndarray]) -> dict[int | None, np.ndarray] | None:
    """Count -> output, if equal counts have equal outputs, some count repeats and some
    outputs differ; else None."""
    table: dict[int | None, np.ndarray] = {}
    for n, out in zip(counts, outputs, strict=True):
        known = table.setdefault(n, out)
        if known.shape != out.shape or not np.array_equal(known, out):
            return None
    distinct_outputs = {(o.shape, o.tobytes()) for o in outputs}
    if len(table) == len(counts) or len(distinct_outputs) < 2:
        return None
    return table
