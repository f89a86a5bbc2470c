"""How much a perfect guide would help: the search guided by each task's reference program.

    python benchmarks/oracle_guide.py [--seconds 10] [--min-calls 3] [--max-calls 6] [--held-out]

The oracle gives the primitives of a training task's reference program (``data/programs``)
probability 0.9 and every other primitive 0, and the search turns that into costs as it
does the guide's (:mod:`solvers.guide.cost`). On the same tasks, one run after the other,
the script runs the search unguided, with the oracle, and with the shipped guide, and
prints the comparison of ``compare_guided.py`` for each guide against the unguided run:
the gap between the oracle's row and the guide's is what a better guide could still win.

Training tasks only: the oracle reads reference programs, which exist for training tasks
alone, and refuses any other. It is a diagnostic, never a solver to score. ``--held-out``
keeps the tasks whose reference programs the shipped guide held out of its training.
The oracle is also a solver plug-in on its own: ``PYTHONPATH=. arc-eval run
benchmarks.oracle_guide:oracle --split training --tasks ID,...``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from arc_harness.solvers import Solver
from arc_harness.tasks import Task
from dsl.library import load_programs
from dsl.program import primitives_used, size
from dsl.registry import primitives
from solvers.search_solver import search_solver

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "data" / "programs" / "training"
ORACLE_PROBABILITY = 0.9


class ReferenceOracle:
    """A :class:`solvers.search_solver.PrimitivePrior` that knows each task's reference program."""

    def __init__(self, folder: Path = REFERENCES) -> None:
        self.programs = load_programs(folder)
        self.names = sorted(primitives())

    def probabilities(self, task: Task) -> dict[str, float]:
        if task.split != "training":
            raise ValueError(
                f"task {task.id} is from the {task.split!r} split; the oracle reads training only"
            )
        program = self.programs.get(task.id)
        used = primitives_used(program) if program is not None else frozenset()
        return {name: ORACLE_PROBABILITY if name in used else 0.0 for name in self.names}


def oracle(guide_epsilon: float = 0.5) -> Solver:
    """The search guided by the reference program of each task (a diagnostic: training only)."""
    return search_solver(guide=ReferenceOracle(), guide_epsilon=guide_epsilon)


def chosen_tasks(min_calls: int, max_calls: int, held_out: bool) -> list[str]:
    """Training tasks whose reference programs make ``min_calls`` to ``max_calls`` calls."""
    programs = load_programs(REFERENCES)
    wanted = set(programs)
    if held_out:
        from solvers.guide import DEFAULT, checkpoint

        wanted &= set(checkpoint.read_metadata(DEFAULT)["training"]["references_held_out"])
    return sorted(t for t in wanted if min_calls <= size(programs[t]) <= max_calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per task")
    parser.add_argument("--min-calls", type=int, default=3)
    parser.add_argument("--max-calls", type=int, default=6)
    parser.add_argument("--held-out", action="store_true", help="only references the guide never saw")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("results/oracle-guide"))
    args = parser.parse_args()
    tasks = chosen_tasks(args.min_calls, args.max_calls, args.held_out)
    print(f"{len(tasks)} training tasks with reference programs of {args.min_calls}-{args.max_calls} calls")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    common = ["--split", "training", "--tasks", ",".join(tasks), "--time-limit", str(args.seconds)]
    runs = {
        "unguided": ["search"],
        "oracle": ["benchmarks.oracle_guide:oracle"],
        "guide": ["search", "--param", "guide=default"],
    }
    for name, solver in runs.items():
        command = ["arc-eval", "run", *solver, *common, "--workers", str(args.workers), "--out"]
        subprocess.run([*command, str(args.out / name)], check=True, env=env, stdout=subprocess.DEVNULL)
    compare = Path(__file__).with_name("compare_guided.py")
    for name in ("oracle", "guide"):
        print(f"\nunguided against {name}:", flush=True)
        leaderboards = [str(args.out / run / "leaderboard.json") for run in ("unguided", name)]
        subprocess.run([sys.executable, str(compare), *leaderboards], check=True)


if __name__ == "__main__":
    main()
