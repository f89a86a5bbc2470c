"""Small task folders written on the fly for runner and CLI tests."""

from __future__ import annotations

import json
from pathlib import Path

# A task whose answer is its input (identity solves it) and one whose answer is a flip.
COPY_TASK = {
    "train": [{"input": [[1, 2], [3, 4]], "output": [[1, 2], [3, 4]]}],
    "test": [{"input": [[5, 6], [7, 8]], "output": [[5, 6], [7, 8]]}],
}
FLIP_TASK = {
    "train": [{"input": [[1, 2], [3, 4]], "output": [[2, 1], [4, 3]]}],
    "test": [{"input": [[5, 6], [7, 8]], "output": [[6, 5], [8, 7]]}],
}
# Its answer is the leakage sentinel (a 3x3 grid of 7s) that appears nowhere in the public view.
SECRET_TASK = {
    "train": [{"input": [[1]], "output": [[2]]}],
    "test": [{"input": [[3]], "output": [[7, 7, 7], [7, 7, 7], [7, 7, 7]]}],
}


def write_folder(root: Path, splits: dict[str, dict[str, dict]]) -> Path:
    """Write ``{split: {task_id: task_json}}`` as root/<split>/<task_id>.json and return root."""
    for split, tasks in splits.items():
        folder = root / split
        folder.mkdir(parents=True, exist_ok=True)
        for task_id, task in tasks.items():
            (folder / f"{task_id}.json").write_text(json.dumps(task))
    return root


def mixed_folder(root: Path, per_split: int = 4) -> Path:
    """Both splits, alternating identity-solvable and flip tasks: t0, t1, ... and e0, e1, ..."""
    splits = {
        "training": {f"t{i}": (COPY_TASK if i % 2 == 0 else FLIP_TASK) for i in range(per_split)},
        "evaluation": {f"e{i}": (COPY_TASK if i % 2 == 0 else FLIP_TASK) for i in range(per_split)},
    }
    return write_folder(root, splits)
