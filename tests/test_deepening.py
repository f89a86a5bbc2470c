"""Deepening rounds: each raises the cost bound, answers are pooled once, and the work
before the first fit is counted from the first round."""

from __future__ import annotations

import time

import numpy as np
from test_search import GEOMETRY, ROTATE, steps_for

from solvers import backends
from solvers.deepening import Deepening, pooled
from solvers.search import Answer, SearchConfig


def test_rounds_raise_the_bound_and_pool_each_answer_once():
    # Only rot270 fits, and no second answer exists: every round is exhausted.
    rounds = Deepening(ROTATE, steps_for(ROTATE, GEOMETRY), backends.NumpyBackend(), SearchConfig(max_cost=3))
    rounds.round(time.time() + 30)
    assert not rounds.finished and rounds.bound == 3
    first_nodes = rounds.nodes
    rounds.round(time.time() + 30)
    assert rounds.finished and rounds.last.stats.max_cost_reached <= 3
    assert not rounds.settled  # the bound ran out, not the time, and one answer is short of two
    result = rounds.result()
    assert [a.program for a in result.answers] == ["rot270(I)"]
    assert rounds.nodes > first_nodes
    assert result.stats.first_fit_nodes is not None and result.stats.first_fit_nodes <= first_nodes


def test_a_round_cut_by_its_deadline_finishes_the_deepening():
    rounds = Deepening(ROTATE, steps_for(ROTATE), backends.NumpyBackend(), SearchConfig(max_cost=4))
    rounds.round(time.time() - 1)
    assert rounds.finished and rounds.settled and rounds.last.stats.stop == "deadline"
    assert rounds.result().stats.first_fit_seconds is None


def test_pooled_rounds_keep_each_outputs_once_at_the_cheaper_cost():
    a, b = (np.array([[v]], dtype=np.int8) for v in (1, 2))
    earlier = [Answer("mapped | colours 1->2", 3.0, (a,), 0.1, 1), Answer("other", 2.0, (b,), 0.2)]
    later = [Answer("plain", 2.5, (a,), 0.3), Answer("other, dearer", 3.0, (b,), 0.4)]
    assert [(x.program, x.cost) for x in pooled(earlier, later)] == [("plain", 2.5), ("other", 2.0)]
