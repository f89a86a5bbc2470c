"""The README's promises: its test command is what CI runs, and its plug-in guide works."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np

from arc_harness.solvers import Budget, resolve_solver
from arc_harness.tasks import task_from_json

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command():
    test_command = next(b.strip() for b in code_blocks("bash") if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_plugin_guide_solver_works(tmp_path, monkeypatch):
    source = next(b for b in code_blocks("python") if "@solver(" in b)
    package = tmp_path / "my_solvers"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tiles.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    info = resolve_solver("my_solvers.tiles:tile")
    raw = {
        "train": [{"input": [[1, 2]], "output": [[1, 2, 1, 2, 1, 2]]}],
        "test": [{"input": [[3, 4]], "output": [[3, 4, 3, 4, 3, 4]]}],
    }
    task = task_from_json(raw, "tiles", "readme")
    prediction = info.factory(rows=1, cols=3)(task.public(), Budget(5, time.time() + 5, 0))
    assert prediction.metadata == {"fits_train": True}
    assert np.array_equal(prediction.attempts[0][0], task.test[0].output)
    assert len(source.strip().splitlines()) <= 25
    sys.modules.pop("my_solvers.tiles", None)
    sys.modules.pop("my_solvers", None)
