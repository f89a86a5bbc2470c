"""Run directories, per-task records and the leaderboard JSON (``schema_version`` 2).

A run directory holds:

- ``run.json``: what was run (solver spec, dataset, rules, budget, seed, environment, task set),
  written before the first task so an interrupted run can be resumed;
- ``tasks/<split>/<task_id>.json``: one record per finished task, written atomically;
- ``leaderboard.json``: ``run.json`` plus the per-split summary and every record;
- ``submission.json`` (optional): the Kaggle format.

Every field is documented in ``arc_harness/schemas/leaderboard.schema.json``. Versions:
1, the first; 2 adds ``budget.executor`` (``local`` or ``ray``). Files of every version in
``READABLE_VERSIONS`` are read; a version 1 run was always run by local processes.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arc_harness import scoring

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
STATUSES = ("ok", "error", "timeout", "memory")
SCHEMA_PATH = Path(__file__).parent / "schemas" / "leaderboard.schema.json"


class ResultsError(ValueError):
    """A results file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class TaskRecord:
    """The outcome of one task: what the solver answered and how it scored."""

    task_id: str
    split: str
    status: str
    score: float
    solved: bool
    tests: tuple[dict[str, Any], ...]  # per test input: correct, attempts (grids), invalid reasons
    time_s: float
    seed: int
    error: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status != "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "task_id": self.task_id,
            "split": self.split,
            "status": self.status,
            "error": self.error,
            "score": self.score,
            "solved": self.solved,
            "tests": list(self.tests),
            "time_s": round(self.time_s, 4),
            "seed": self.seed,
            "metadata": self.metadata,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> TaskRecord:
        return cls(
            task_id=raw["task_id"],
            split=raw["split"],
            status=raw["status"],
            score=float(raw["score"]),
            solved=bool(raw["solved"]),
            tests=tuple(raw["tests"]),
            time_s=float(raw["time_s"]),
            seed=int(raw["seed"]),
            error=raw.get("error"),
            metadata=dict(raw.get("metadata") or {}),
        )


def make_record(
    task_id: str,
    split: str,
    task_score: scoring.TaskScore,
    *,
    status: str,
    time_s: float,
    seed: int,
    error: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> TaskRecord:
    """A record from a scored task."""
    tests = tuple(
        {
            "correct": outcome.correct,
            "attempts": [None if a is None else a.tolist() for a in outcome.attempts],
            "invalid": list(outcome.invalid),
        }
        for outcome in task_score.tests
    )
    return TaskRecord(
        task_id=task_id,
        split=split,
        status=status,
        score=task_score.score,
        solved=task_score.solved,
        tests=tests,
        time_s=time_s,
        seed=seed,
        error=error,
        metadata=dict(metadata or {}),
    )


def stored_attempts(record: TaskRecord | Mapping[str, Any]) -> list[list[Any]]:
    """The attempts a record kept, per test input (invalid ones as None)."""
    tests = record.tests if isinstance(record, TaskRecord) else record["tests"]
    return [[a for a in test["attempts"] if a is not None] for test in tests]


# --- atomic files -----------------------------------------------------------------------


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError as err:
        raise ResultsError(f"{path}: no such file") from err
    except json.JSONDecodeError as err:
        raise ResultsError(f"{path}: not valid JSON ({err})") from err


# --- the run directory ---------------------------------------------------------------------


class RunStore:
    """Reads and writes one run directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def run_path(self) -> Path:
        return self.root / "run.json"

    @property
    def leaderboard_path(self) -> Path:
        return self.root / "leaderboard.json"

    def record_path(self, split: str, task_id: str) -> Path:
        return self.root / "tasks" / split / f"{task_id}.json"

    def write_run(self, run: Mapping[str, Any]) -> None:
        write_json_atomic(self.run_path, dict(run))

    def read_run(self) -> dict[str, Any]:
        run = read_json(self.run_path)
        check_schema_version(run, self.run_path)
        return run

    def write_record(self, record: TaskRecord) -> None:
        write_json_atomic(self.record_path(record.split, record.task_id), record.to_json())

    def read_records(self) -> dict[tuple[str, str], TaskRecord]:
        """Every finished record, keyed by (split, task id); unreadable files are skipped."""
        records = {}
        for path in sorted((self.root / "tasks").glob("*/*.json")):
            try:
                raw = read_json(path)
                record = TaskRecord.from_json(raw)
            except (ResultsError, KeyError, TypeError, ValueError):
                continue  # a torn or foreign file: the task simply runs again
            records[(record.split, record.task_id)] = record
        return records

    def write_leaderboard(self, board: Mapping[str, Any]) -> None:
        write_json_atomic(self.leaderboard_path, dict(board))


def check_schema_version(data: Mapping[str, Any], path: Path | str) -> None:
    version = data.get("schema_version") if isinstance(data, Mapping) else None
    if version not in READABLE_VERSIONS:
        readable = ", ".join(map(str, READABLE_VERSIONS))
        raise ResultsError(
            f"{path}: schema_version {version!r} is not supported (this harness reads {readable})"
        )


# --- summaries ------------------------------------------------------------------------------


def summarize_split(
    split: str,
    task_ids: Iterable[str],
    tests_per_task: Mapping[str, int],
    records: Mapping[str, TaskRecord],
) -> dict[str, Any]:
    """One split's row: the three aggregations over the whole task set, times and failures."""
    ids = list(task_ids)
    scores = {task_id: _record_score(records[task_id]) for task_id in ids if task_id in records}
    agg = scoring.aggregate(split, scores, {t: tests_per_task[t] for t in ids})
    done = [records[t] for t in ids if t in records]
    times = [r.time_s for r in done]
    counts = {status: sum(r.status == status for r in done) for status in STATUSES}
    return {
        "n_tasks": agg.n_tasks,
        "n_tests": agg.n_tests,
        "task_fraction": agg.task_fraction,
        "task_solved": agg.task_solved,
        "pair_micro": agg.pair_micro,
        "solved_tasks": agg.solved_tasks,
        "solved_tests": agg.solved_tests,
        "n_finished": len(done),
        "n_missing": len(ids) - len(done),
        "n_ok": counts["ok"],
        "n_error": counts["error"],
        "n_timeout": counts["timeout"],
        "n_memory": counts["memory"],
        "time_median_s": round(statistics.median(times), 4) if times else None,
        "time_max_s": round(max(times), 4) if times else None,
    }


def _record_score(record: TaskRecord) -> scoring.TaskScore:
    """Rebuild the score from a record's per-test correctness (no grids needed)."""
    outcomes = tuple(
        scoring.TestOutcome(correct=bool(t["correct"]), attempts=(), invalid=tuple(t["invalid"]))
        for t in record.tests
    )
    return scoring.TaskScore(tests=outcomes)


def build_leaderboard(
    run: Mapping[str, Any], records: Mapping[tuple[str, str], TaskRecord], *, complete: bool
) -> dict[str, Any]:
    """``run.json`` plus the per-split summary (never blended) and every record."""
    summary = {}
    for split, entries in run["task_set"].items():
        ids = [e["id"] for e in entries]
        tests = {e["id"]: e["n_tests"] for e in entries}
        split_records = {tid: records[(split, tid)] for tid in ids if (split, tid) in records}
        summary[split] = summarize_split(split, ids, tests, split_records)
    ordered = sorted(records.values(), key=lambda r: (r.split, r.task_id))
    return {
        **run,
        "complete": complete,
        "summary": summary,
        "tasks": [r.to_json() for r in ordered],
    }


def read_leaderboard(path: Path | str) -> dict[str, Any]:
    board = read_json(Path(path))
    if not isinstance(board, dict):
        raise ResultsError(f"{path}: expected a JSON object")
    check_schema_version(board, path)
    for key in ("summary", "tasks", "solver", "dataset"):
        if key not in board:
            raise ResultsError(f"{path}: missing key {key!r}; is this a leaderboard.json?")
    return board
