from __future__ import annotations

import time
from math import comb

import numpy as np
from grid_strategies import small_grids
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from arc_harness.tasks import Pair, Task, as_grid
from solvers import local_rules, search_solver
from solvers.cell_features import NAMES

FAR = 1e12  # a deadline that never comes


def _beam_right(grid: list[list[int]]) -> list[list[int]]:
    """The rule the tasks below follow: background cells right of a 2 in their row turn 3."""
    out = [row[:] for row in grid]
    for row in out:
        seen = False
        for c, value in enumerate(row):
            if seen and value == 0:
                row[c] = 3
            seen = seen or value == 2
    return out


def _beam_task(inputs: list[list[list[int]]], tests: list[list[list[int]]]) -> Task:
    return make_task([(g, _beam_right(g)) for g in inputs], tests)


BEAM_INPUTS = [
    [[0, 2, 0, 0], [0, 0, 0, 0], [2, 0, 0, 0]],
    [[0, 0, 0, 2, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 2, 0, 0]],
]
BEAM_TEST = [[0, 0, 0], [0, 2, 0], [2, 0, 0]]
BEAM = _beam_task(BEAM_INPUTS, [BEAM_TEST])


def test_a_rule_the_demonstrations_follow_answers_the_test():
    rules = local_rules.fit(BEAM, FAR)
    assert rules
    assert rules[0].outputs[0].tolist() == _beam_right(BEAM_TEST)
    assert "ray_left" in rules[0].features  # what the cell reads: a 2 somewhere to its left


def test_every_rule_returned_uses_the_fewest_features_any_rule_needs():
    rules = local_rules.fit(BEAM, FAR, limit=10)
    sizes = {len(r.features) for r in rules}
    assert len(sizes) == 1
    assert local_rules.fit(BEAM, FAR, max_features=min(sizes) - 1) == []


def test_rules_have_distinct_outputs_up_to_the_limit_smallest_table_first():
    rules = local_rules.fit(BEAM, FAR, limit=10)
    keys = [tuple(o.tobytes() for o in r.outputs) for r in rules]
    assert len(set(keys)) == len(keys)
    assert [r.cases for r in rules] == sorted(r.cases for r in rules)
    assert [r.features for r in local_rules.fit(BEAM, FAR, limit=1)] == [rules[0].features]


def test_no_rule_when_equal_cells_want_different_colours():
    grid = [[0, 2, 0], [0, 0, 0]]
    task = make_task([(grid, _beam_right(grid)), (grid, grid)], [grid])
    assert local_rules.fit(task, FAR) == []


def test_no_rule_when_a_test_cell_shows_values_the_demonstrations_never_did():
    assert local_rules.fit(_beam_task(BEAM_INPUTS, [[[0, 7, 0], [2, 0, 0]]]), FAR) == []


def test_no_rule_when_sizes_change_or_the_deadline_has_passed():
    shrink = make_task([([[1, 2], [3, 4]], [[1]])], [[[5, 6]]])
    assert not local_rules.applicable(shrink)
    assert local_rules.fit(shrink, FAR) == []
    assert local_rules.fit(BEAM, time.time() - 1) == []


def _random_rule_task(inputs: list[np.ndarray], table: list[int]) -> Task:
    """Outputs by a table on the colour of each cell and of the cell above it."""

    def apply(grid: np.ndarray) -> np.ndarray:
        above = np.vstack([np.full((1, grid.shape[1]), 5), grid[:-1]])
        return np.asarray(table, dtype=np.int8)[grid * 6 + above]

    pairs = tuple(Pair(as_grid(g), as_grid(apply(g))) for g in inputs)
    # the demonstration inputs again as tests: a fitted rule must give back their outputs
    return Task("rule", pairs, tuple(Pair(p.input, None) for p in pairs))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(small_grids(), min_size=1, max_size=3),
    st.lists(st.integers(0, 9), min_size=36, max_size=36),
)
def test_a_fitted_rule_reproduces_every_demonstration_exactly(inputs, table):
    inputs = [np.minimum(g, 4) for g in inputs]  # colours 0-4; 5 marks "above the border"
    task = _random_rule_task(inputs, table)
    rules = local_rules.fit(task, FAR)
    assert rules, "the colour and the cell above always make a rule"
    for rule in rules:
        for output, pair in zip(rule.outputs, task.train, strict=True):
            assert np.array_equal(output, pair.output)


def test_the_solver_answers_with_a_local_rule_only_when_asked():
    found = solve(BEAM, attempts=2)
    assert _beam_right(BEAM_TEST) in found.attempts[0]
    assert any(p.startswith("local rule on") for p in found.metadata["programs"])
    off = solve(BEAM, attempts=2, local_rules=False, colour_views=False)
    assert not any(p.startswith("local rule on") for p in off.metadata["programs"])


def test_a_rule_ranks_as_one_call_per_feature_with_a_constant_per_case():
    answers = search_solver.rule_answers(BEAM, FAR, 2)
    rules = local_rules.fit(BEAM, FAR)
    assert [(a.cost, a.constants) for a in answers] == [(float(len(r.features)), r.cases) for r in rules]
    assert [a.program for a in answers] == [r.text for r in rules]


def test_subsets_past_the_free_size_all_hold_the_colour():
    n = len(NAMES)
    assert len(list(local_rules._subsets(local_rules.FREE_FEATURES))) == comb(n, local_rules.FREE_FEATURES)
    wide = list(local_rules._subsets(local_rules.FREE_FEATURES + 1))
    assert len(wide) == comb(n - 1, local_rules.FREE_FEATURES) == len(set(wide))
    assert all(NAMES.index("colour") in s and list(s) == sorted(s) for s in wide)
