"""Probing past the bound: the last level's children nearest the outputs, expanded once more."""

from __future__ import annotations

import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import Pair, Task, as_grid
from dsl import parse, run
from dsl.program import format_program
from solvers import backends, probing, search
from solvers.frontier import Chunk
from solvers.steps import enumerate_steps, task_colors

STEPS = ("shift_right(I)", "rot90(I)", "flip_horizontal(I)", "recolor(I, 1, 2)", "recolor(I, 3, 4)")


def make_task(inputs, program: str, tests) -> Task:
    expr = parse(program)
    train = tuple(Pair(as_grid(i), run(expr, as_grid(i)).value) for i in inputs)
    return Task("toy", train, tuple(Pair(as_grid(i), None) for i in tests))


def chosen_steps(task: Task, texts):
    grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
    return [s for s in enumerate_steps(task_colors(grids), max_calls=1) if format_program(s.expr) in texts]


# Three calls, which no two of these steps can do. The inputs are random, so that few states
# agree with the outputs on many cells: the first two calls agree on all but the cells of 1.
rng = np.random.default_rng(7)
INPUTS = [rng.integers(1, 10, size=(6, 6)).tolist() for _ in range(3)]
PROGRAM = "recolor(shift_right(rot90(I)), 1, 2)"
TASK = make_task(INPUTS[:2], PROGRAM, INPUTS[2:])


def bounded_search(probe_states: int, levels: int = 1, task: Task = TASK) -> search.SearchResult:
    config = search.SearchConfig(
        max_cost=2, color_map=False, windows=False, probe_states=probe_states, probe_levels=levels
    )
    steps = chosen_steps(task, STEPS)
    return search.search(task, steps, backends.NumpyBackend(), time.time() + 60, config)


def test_a_probe_finds_a_program_one_call_past_the_bound_at_its_cost():
    unprobed, probed = bounded_search(0), bounded_search(4)
    assert unprobed.answers == []
    answer = probed.answers[0]
    assert answer.cost == 3
    expected = run(parse(PROGRAM), TASK.test[0].input).value
    assert np.array_equal(answer.outputs[0], expected)
    assert np.array_equal(run(parse(answer.program), TASK.test[0].input).value, expected)
    # The statistics describe the bounded search, not the probe.
    assert probed.stats.max_cost_reached == unprobed.stats.max_cost_reached == 2
    assert probed.stats.stop == "exhausted"


def test_a_probe_of_one_state_expands_the_child_nearest_the_outputs():
    # No other child of these steps comes as near as shift_right(rot90(I)).
    assert bounded_search(1).answers


def test_further_probe_levels_reach_further_past_the_bound():
    program = f"recolor({PROGRAM}, 3, 4)"  # four calls: two past the bound
    task = make_task(INPUTS[:2], program, INPUTS[2:])
    assert bounded_search(4, levels=1, task=task).answers == []
    answer = bounded_search(4, levels=2, task=task).answers[0]
    assert answer.cost == 4
    assert np.array_equal(answer.outputs[0], run(parse(program), task.test[0].input).value)


def test_promising_keeps_the_best_first_grids_first_come_first_on_ties():
    target = np.zeros((2, 2), dtype=np.int8)
    promising = probing.Promising(target, capacity=2)
    batch = Chunk((np.zeros((3, 2, 2), dtype=np.int8),), np.arange(3))
    firsts = np.array([[[1, 1], [1, 1]], [[0, 1], [1, 1]], [[0, 0], [0, 1]]], dtype=np.int8)
    promising.offer(batch, np.array([0, 1, 2]), firsts, index=5, cost=2.0)
    promising.offer(batch, np.array([1]), firsts[2:], index=6, cost=2.0)
    best = promising.best()
    assert [(c.score, c.row, c.index) for c in best] == [(0.75, 2, 5), (0.75, 1, 6)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=40), st.integers(1, 8))
def test_promising_keeps_exactly_the_top_scores(shares, capacity):
    # Grids of 100 cells, each with a given number of cells equal to the target.
    target = np.zeros((10, 10), dtype=np.int8)
    right = [int(round(s * 100)) for s in shares]
    firsts = np.ones((len(right), 10, 10), dtype=np.int8)
    for k, n in enumerate(right):
        firsts[k].flat[:n] = 0
    promising = probing.Promising(target, capacity)
    batch = Chunk((firsts,), np.arange(len(right)))
    for k in range(len(right)):  # one child at a time: trimming happens between offers
        promising.offer(batch, np.array([k]), firsts[k : k + 1], index=0, cost=1.0)
    expected = sorted(range(len(right)), key=lambda k: (-right[k], k))[:capacity]
    assert [c.row for c in promising.best()] == expected


def test_agreement_averages_over_demonstrations_and_scores_a_wrong_shape_zero():
    targets = [np.array([[1, 2]], dtype=np.int8), np.array([[3]], dtype=np.int8)]
    train = (np.array([[[1, 0]], [[1, 2]]], dtype=np.int8), np.array([[[3]], [[4]]], dtype=np.int8))
    assert np.allclose(probing.agreement(train, targets), [0.75, 0.5])
    wrong_shape = (train[0], np.zeros((2, 1, 2), dtype=np.int8))
    assert np.allclose(probing.agreement(wrong_shape, targets), [0.25, 0.5])
