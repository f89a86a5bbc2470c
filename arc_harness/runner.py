"""Running a solver over a task set: the run directory, resume, scoring as tasks finish.

The answers stay in this process: the executor only ever receives public tasks, and
each result is scored here against the hidden test outputs, then written atomically.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from arc_harness import provenance, results, scoring
from arc_harness.datasets import Dataset
from arc_harness.executor import Executor, Job, JobResult, make_executor
from arc_harness.results import RunStore, TaskRecord
from arc_harness.solvers import Budget, SolverSpec
from arc_harness.tasks import Task

log = logging.getLogger(__name__)


class RunError(ValueError):
    """A run that cannot start or resume; the message says why."""


@dataclass(frozen=True)
class RunSettings:
    """The budget and rules of a run, and the executor (``local`` or ``ray``) that enforces them."""

    time_limit: float = 30.0
    memory_limit_mb: float | None = None
    workers: int = 1
    max_attempts: int = 2
    seed: int = 0
    executor: str = "local"


@dataclass(frozen=True)
class RunOutcome:
    leaderboard: dict[str, Any]
    interrupted: bool
    ran: int  # tasks executed by this invocation


def task_seed(run_seed: int, task_id: str) -> int:
    """A per-task seed derived from the run seed, stable across processes and Pythons."""
    digest = hashlib.sha256(f"{run_seed}:{task_id}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def new_run(
    spec: SolverSpec,
    dataset: Dataset,
    tasks: Sequence[Task],
    settings: RunSettings,
    selection: dict[str, Any],
) -> dict[str, Any]:
    """The ``run.json`` content: everything needed to rebuild or re-score the run."""
    task_set: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        task_set.setdefault(task.split, []).append({"id": task.id, "n_tests": len(task.test)})
    return {
        "schema_version": results.SCHEMA_VERSION,
        "harness": {"version": provenance.harness_version(), "git_commit": provenance.git_commit()},
        "solver": spec.to_json(),
        "dataset": {
            "name": dataset.name,
            "version": dataset.version,
            "content_hash": dataset.content_hash,
            "source": dataset.source,
        },
        "selection": selection,
        "rules": {
            "max_attempts": settings.max_attempts,
            "aggregations": list(scoring.AGGREGATIONS),
            "default_aggregation": scoring.DEFAULT_AGGREGATION,
        },
        "budget": {
            "time_limit_s": settings.time_limit,
            "memory_limit_mb": settings.memory_limit_mb,
            "workers": settings.workers,
            "executor": settings.executor,
        },
        "seed": settings.seed,
        "started_at": _now(),
        "finished_at": None,
        "environment": provenance.environment(),
        "task_set": task_set,
    }


def check_resumable(run: dict[str, Any], spec: SolverSpec, dataset: Dataset) -> None:
    """Refuse to resume a run with a different solver or different data."""
    if run["solver"]["name"] != spec.name or run["solver"]["config"] != spec.config:
        raise RunError(
            f"the run was made with solver {run['solver']['name']} {run['solver']['config']}, "
            f"not {spec.name} {spec.config}"
        )
    if run["dataset"]["content_hash"] != dataset.content_hash:
        raise RunError(
            f"the run was made on dataset {run['dataset']['name']} with content hash "
            f"{run['dataset']['content_hash']}; the data loaded now differs ({dataset.content_hash})"
        )


def tasks_to_run(
    run: dict[str, Any],
    dataset: Dataset,
    done: dict[tuple[str, str], TaskRecord],
    retry_failed: bool,
) -> list[Task]:
    """The run's tasks that have no record yet (or a failed one, when retrying)."""
    todo = []
    for split, entries in run["task_set"].items():
        for entry in entries:
            record = done.get((split, entry["id"]))
            if record is None or (retry_failed and record.failed):
                todo.append(dataset.get(entry["id"]))
    return todo


def score_result(result: JobResult, task: Task, seed: int, max_attempts: int) -> TaskRecord:
    """Score one executor result against the hidden test outputs."""
    task_score = scoring.score_task(result.attempts, task.test_outputs, max_attempts)
    return results.make_record(
        task.id,
        task.split,
        task_score,
        status=result.status,
        time_s=result.time_s,
        seed=seed,
        error=result.error,
        metadata=result.metadata,
    )


def execute_run(
    store: RunStore,
    run: dict[str, Any],
    dataset: Dataset,
    settings: RunSettings,
    *,
    retry_failed: bool = False,
    executor: Executor | None = None,
    address: str | None = None,
    on_record: Callable[[TaskRecord], None] = lambda record: None,
) -> RunOutcome:
    """Run every unfinished task of ``run``, writing each record as it ends.

    Without an ``executor``, the one ``settings.executor`` names is made (``address``: the
    Ray cluster to use with ``ray``).

    On Ctrl-C the tasks in flight are abandoned, the leaderboard is written as
    incomplete and ``interrupted`` is set: ``--resume`` picks up from there.
    """
    records = store.read_records()
    todo = tasks_to_run(run, dataset, records, retry_failed)
    by_key = {(t.split, t.id): t for t in todo}
    seeds = {t.id: task_seed(settings.seed, t.id) for t in todo}
    spec = SolverSpec(**run["solver"])
    if executor is None:
        executor = make_executor(
            settings.executor,
            spec,
            workers=settings.workers,
            time_limit=settings.time_limit,
            memory_limit_mb=settings.memory_limit_mb,
            log_dir=store.root / "logs",
            address=address,
        )
    jobs = [
        Job(t.public(), Budget(settings.time_limit, 0.0, seeds[t.id], settings.max_attempts)) for t in todo
    ]

    def finish(result: JobResult) -> None:
        task = by_key[(result.split, result.task_id)]
        record = score_result(result, task, seeds[task.id], settings.max_attempts)
        store.write_record(record)
        records[(record.split, record.task_id)] = record
        on_record(record)

    interrupted = False
    started = time.monotonic()
    try:
        executor.run(jobs, finish)
    except KeyboardInterrupt:
        interrupted = True
        log.warning("interrupted after %.1fs", time.monotonic() - started)
    finally:
        missing = sum(len(v) for v in run["task_set"].values()) - len(records)
        finished_run = {**run, "finished_at": _now()}
        board = results.build_leaderboard(finished_run, records, complete=missing == 0)
        store.write_leaderboard(board)
    ran = sum(1 for key in by_key if key in records)
    return RunOutcome(board, interrupted, ran)


def default_run_dir(spec: SolverSpec, dataset: Dataset, root: Path = Path("results")) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in spec.name)
    dataset_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in dataset.name)
    return root / f"{safe}-{dataset_name}-{stamp}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
