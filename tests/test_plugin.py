"""A third-party package registers a solver by entry point just by being installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from task_factory import mixed_folder

PLUGIN_PYPROJECT = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "tiny-arc-solver"
version = "0.3.0"

[project.entry-points."arc_eval.solvers"]
tiny-flip = "tiny_arc_solver:flip"

[tool.hatch.build.targets.wheel]
packages = ["tiny_arc_solver"]
"""

PLUGIN_MODULE = '''
"""A solver that mirrors every test input left to right."""

from arc_harness.solvers import Budget, Prediction, Solver
from arc_harness.tasks import Task


def flip(copies: int = 1) -> Solver:
    """Mirror each test input left to right."""

    def solve(task: Task, budget: Budget) -> Prediction:
        return Prediction([[pair.input[:, ::-1]] * copies for pair in task.test])

    return solve
'''


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory):
    root = tmp_path_factory.mktemp("plugin")
    project = root / "tiny-arc-solver"
    (project / "tiny_arc_solver").mkdir(parents=True)
    (project / "pyproject.toml").write_text(textwrap.dedent(PLUGIN_PYPROJECT))
    (project / "tiny_arc_solver" / "__init__.py").write_text(PLUGIN_MODULE)
    target = root / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(project),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return target


def arc_eval(site, *args):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "arc_harness", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_entry_point_solver_is_listed_and_runs(installed_plugin, tmp_path):
    listed = arc_eval(installed_plugin, "solvers")
    assert listed.returncode == 0, listed.stderr
    assert "tiny-flip" in listed.stdout

    data = mixed_folder(tmp_path / "tasks")
    out = tmp_path / "out"
    ran = arc_eval(
        installed_plugin,
        "run",
        "tiny-flip",
        "--dataset",
        data,
        "--out",
        out,
        "--workers",
        1,
        "--param",
        "copies=2",
    )
    assert ran.returncode == 0, ran.stderr
    board = json.loads((out / "leaderboard.json").read_text())
    assert board["solver"] == {"name": "tiny-flip", "config": {"copies": 2}, "version": "0.3.0"}
    # The flip tasks (odd ids) are solved, the copy tasks are not.
    solved = sorted(r["task_id"] for r in board["tasks"] if r["solved"])
    assert solved == ["e1", "e3", "t1", "t3"]
