"""The Ray executor: the local executor's records, hard deadlines, failures costing one task, resume.

One local Ray cluster (``num_cpus=2``) serves the whole test session; each run reuses it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
from interrupt import InterruptAfter
from typer.testing import CliRunner

from arc_harness import cli, datasets, results, runner
from arc_harness.executor import SolverStartupError, make_executor
from arc_harness.solvers import make_spec

ray = pytest.importorskip("ray", reason="Ray is not installed (optional extra: pip install 'arc-eval[ray]')")

TESTS = Path(__file__).parent
DATA = TESTS.parent / "data" / "tasks"  # the hand-made tasks: 8 training, 7 evaluation
# misbehave fails on these in one way each
HANG, CRASH, EXIT, HOG = (
    "fill-enclosed-holes",
    "scale-up-by-two",
    "crop-to-single-object",
    "drop-cells-to-floor",
)
COPY_TASK = "copy-scattered-dots"  # identity solves it


@pytest.fixture(scope="session")
def ray_cluster():
    # Ray workers do not get pytest's sys.path: point them at tests/ for fixture_solvers.
    from arc_harness.executor_ray import start_local_ray

    start_local_ray(2, runtime_env={"env_vars": {"PYTHONPATH": str(TESTS)}})
    yield
    ray.shutdown()


def start(tmp_path: Path, solver: str, params=(), task_ids=None, **settings):
    data = datasets.load_dataset(str(DATA))
    spec = make_spec(solver, list(params))
    run_settings = runner.RunSettings(**{"time_limit": 10.0, "workers": 2, "executor": "ray", **settings})
    store = results.RunStore(tmp_path / "run")
    run = runner.new_run(spec, data, datasets.select_tasks(data, task_ids=task_ids), run_settings, {})
    store.write_run(run)
    return store, run, data, run_settings


def by_id(board):
    return {r["task_id"]: r for r in board["tasks"]}


def without_times(board):
    tasks = [{**r, "time_s": None} for r in board["tasks"]]
    summary = {
        split: {**row, "time_median_s": None, "time_max_s": None} for split, row in board["summary"].items()
    }
    return tasks, summary


def test_ray_gives_the_same_predictions_and_scores_as_local(tmp_path, ray_cluster):
    boards = {}
    for kind in ("local", "ray"):
        store, run, data, settings = start(tmp_path / kind, "symmetry", executor=kind)
        boards[kind] = runner.execute_run(store, run, data, settings).leaderboard
    assert without_times(boards["ray"]) == without_times(boards["local"])
    assert sum(row["solved_tasks"] for row in boards["ray"]["summary"].values()) >= 2  # not trivially equal
    assert boards["ray"]["budget"]["executor"] == "ray" and boards["local"]["budget"]["executor"] == "local"
    assert boards["ray"]["complete"]


def test_hanging_crashing_and_dying_solvers_cost_one_task_each(tmp_path, ray_cluster):
    params = [f"hang={HANG}", f"crash={CRASH}", f"exit={EXIT}"]
    store, run, data, settings = start(tmp_path, "fixture_solvers:misbehave", params, time_limit=2.0)
    began = time.monotonic()
    board = runner.execute_run(store, run, data, settings).leaderboard
    records = by_id(board)
    hung = records[HANG]
    assert hung["status"] == "timeout" and "time limit" in hung["error"]
    assert 2.0 <= hung["time_s"] < 4.0  # cut off at its deadline, not waited for
    assert records[CRASH]["status"] == "error" and f"boom on {CRASH}" in records[CRASH]["error"]
    assert records[EXIT]["status"] == "error" and "died" in records[EXIT]["error"]
    others = [r for tid, r in records.items() if tid not in (HANG, CRASH, EXIT)]
    assert len(others) == 12 and all(r["status"] == "ok" for r in others)
    assert records[COPY_TASK]["solved"]
    assert board["complete"]
    assert time.monotonic() - began < 60


def test_memory_cap_kills_the_ray_worker(tmp_path, ray_cluster):
    store, run, data, settings = start(
        tmp_path,
        "fixture_solvers:misbehave",
        [f"hog={HOG}"],
        task_ids=[HOG, COPY_TASK],
        memory_limit_mb=450.0,
    )
    records = by_id(runner.execute_run(store, run, data, settings).leaderboard)
    assert records[HOG]["status"] == "memory" and "MB" in records[HOG]["error"]
    assert records[COPY_TASK]["status"] == "ok" and records[COPY_TASK]["solved"]


def test_resume_after_an_interrupted_ray_run(tmp_path, ray_cluster):
    store, run, data, settings = start(tmp_path, "fixture_solvers:misbehave")

    inner = make_executor(
        "ray", make_spec("fixture_solvers:misbehave"), workers=2, time_limit=10.0, memory_limit_mb=None
    )
    first = runner.execute_run(store, run, data, settings, executor=InterruptAfter(3, inner))
    assert first.interrupted and not first.leaderboard["complete"]
    saved = {p: p.read_text() for p in (store.root / "tasks").glob("*/*.json")}
    assert len(saved) == 3

    second = runner.execute_run(store, store.read_run(), data, settings)
    assert second.ran == 12 and second.leaderboard["complete"]
    for path, text in saved.items():
        assert path.read_text() == text  # finished tasks were not run again


def test_a_solver_that_cannot_be_built_stops_the_run(tmp_path, ray_cluster):
    store, run, data, settings = start(tmp_path, "fixture_solvers:misbehave", task_ids=[COPY_TASK])
    broken = {**run, "solver": {**run["solver"], "config": {"no_such_option": 1}}}
    with pytest.raises(SolverStartupError, match="no_such_option"):
        runner.execute_run(store, broken, data, settings)


def test_cli_runs_on_ray_and_records_the_executor(tmp_path, ray_cluster):
    out = tmp_path / "out"
    args = ["run", "identity", "--dataset", str(DATA), "--out", str(out), "--workers", "2"]
    result = CliRunner().invoke(cli.app, [*args, "--time-limit", "10", "--executor", "ray"])
    assert result.exit_code == 0, result.output
    board = json.loads((out / "leaderboard.json").read_text())
    jsonschema.validate(board, json.loads(results.SCHEMA_PATH.read_text()))
    assert board["budget"]["executor"] == "ray" and board["complete"]
    assert by_id(board)[COPY_TASK]["solved"]


def test_an_address_nobody_answers_at_fails_fast():
    from arc_harness import executor_ray

    began = time.monotonic()
    with pytest.raises(ConnectionError, match="nothing answers at 127.0.0.1:1"):
        executor_ray._check_reachable("127.0.0.1:1")
    assert time.monotonic() - began < 5
