"""Scoring stored answers again: Kaggle submissions, and verifying a leaderboard's claims."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from arc_harness import results, scoring
from arc_harness.datasets import Dataset
from arc_harness.tasks import Task

SUMMARY_KEYS = (
    "task_fraction",
    "task_solved",
    "pair_micro",
    "solved_tasks",
    "solved_tests",
    "n_tasks",
)


def score_attempts(
    tasks: Sequence[Task], attempts_by_task: Mapping[str, Any], max_attempts: int
) -> dict[str, scoring.SplitScore]:
    """Per split, the aggregations of ``attempts_by_task`` over ``tasks`` (missing tasks score 0)."""
    by_split: dict[str, dict[str, scoring.TaskScore]] = {}
    tests: dict[str, dict[str, int]] = {}
    for task in tasks:
        tests.setdefault(task.split, {})[task.id] = len(task.test)
        if task.id in attempts_by_task:
            score = scoring.score_task(attempts_by_task[task.id], task.test_outputs, max_attempts)
            by_split.setdefault(task.split, {})[task.id] = score
    return {
        split: scoring.aggregate(split, by_split.get(split, {}), counts) for split, counts in tests.items()
    }


def verify_leaderboard(board: Mapping[str, Any], dataset: Dataset) -> list[str]:
    """Every way the stored scores disagree with a fresh scoring of the stored attempts."""
    problems = []
    if board["dataset"]["content_hash"] != dataset.content_hash:
        problems.append(
            f"dataset content hash {dataset.content_hash} differs from the recorded "
            f"{board['dataset']['content_hash']}"
        )
        return problems
    max_attempts = board["rules"]["max_attempts"]
    rescored: dict[tuple[str, str], results.TaskRecord] = {}
    for raw in board["tasks"]:
        record = results.TaskRecord.from_json(raw)
        task = dataset.get(record.task_id)
        fresh = scoring.score_task(results.stored_attempts(record), task.test_outputs, max_attempts)
        stored = [bool(t["correct"]) for t in record.tests]
        if stored != [o.correct for o in fresh.tests] or not math.isclose(record.score, fresh.score):
            problems.append(
                f"task {record.task_id}: stored correctness {stored} (score {record.score}) but "
                f"the attempts score {[o.correct for o in fresh.tests]} ({fresh.score})"
            )
        rescored[(record.split, record.task_id)] = results.make_record(
            record.task_id,
            record.split,
            fresh,
            status=record.status,
            time_s=record.time_s,
            seed=record.seed,
        )
    fresh_board = results.build_leaderboard(board, rescored, complete=board.get("complete", True))
    for split, row in board["summary"].items():
        fresh_row = fresh_board["summary"].get(split, {})
        for key in SUMMARY_KEYS:
            if not math.isclose(float(row[key]), float(fresh_row.get(key, math.nan)), abs_tol=1e-9):
                problems.append(f"{split}: stored {key} = {row[key]}, re-scored {fresh_row.get(key)}")
    return problems
