"""``arc-eval dsl``: listing primitives, running a program file, coverage of a program folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from arc_harness import cli, cli_dsl
from dsl import registry

DATA = Path(__file__).resolve().parents[1] / "data" / "tasks"
TASK = "rotate-quarter-turn-corner"


@pytest.fixture(autouse=True)
def pinned_width(monkeypatch):
    monkeypatch.setattr(cli_dsl, "console", Console(width=200))
    monkeypatch.setattr(cli_dsl, "err_console", Console(width=200, stderr=True))


def invoke(*args):
    return CliRunner().invoke(cli.app, ["dsl", *map(str, args)])


def program(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.dsl"
    path.write_text(text)
    return path


def test_primitives_lists_every_primitive_and_filters_by_family():
    every = invoke("primitives")
    assert every.exit_code == 0
    assert all(name in every.output for name in registry.primitives())
    geometry = invoke("primitives", "--family", "geometry")
    assert "rot90(Grid) -> Grid" in geometry.output and "objects_by_color" not in geometry.output
    unknown = invoke("primitives", "--family", "geometri")
    assert unknown.exit_code == 2 and "geometry" in unknown.output


def test_run_reports_each_pair_and_exits_by_outcome(tmp_path):
    right = program(tmp_path, "right", "# quarter turn clockwise\nO = rot270(I)\n")
    wrong = program(tmp_path, "wrong", "O = flip_vertical(I)\n")
    solved = invoke("run", right, TASK, "--dataset", DATA)
    assert solved.exit_code == 0, solved.output
    assert solved.output.count("match") == 4 and "solves" in solved.output
    failed = invoke("run", wrong, TASK, "--dataset", DATA, "--show")
    assert failed.exit_code == 1 and "differs" in failed.output


def test_run_names_the_bad_line_of_a_program_file(tmp_path):
    bad = program(tmp_path, "bad", "x1 = rot90(I)\nO = rot91(x1)\n")
    result = invoke("run", bad, TASK, "--dataset", DATA)
    assert result.exit_code == 2
    assert "bad.dsl:2" in result.output and "rot90" in result.output


def test_coverage_checks_programs_against_their_training_tasks(tmp_path):
    folder = tmp_path / "programs"
    program(folder, TASK, "O = rot270(I)\n")
    good = invoke("coverage", folder, "--dataset", DATA)
    assert good.exit_code == 0, good.output
    assert "1 reference programs" in good.output and "1 of 1 solve" in good.output
    program(folder, "drop-cells-to-floor", "O = rot90(I)\n")
    program(folder, "not-a-task", "O = I\n")
    bad = invoke("coverage", folder, "--dataset", DATA)
    assert bad.exit_code == 1
    assert "drop-cells-to-floor: does not reproduce" in bad.output
    assert "not-a-task: not a training task" in bad.output
    assert invoke("coverage", folder, "--dataset", DATA, "--no-check").exit_code == 0
