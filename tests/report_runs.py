"""Small real runs for the report tests: the harness run on the bundled tasks in data/tasks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from arc_harness import cli

DATA = Path(__file__).parent.parent / "data" / "tasks"
# The fitted fixture solver fails on purpose on these: identity solves copy-scattered-dots, so a
# comparison has a task on each side; draw-fixed-cross is unsolved either way.
CRASHES_ON = "copy-scattered-dots"
HANGS_ON = "draw-fixed-cross"


def invoke(*args: Any):
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def make_run(out: Path, solver: str, *params: str, time_limit: float = 10.0) -> dict[str, Any]:
    """Run ``solver`` on data/tasks into ``out`` and return its leaderboard."""
    extra = [arg for param in params for arg in ("--param", param)]
    result = invoke(
        "run", solver, "--dataset", DATA, "--out", out, "--workers", 2, "--time-limit", time_limit, *extra
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "leaderboard.json").read_text())


def make_fitted_run(out: Path) -> dict[str, Any]:
    """Solved, failed, error and timeout tasks, with program text and stats in the metadata."""
    return make_run(out, "fixture_solvers:fitted", f"crash={CRASHES_ON}", f"hang={HANGS_ON}", time_limit=2.0)
