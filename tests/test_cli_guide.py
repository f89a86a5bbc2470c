"""``arc-eval guide``: training a checkpoint, reading its metadata, ranking primitives for a task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from arc_harness import cli, cli_guide
from solvers.guide import checkpoint

DATA = Path(__file__).resolve().parents[1] / "data" / "tasks"


@pytest.fixture(autouse=True)
def pinned_width(monkeypatch):
    monkeypatch.setattr(cli_guide, "console", Console(width=200))
    monkeypatch.setattr(cli_guide, "err_console", Console(width=200, stderr=True))


def invoke(*args):
    return CliRunner().invoke(cli.app, ["guide", *map(str, args)])


def test_train_writes_a_checkpoint_that_info_and_rank_read(tmp_path):
    out = tmp_path / "g.zip"
    trained = invoke(
        "train", "--out", out, "--dataset", DATA, "--programs", tmp_path / "none",
        "--synthetic-tasks", 30, "--epochs", 1, "--batch-size", 8, "--seed", 4,
    )  # fmt: skip
    assert trained.exit_code == 0, trained.output
    assert f"wrote {out}" in trained.output and "recall@10" in trained.output
    metadata = checkpoint.read_metadata(out)
    assert metadata["training"]["seed"] == 4
    assert metadata["training"]["dataset"]["split"] == "training"
    assert metadata["training"]["synthetic_train"] + metadata["training"]["synthetic_validation"] == 30

    info = invoke("info", out)
    assert info.exit_code == 0 and metadata["registry_hash"] in info.output and "synthetic" in info.output

    task_id = sorted(p.stem for p in (DATA / "evaluation").glob("*.json"))[0]
    ranked = invoke("rank", task_id, "--checkpoint", out, "--dataset", DATA, "--top", 3, "--json")
    assert ranked.exit_code == 0, ranked.output
    rows = json.loads(ranked.output)
    assert len(rows) == 3 and rows[0]["probability"] >= rows[-1]["probability"]


def test_info_on_the_shipped_checkpoint_and_errors_name_the_problem(tmp_path):
    shipped = invoke("info", "default")
    assert shipped.exit_code == 0 and "reference programs" in shipped.output
    missing = invoke("info", tmp_path / "nope.zip")
    assert missing.exit_code == 2 and "nope.zip: not a guide checkpoint" in missing.output
    unknown = invoke("rank", "no-such-task", "--dataset", DATA)
    assert unknown.exit_code == 2 and "no task 'no-such-task'" in unknown.output
