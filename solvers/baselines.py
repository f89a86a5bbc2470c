"""Reference baselines: honest rows at the bottom of every leaderboard.

- ``identity`` copies each test input.
- ``symmetry`` finds the square-group transform (rotation / reflection) that maps every
  demonstration input to its output and applies it; without one it falls back to identity.
- ``majority_output`` answers the most common demonstration output (ties: the first seen),
  which solves tasks whose output does not depend on the input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from arc_harness.solvers import Budget, Prediction, Solver, solver
from arc_harness.tasks import Grid, Task

# The eight elements of the square's symmetry group, identity first so it wins ties.
SQUARE_GROUP: dict[str, Callable[[Grid], Grid]] = {
    "identity": lambda g: g,
    "rot90": lambda g: np.rot90(g, 1),
    "rot180": lambda g: np.rot90(g, 2),
    "rot270": lambda g: np.rot90(g, 3),
    "flip_horizontal": lambda g: g[:, ::-1],
    "flip_vertical": lambda g: g[::-1, :],
    "transpose": lambda g: g.T,
    "antitranspose": lambda g: np.rot90(g, 2).T,
}


@solver("identity")
def identity() -> Solver:
    """Copy each test input as the answer."""

    def solve(task: Task, budget: Budget) -> Prediction:
        return Prediction([[pair.input.tolist()] for pair in task.test])

    return solve


def fitting_transforms(task: Task) -> list[str]:
    """Names of the square-group transforms that map every demonstration input to its output."""
    fits = []
    for name, transform in SQUARE_GROUP.items():
        if all(np.array_equal(transform(p.input), p.output) for p in task.train):
            fits.append(name)
    return fits


@solver("symmetry")
def symmetry() -> Solver:
    """Apply the rotation/reflection that fits every demonstration (else copy the input)."""

    def solve(task: Task, budget: Budget) -> Prediction:
        fits = fitting_transforms(task)
        names = fits[: budget.max_attempts] or ["identity"]
        attempts = [[SQUARE_GROUP[name](pair.input).tolist() for name in names] for pair in task.test]
        return Prediction(attempts, {"transforms": names, "fitted": bool(fits)})

    return solve


@solver("majority_output")
def majority_output() -> Solver:
    """Answer the most common demonstration outputs, whatever the test input."""

    def solve(task: Task, budget: Budget) -> Prediction:
        counts = Counter(_grid_key(p.output) for p in task.train)
        ranked = [key for key, _ in counts.most_common(budget.max_attempts)]
        by_key = {_grid_key(p.output): p.output for p in task.train}
        answers = [by_key[key].tolist() for key in ranked]
        return Prediction([list(answers) for _ in task.test], {"distinct_outputs": len(counts)})

    return solve


def _grid_key(grid: Grid) -> tuple[tuple[int, int], bytes]:
    return grid.shape, grid.tobytes()
