"""arc-eval's harness: tasks, datasets, official scoring, solver plug-ins, runner, results."""

from arc_harness.solvers import Budget, Prediction, Solver, SolverSpec, make_spec, solver
from arc_harness.tasks import Grid, GridError, Pair, Task, TaskError, as_grid

__all__ = [
    "Budget",
    "Grid",
    "GridError",
    "Pair",
    "Prediction",
    "Solver",
    "SolverSpec",
    "Task",
    "TaskError",
    "as_grid",
    "make_spec",
    "solver",
]
