"""The worker process side: build the solver once, then solve public tasks on request.

This module runs in a fresh ``spawn``/``forkserver`` child (and :func:`solve_one` in Ray
workers, see :mod:`arc_harness.executor_ray`). It never sees a test output: the driver sends
:meth:`Task.public` views only.
"""

from __future__ import annotations

import json
import os
import signal
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from arc_harness.solvers import Budget, Prediction, SolverSpec
from arc_harness.tasks import Task

# Messages, driver -> worker: ("task", Task, Budget) | ("stop",)
# worker -> driver: ("ready", pid) | ("init_error", text)
#                 | ("done", task_id, attempts, metadata, error, seconds)


def worker_main(conn: Connection, spec: dict[str, Any], log_path: str | None) -> None:
    """Entry point of a worker process."""
    # Ctrl-C reaches the whole process group; the driver alone decides what to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if log_path:
        _redirect_output(Path(log_path))
    try:
        solve = SolverSpec(**spec).build()
    except Exception:  # any failure to build is reported, then the driver stops the run
        conn.send(("init_error", traceback.format_exc(limit=8)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the driver went away
        if message[0] != "task":
            return
        _, task, budget = message
        conn.send(solve_one(solve, task, budget))


def solve_one(solve: Any, task: Task, budget: Budget) -> tuple[Any, ...]:
    """Run the solver on one task; a solver's exception becomes an error value."""
    start = time.perf_counter()
    try:
        prediction = solve(task, budget)
        attempts, metadata = _plain_prediction(prediction)
        error = None
    except Exception as err:  # a crashing solver costs this task only
        attempts, metadata = None, {}
        error = f"{type(err).__name__}: {err}\n{_short_traceback()}"
    return ("done", task.id, attempts, metadata, error, time.perf_counter() - start)


def _plain_prediction(prediction: Any) -> tuple[Any, dict[str, Any]]:
    """Attempts and metadata as plain JSON values, so any solver output crosses the pipe."""
    if not isinstance(prediction, Prediction):
        raise TypeError(f"solver returned {type(prediction).__name__}, expected a Prediction")
    try:
        attempts = json.loads(json.dumps(prediction.attempts, default=_json_array))
    except (TypeError, ValueError) as err:
        raise TypeError(f"attempts are not grids of integers: {err}") from err
    metadata = json.loads(json.dumps(prediction.metadata, default=_json_any))
    if not isinstance(metadata, dict):
        raise TypeError("metadata must be a dict")
    return attempts, metadata


def _json_array(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _json_any(value: Any) -> Any:
    try:
        return _json_array(value)
    except TypeError:
        return repr(value)


def _short_traceback() -> str:
    return "".join(traceback.format_exc(limit=-4).splitlines(keepends=True)[-12:])


def _redirect_output(path: Path) -> None:
    """Send the solver's prints to a log file, away from the driver's progress display."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
