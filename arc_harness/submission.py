"""The Kaggle ``submission.json`` format: writing it from attempts and reading it back.

The format is ``{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}`` with one dict
per test input, in order, and every key ``attempt_1..attempt_k`` present in each dict.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from arc_harness import scoring

__all__ = [
    "PLACEHOLDER",
    "SubmissionError",
    "attempt_key",
    "read_submission",
    "to_submission",
    "write_submission",
]

# Kaggle rejects a submission whose dicts lack an attempt key, so an attempt the solver did
# not give (or gave as an invalid grid) is written as this 1x1 grid, which is simply wrong.
PLACEHOLDER: tuple[tuple[int, ...], ...] = ((0,),)

_KEY = re.compile(r"attempt_([1-9][0-9]*)")


class SubmissionError(ValueError):
    """A malformed submission file; the message names the file and the task."""


def attempt_key(number: int) -> str:
    """The key of the ``number``-th attempt (1-based), e.g. ``attempt_1``."""
    return f"attempt_{number}"


def _as_list(value: Any) -> list[Any]:
    """The items of a list, tuple or array; anything else has none."""
    if isinstance(value, list | tuple) or (isinstance(value, np.ndarray) and value.ndim > 0):
        return list(value)
    return []


def _test_entry(raw_attempts: Any, max_attempts: int) -> dict[str, Any]:
    """One test input's dict: valid attempts as lists, the placeholder for the rest."""
    attempts = _as_list(raw_attempts)
    entry = {}
    for number in range(1, max_attempts + 1):
        grid = scoring.check_attempt(attempts[number - 1])[0] if number <= len(attempts) else None
        # A fresh list each time, so no two cells of the dict share (and co-mutate) one object.
        entry[attempt_key(number)] = [list(row) for row in PLACEHOLDER] if grid is None else grid.tolist()
    return entry


def to_submission(
    attempts_by_task: Mapping[str, Any], n_tests_by_task: Mapping[str, int], max_attempts: int = 2
) -> dict[str, list[dict[str, Any]]]:
    """The submission dict for the task set ``n_tests_by_task``.

    Tasks outside the task set are left out; tasks without attempts get placeholders, since
    Kaggle expects every task of its test set.

    >>> to_submission({"t": [[[[1]]]]}, {"t": 1})
    {'t': [{'attempt_1': [[1]], 'attempt_2': [[0]]}]}
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    submission = {}
    for task_id, n_tests in n_tests_by_task.items():
        per_test = _as_list(attempts_by_task.get(task_id))
        submission[task_id] = [
            _test_entry(per_test[i] if i < len(per_test) else None, max_attempts) for i in range(n_tests)
        ]
    return submission


def write_submission(
    path: Path | str,
    attempts_by_task: Mapping[str, Any],
    n_tests_by_task: Mapping[str, int],
    max_attempts: int = 2,
) -> Path:
    """Write ``submission.json`` atomically: readers see the old file or the new one."""
    path = Path(path)
    text = json.dumps(to_submission(attempts_by_task, n_tests_by_task, max_attempts))
    # The temporary file sits in the same folder so os.replace is a rename on one filesystem.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _entry_attempts(entry: Any, where: str) -> list[Any]:
    """The attempts of one test dict, in key order; a gap in the numbering becomes None."""
    if not isinstance(entry, dict):
        raise SubmissionError(f"{where}: expected an object of attempts, got {type(entry).__name__}")
    numbered = {}
    for key, grid in entry.items():
        match = _KEY.fullmatch(key)
        if match is None:
            raise SubmissionError(f"{where}: unexpected key {key!r} (expected attempt_1, attempt_2, ...)")
        numbered[int(match.group(1))] = grid
    # Keep positions: attempt_3 stays the third attempt even when attempt_2 is absent.
    return [numbered.get(n) for n in range(1, max(numbered, default=0) + 1)]


def _parse(data: Any, source: str) -> dict[str, list[list[Any]]]:
    if not isinstance(data, dict):
        raise SubmissionError(f"{source}: expected a JSON object of task ids, got {type(data).__name__}")
    parsed = {}
    for task_id, entries in data.items():
        where = f"{source}: task {task_id}"
        if not isinstance(entries, list):
            raise SubmissionError(
                f"{where}: expected a list with one object per test input, got {type(entries).__name__}"
            )
        parsed[task_id] = [
            _entry_attempts(entry, f"{where} test {index}") for index, entry in enumerate(entries)
        ]
    return parsed


def read_submission(path: Path | str) -> dict[str, list[list[Any]]]:
    """Read a submission: task id -> per test input, the raw attempts in order.

    Only the structure is checked here; the grids themselves are validated by scoring.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SubmissionError(f"{path}: cannot read the submission ({err})") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SubmissionError(f"{path}: not valid JSON ({err})") from err
    return _parse(data, str(path))
