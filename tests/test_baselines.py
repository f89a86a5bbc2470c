"""The baselines answer what they claim to, and nothing else."""

from __future__ import annotations

import time

import numpy as np
from task_factory import COPY_TASK, FLIP_TASK

from arc_harness.solvers import Budget, resolve_solver
from arc_harness.tasks import task_from_json
from solvers.baselines import fitting_transforms

BUDGET = Budget(time_limit=5.0, deadline=time.time() + 3600, seed=0, max_attempts=2)


def solve(name, raw):
    task = task_from_json(raw, "t", "test")
    return task, resolve_solver(name).factory()(task.public(), BUDGET)


def test_identity_copies_each_test_input():
    task, prediction = solve("identity", FLIP_TASK)
    assert prediction.attempts == [[task.test[0].input.tolist()]]


def test_symmetry_finds_the_flip():
    task, prediction = solve("symmetry", FLIP_TASK)
    assert prediction.metadata["transforms"] == ["flip_horizontal"]
    assert np.array_equal(prediction.attempts[0][0], task.test[0].output)


def test_symmetry_falls_back_to_identity():
    raw = {
        "train": [{"input": [[1, 2]], "output": [[3]]}],
        "test": [{"input": [[4, 5]], "output": [[6]]}],
    }
    _, prediction = solve("symmetry", raw)
    assert prediction.metadata == {"transforms": ["identity"], "fitted": False}


def test_fitting_transforms_lists_every_fit():
    # A symmetric square fits several group elements at once.
    raw = {
        "train": [{"input": [[1, 1], [1, 1]], "output": [[1, 1], [1, 1]]}],
        "test": [{"input": [[2]], "output": [[2]]}],
    }
    assert len(fitting_transforms(task_from_json(raw, "t", "test"))) == 8


def test_majority_output_answers_the_most_common_output():
    raw = {
        "train": [
            {"input": [[1]], "output": [[5]]},
            {"input": [[2]], "output": [[5]]},
            {"input": [[3]], "output": [[6]]},
        ],
        "test": [{"input": [[4]], "output": [[5]]}],
    }
    _, prediction = solve("majority_output", raw)
    assert prediction.attempts == [[[[5]], [[6]]]]
    _, copy_prediction = solve("majority_output", COPY_TASK)
    assert len(copy_prediction.attempts[0]) == 1
