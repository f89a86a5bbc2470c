"""The lazy best-first frontier: jobs come out in cost order, levels are sealed once complete."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.frontier import Chunk, Frontier, step_groups
from solvers.search import size_cost
from solvers.steps import enumerate_steps


def chunk(n: int = 1, shape=(2, 2)) -> Chunk:
    return Chunk((np.zeros((n, *shape), dtype=np.int8),), np.arange(n))


def test_step_groups_are_runs_of_equal_cost():
    groups = step_groups([1.0, 1.0, 1.5, 2.0, 2.0, 2.0])
    assert groups == [(1.0, range(0, 2)), (1.5, range(2, 3)), (2.0, range(3, 6))]


@settings(max_examples=50, deadline=None)
@given(
    costs=st.lists(st.sampled_from([1.0, 1.25, 1.5, 2.0, 3.0]), min_size=1, max_size=6),
    max_cost=st.integers(2, 6),
)
def test_jobs_come_out_in_cost_order_and_never_exceed_the_bound(costs, max_cost):
    frontier = Frontier(step_groups(sorted(costs)), float(max_cost), batch_size=4)
    frontier.add(0.0, chunk())
    seen = []
    while (cost := frontier.next_cost()) is not None:
        child, _, _, _ = frontier.pop()
        assert child == cost and child <= max_cost
        seen.append(child)
        frontier.add(child, chunk())  # every job makes one new state
    assert seen == sorted(seen)


def test_a_level_is_batched_by_shape_and_cut_to_the_batch_size():
    frontier = Frontier(step_groups([1.0]), 3.0, batch_size=2)
    frontier.add(1.0, chunk(3, (2, 2)))
    frontier.add(1.0, chunk(1, (3, 3)))
    frontier.add(0.0, chunk())
    assert frontier.next_cost() == 1.0
    _, root, _, first = frontier.pop()
    assert first and len(root) == 1
    assert frontier.next_cost() == 2.0
    _, batches, _, _ = frontier.pop()
    assert sorted(len(b.nodes) for b in batches) == [1, 1, 2]
    assert {b.grids[0].shape[1:] for b in batches} == {(2, 2), (3, 3)}


def test_equal_cost_jobs_come_cheapest_work_first():
    # A fast group (cost 1, weight 1 per state) and a slow one (cost 1.5, weight 50).
    # At child cost 2.5, the slow group on the ten cost-1 states (work 500) waits for the
    # fast group on the two cost-1.5 states (work 2), although its level was sealed first.
    frontier = Frontier(step_groups([1.0, 1.5]), 2.5, batch_size=64, weights=[1.0, 50.0])
    frontier.add(0.0, chunk())
    order = []
    while frontier.next_cost() is not None:
        child, batches, group, _ = frontier.pop()
        order.append((child, sum(len(b.nodes) for b in batches), group))
        if child == 1.0:
            frontier.add(child, chunk(10))
        elif child == 1.5:
            frontier.add(child, chunk(2))
    assert order == [(1.0, 1, 0), (1.5, 1, 1), (2.0, 10, 0), (2.5, 2, 0), (2.5, 10, 1)]


def test_size_cost_charges_constants():
    steps = {s.text: s for s in enumerate_steps((0, 1, 2))}
    cost = size_cost(0.25)
    assert cost(steps["rot90(I)"]) == 1.0
    assert cost(steps["recolor(I, 1, 2)"]) == 1.5
    assert size_cost(0.0)(steps["recolor(I, 1, 2)"]) == 1.0


def test_size_cost_charges_unbatched_primitives_whatever_the_backend():
    steps = {s.text: s for s in enumerate_steps((0, 1, 2))}
    cost = size_cost(0.0, slow_cost=0.5)
    assert cost(steps["rot90(I)"]) == 1.0  # has a batched kernel
    assert cost(steps["crop_to_content(I)"]) == 1.5  # grid by grid: objects and shapes vary
    assert cost(steps["overlay(I, original_input())"]) == 1.0  # not one primitive on I alone
