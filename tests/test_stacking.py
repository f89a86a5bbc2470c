"""Stacking partial answers: layers are exact where they paint, and covers reproduce the outputs."""

from __future__ import annotations

import time

import numpy as np

from arc_harness.tasks import Pair, Task, as_grid
from dsl import parse, run
from solvers import backends, search, stacking
from solvers.steps import enumerate_steps, task_colors

FLIPS = ("flip_horizontal", "flip_vertical")


def stacked_flips(grid: np.ndarray) -> np.ndarray:
    """The horizontal mirror image painted over the vertical one."""
    top, base = grid[:, ::-1], grid[::-1, :]
    return np.where(top != 0, top, base)


def flips_task(seed: int) -> Task:
    rng = np.random.default_rng(seed)
    grids = [np.where(rng.random((5, 6)) < 0.2, rng.integers(1, 5, (5, 6)), 0) for _ in range(4)]
    train = tuple(Pair(as_grid(g), as_grid(stacked_flips(g))) for g in grids[:3])
    return Task("flips", train, (Pair(as_grid(grids[3]), None),))


def test_painted_cells_split_right_from_wrong():
    target = np.array([[1, 0], [2, 2]], dtype=np.int8)
    states = np.array([[[1, 0], [0, 0]], [[0, 0], [0, 0]], [[1, 3], [2, 5]]], dtype=np.int8)
    right, wrong = stacking.painted_cells((states,), [target], np.arange(3))
    assert right.astype(int).tolist() == [[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0]]
    assert wrong.astype(int).tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 1]]


def test_greedy_cover_lets_lower_layers_be_wrong_only_under_upper_ones():
    needed = np.array([1, 1, 1, 1, 0], dtype=bool)
    right = np.array([[1, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0]], dtype=bool)
    wrong = np.zeros_like(right)
    wrong[1, 4] = True  # paints a cell the output leaves empty, and nothing above covers it
    wrong[2, 0] = True  # wrong only under the first layer
    assert stacking._greedy_cover(right, wrong, needed, 0, max_layers=3) == [0, 2, 3]
    assert stacking._greedy_cover(right, wrong, needed, 0, max_layers=2) is None
    wrong[1, 4] = False
    assert stacking._greedy_cover(right, wrong, needed, 0, max_layers=2) == [0, 1]


def test_search_stacks_two_programs_no_single_one_explains():
    task = flips_task(0)
    grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
    steps = [s for s in enumerate_steps(task_colors(grids), max_calls=1) if s.primitive in FLIPS]
    config = search.SearchConfig(max_cost=2, color_map=False)
    result = search.search(task, steps, backends.NumpyBackend(), time.time() + 30, config)
    assert result.stats.stacked_answers >= 1
    answer = result.answers[0]
    assert answer.cost == 3  # two one-call layers and the overlay that joins them
    program = parse(answer.program)
    for pair in task.train:
        assert np.array_equal(run(program, pair.input).value, pair.output)
    expected = stacked_flips(task.test[0].input)
    assert np.array_equal(answer.outputs[0], expected)
    assert np.array_equal(run(program, task.test[0].input).value, expected)

    single = search.SearchConfig(max_cost=2, color_map=False, max_layers=1)
    off = search.search(task, steps, backends.NumpyBackend(), time.time() + 30, single)
    assert off.answers == [] and off.stats.stacked_answers == 0
