"""Expanding a level (solvers.expansion): children of neighbouring steps admitted as one group."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np
import pytest

from arc_harness import datasets
from solvers import backends, expansion, search
from solvers.steps import enumerate_steps, task_colors

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
GROUPED = expansion.ADMIT_ROWS  # the default, read before any test patches it


def run_search(task_id: str, admit_rows: int, monkeypatch, clock=None) -> search.SearchResult:
    task = datasets.load_dataset(DATA).get(task_id).public()
    grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
    steps = enumerate_steps(task_colors(grids), max_calls=1)[::8]
    monkeypatch.setattr(expansion, "ADMIT_ROWS", admit_rows)
    # Grid-by-grid steps run on slices timed on the fly, and slices order children of several
    # shapes: one slice after the first (of one state) keeps both runs alike.
    monkeypatch.setattr(expansion, "SLICE_SECONDS", 1e9)
    deadline = time.time() + 120
    if clock is not None:
        monkeypatch.setattr(expansion.time, "time", clock)
        deadline = 1.0
    config = search.SearchConfig(max_cost=3, attempts=1000)
    return search.search(task, steps, backends.NumpyBackend(), deadline, config)


def outcome(result: search.SearchResult) -> tuple:
    """Everything a search decides: its answers in order (text, cost, outputs) and its counts."""
    answers = [(a.program, a.cost, a.constants, [o.tolist() for o in a.outputs]) for a in result.answers]
    stats = result.stats
    return answers, stats.distinct_states, stats.stored_states, stats.candidates, stats.size_matches


@pytest.mark.parametrize("task_id", ["flip-horizontal-bars", "crop-to-single-object", "drop-cells-to-floor"])
def test_admitting_neighbouring_steps_together_decides_as_step_by_step(task_id, monkeypatch):
    alone = run_search(task_id, 1, monkeypatch)
    grouped = run_search(task_id, GROUPED, monkeypatch)
    assert alone.stats.stop == grouped.stats.stop == "exhausted"
    assert alone.stats.distinct_states > 100  # enough merging for the grouping to matter
    assert outcome(grouped) == outcome(alone)


def test_children_computed_before_the_deadline_are_kept(monkeypatch):
    # A clock that reaches the deadline after a fixed number of readings, the same in both runs.
    def clock_after(readings: int):
        ticks = itertools.count()
        return lambda: 0.0 if next(ticks) < readings else np.inf

    alone = run_search("flip-horizontal-bars", 1, monkeypatch, clock_after(400))
    grouped = run_search("flip-horizontal-bars", GROUPED, monkeypatch, clock_after(400))
    assert alone.stats.stop == grouped.stats.stop == "deadline"
    assert grouped.stats.distinct_states > 1
    assert outcome(grouped) == outcome(alone)
