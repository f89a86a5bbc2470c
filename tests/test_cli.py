"""The arc-eval command line, driven with typer's CliRunner at a pinned width."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console
from task_factory import mixed_folder
from typer.testing import CliRunner

from arc_harness import cli, results

TESTS = Path(__file__).parent


@pytest.fixture(autouse=True)
def pinned_width(monkeypatch):
    monkeypatch.setattr(cli, "console", Console(width=200))
    monkeypatch.setattr(cli, "err_console", Console(width=200, stderr=True))


@pytest.fixture
def data_dir(tmp_path):
    return mixed_folder(tmp_path / "tasks")


def invoke(*args):
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def run_solver(data_dir, out, solver="identity", *extra):
    result = invoke(
        "run",
        solver,
        "--dataset",
        data_dir,
        "--out",
        out,
        "--workers",
        1,
        "--time-limit",
        10,
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result, json.loads((out / "leaderboard.json").read_text())


def test_run_reports_each_split_and_writes_a_valid_leaderboard(data_dir, tmp_path):
    result, board = run_solver(data_dir, tmp_path / "out", "identity", "--submission")
    assert "training" in result.output and "evaluation" in result.output
    schema = json.loads(results.SCHEMA_PATH.read_text())
    jsonschema.validate(board, schema)
    for split in ("training", "evaluation"):
        row = board["summary"][split]
        assert row["n_tasks"] == 4 and row["task_fraction"] == 0.5 and row["solved_tasks"] == 2
    assert board["solver"]["name"] == "identity" and board["complete"]
    assert board["dataset"]["content_hash"].startswith("sha256:")
    submission = json.loads((tmp_path / "out" / "submission.json").read_text())
    assert set(submission) == {f"t{i}" for i in range(4)} | {f"e{i}" for i in range(4)}
    assert set(submission["t0"][0]) == {"attempt_1", "attempt_2"}


def test_score_agrees_with_the_run(data_dir, tmp_path):
    run_solver(data_dir, tmp_path / "out", "identity", "--submission")
    result = invoke(
        "score",
        tmp_path / "out" / "submission.json",
        "--dataset",
        data_dir,
        "--split",
        "evaluation",
    )
    assert result.exit_code == 0, result.output
    assert "50.00%" in result.output


def test_verify_passes_then_catches_tampering(data_dir, tmp_path):
    run_solver(data_dir, tmp_path / "out")
    path = tmp_path / "out" / "leaderboard.json"
    ok = invoke("verify", path)
    assert ok.exit_code == 0, ok.output
    board = json.loads(path.read_text())
    flip = next(r for r in board["tasks"] if r["task_id"] == "t1")
    flip["tests"][0]["correct"] = True
    flip["score"], flip["solved"] = 1.0, True
    board["summary"]["training"]["task_fraction"] = 0.75
    path.write_text(json.dumps(board))
    bad = invoke("verify", path)
    assert bad.exit_code == 1
    assert "t1" in bad.output and "task_fraction" in bad.output


def test_leaderboard_ranks_runs_per_split(data_dir, tmp_path):
    run_solver(data_dir, tmp_path / "a", "identity")
    run_solver(data_dir, tmp_path / "b", "symmetry")
    files = [tmp_path / "a" / "leaderboard.json", tmp_path / "b" / "leaderboard.json"]
    as_json = invoke("leaderboard", *files, "--json")
    assert as_json.exit_code == 0, as_json.output
    tables = json.loads(as_json.output)
    assert list(tables) == ["training", "evaluation"]
    assert [row["solver"] for row in tables["training"]] == ["symmetry", "identity"]
    markdown = invoke("leaderboard", *files, "--markdown")
    assert "### training" in markdown.output and "| 1 | symmetry |" in markdown.output
    pretty = invoke("leaderboard", *files)
    assert pretty.exit_code == 0 and "ranked by task_fraction" in pretty.output


def test_listing_commands(data_dir):
    solvers = invoke("solvers")
    assert solvers.exit_code == 0 and "identity" in solvers.output
    data = invoke("datasets")
    assert data.exit_code == 0 and "arc-agi-1" in data.output and "400" in data.output
    shown = invoke("show", "t1", "--dataset", data_dir, "--answers")
    assert shown.exit_code == 0 and "train 1 in" in shown.output
    version = invoke("--version")
    assert version.exit_code == 0 and version.output.startswith("arc-eval ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "identiy"], "Did you mean identity"),
        (["run", "identity", "--param", "depth=3"], "unknown parameter"),
        (["run", "identity", "--dataset", "/no/such/place"], "/no/such/place"),
        (["run", "identity", "--split", "bogus"], "bogus"),
        (["show", "not-a-task"], "not-a-task"),
        (["verify", "/no/such/leaderboard.json"], "no such file"),
        (["run", "identity", "--address", "auto"], "needs --executor ray"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_ctrl_c_saves_progress_and_resume_finishes(tmp_path):
    # 16 tasks of 0.5 s each: after the first record lands, seconds remain to interrupt in,
    # even on a loaded machine.
    data_dir = mixed_folder(tmp_path / "tasks", per_split=8)
    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        "-m",
        "arc_harness",
        "run",
        "fixture_solvers:slow",
        "--dataset",
        str(data_dir),
        "--out",
        str(out),
        "--workers",
        "1",
        "--param",
        "seconds=0.5",
    ]
    # A shell's background jobs ignore SIGINT, and children inherit that; restore the default
    # so the test behaves the same however pytest itself was started.
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("tasks/*/*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr
    board = json.loads((out / "leaderboard.json").read_text())
    assert not board["complete"]
    finished = len(board["tasks"])
    assert 1 <= finished < 16

    resumed = subprocess.run(
        [*command, "--resume", str(out)], env=env, capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    board = json.loads((out / "leaderboard.json").read_text())
    assert board["complete"] and len(board["tasks"]) == 16


def test_run_refuses_to_overwrite_an_existing_run(data_dir, tmp_path):
    run_solver(data_dir, tmp_path / "out")
    again = invoke("run", "identity", "--dataset", data_dir, "--out", tmp_path / "out")
    assert again.exit_code == 2 and "--resume" in again.output


def test_a_version_1_run_still_reads_resumes_and_validates(data_dir, tmp_path):
    # A run as version 1 stored it: no budget.executor. Version 2 only added that field.
    out = tmp_path / "out"
    run_solver(data_dir, out)
    run = json.loads((out / "run.json").read_text())
    del run["budget"]["executor"]
    (out / "run.json").write_text(json.dumps({**run, "schema_version": 1}))
    for path in sorted(out.glob("tasks/training/*.json"))[:2]:
        path.unlink()
    resumed = invoke("run", "identity", "--dataset", data_dir, "--resume", out, "--workers", 1)
    assert resumed.exit_code == 0, resumed.output
    board = results.read_leaderboard(out / "leaderboard.json")
    assert board["schema_version"] == 1 and "executor" not in board["budget"] and board["complete"]
    jsonschema.validate(board, json.loads(results.SCHEMA_PATH.read_text()))
    (out / "run.json").write_text(json.dumps({**run, "schema_version": 99}))
    refused = invoke("run", "identity", "--dataset", data_dir, "--resume", out)
    assert refused.exit_code == 2 and "schema_version 99" in refused.output


def test_a_version_2_run_must_name_its_executor(data_dir, tmp_path):
    _, board = run_solver(data_dir, tmp_path / "out")
    assert board["schema_version"] == 2 and board["budget"]["executor"] == "local"
    del board["budget"]["executor"]
    with pytest.raises(jsonschema.ValidationError, match="executor"):
        jsonschema.validate(board, json.loads(results.SCHEMA_PATH.read_text()))


def test_the_ray_executor_without_ray_says_how_to_install_it(data_dir, tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "ray" else real_find_spec(name, *args),
    )
    result = invoke("run", "identity", "--dataset", data_dir, "--executor", "ray", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "pip install 'arc-eval[ray]'" in result.output
    assert not (tmp_path / "out").exists()  # refused before a run directory was written
