"""Executors run solver jobs under hard limits. ``LocalExecutor``: worker processes here.

``make_executor`` picks one by name: ``local`` (this module) or ``ray``
(:mod:`arc_harness.executor_ray`, imported only when chosen since Ray is an optional extra).

Each worker is a ``spawn``/``forkserver`` child (JAX and ``fork`` do not mix) that builds the
solver once and is reused while it behaves. The driver enforces, per task, a hard
wall-clock limit and a resident-memory cap (an address-space rlimit would break JAX's
large virtual reservations, so RSS of the worker and its children is watched instead).
A worker that overruns is killed with its children and replaced; the task is recorded
as ``timeout`` or ``memory``. A worker that dies mid-task costs that task (``error``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Protocol

import psutil

from arc_harness.solvers import Budget, SolverSpec
from arc_harness.tasks import Task
from arc_harness.worker import worker_main

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
STARTUP_TIMEOUT = 300.0  # building a solver may load a model or compile kernels


@dataclass(frozen=True)
class Job:
    """One public task to solve, with its budget."""

    task: Task  # public view: no test outputs
    budget: Budget


@dataclass(frozen=True)
class JobResult:
    task_id: str
    split: str
    status: str  # ok | error | timeout | memory
    attempts: Any
    metadata: dict[str, Any]
    error: str | None
    time_s: float


class SolverStartupError(RuntimeError):
    """The solver could not be built in a worker: a configuration problem, fatal to the run."""


class ExecutorError(RuntimeError):
    """The executor itself cannot start (Ray missing, cluster unreachable); the message says why."""


class Executor(Protocol):
    def run(self, jobs: Iterable[Job], on_result: Callable[[JobResult], None]) -> None: ...


EXECUTORS = ("local", "ray")


def make_executor(
    kind: str,
    spec: SolverSpec,
    *,
    workers: int,
    time_limit: float,
    memory_limit_mb: float | None,
    log_dir: Path | None = None,
    address: str | None = None,
) -> Executor:
    """The executor named ``kind``; ``address`` (a Ray cluster) only applies to ``ray``."""
    check_executor(kind, address)
    if kind == "local":
        return LocalExecutor(
            spec, workers=workers, time_limit=time_limit, memory_limit_mb=memory_limit_mb, log_dir=log_dir
        )
    try:
        from arc_harness import executor_ray
    except ImportError as err:
        raise ExecutorError(f"the ray executor needs Ray ({err}): pip install 'arc-eval[ray]'") from err
    return executor_ray.RayExecutor(
        spec, workers=workers, time_limit=time_limit, memory_limit_mb=memory_limit_mb, address=address
    )


def check_executor(kind: str, address: str | None = None) -> None:
    """Fail early, before a run directory is written, if executor ``kind`` cannot run here."""
    if kind not in EXECUTORS:
        raise ExecutorError(f"unknown executor {kind!r}; choose one of {', '.join(EXECUTORS)}")
    if address is not None and kind != "ray":
        raise ExecutorError("--address names a Ray cluster: it needs --executor ray")
    if kind == "ray" and importlib.util.find_spec("ray") is None:
        raise ExecutorError("the ray executor needs Ray: pip install 'arc-eval[ray]'")


def solver_budget(budget: Budget, time_limit: float) -> Budget:
    """The budget a solver starts with, its deadline set now, on the clock of the machine it runs on.

    The deadline is the hard limit less a margin, so the solver has time to return its answer.
    """
    margin = min(1.0, 0.1 * time_limit)
    return Budget(
        time_limit=time_limit,
        deadline=time.time() + time_limit - margin,
        seed=budget.seed,
        max_attempts=budget.max_attempts,
    )


@dataclass
class _Worker:
    process: Any
    conn: Connection
    spawned_at: float
    ready: bool = False
    job: Job | None = None
    started: float = 0.0


@dataclass
class LocalExecutor:
    """Runs jobs on ``workers`` local processes with hard per-task limits."""

    spec: SolverSpec
    workers: int = 1
    time_limit: float = 30.0
    memory_limit_mb: float | None = None
    start_method: str = "spawn"
    log_dir: Path | None = None
    _pool: list[_Worker] = field(default_factory=list, init=False)
    _spawned: int = field(default=0, init=False)

    def run(self, jobs: Iterable[Job], on_result: Callable[[JobResult], None]) -> None:
        pending = deque(jobs)
        context = multiprocessing.get_context(self.start_method)
        try:
            while pending or any(w.job for w in self._pool):
                self._fill_pool(context, len(pending))
                self._dispatch(pending)
                self._collect(on_result, pending)
                self._enforce_limits(on_result)
        finally:
            self._shutdown()

    # --- pool management ------------------------------------------------------------

    def _fill_pool(self, context: Any, n_pending: int) -> None:
        busy = sum(w.job is not None for w in self._pool)
        wanted = min(self.workers, busy + n_pending)
        while len(self._pool) < wanted:
            self._pool.append(self._spawn(context))

    def _spawn(self, context: Any) -> _Worker:
        parent, child = context.Pipe()
        log_path = str(self.log_dir / f"worker-{self._spawned}.log") if self.log_dir else None
        self._spawned += 1
        process = context.Process(
            target=worker_main, args=(child, self.spec.to_json(), log_path), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent, time.monotonic())

    def _dispatch(self, pending: deque[Job]) -> None:
        for worker in self._pool:
            if not pending:
                return
            if worker.ready and worker.job is None:
                job = pending.popleft()
                worker.job, worker.started = job, time.monotonic()
                worker.conn.send(("task", job.task, solver_budget(job.budget, self.time_limit)))

    def _collect(self, on_result: Callable[[JobResult], None], pending: deque[Job]) -> None:
        conns = [w.conn for w in self._pool]
        for conn in wait(conns, timeout=POLL_SECONDS):
            worker = next(w for w in self._pool if w.conn is conn)
            try:
                message = conn.recv()
            except (EOFError, OSError):
                self._lost(worker, on_result)
                continue
            kind = message[0]
            if kind == "ready":
                worker.ready = True
            elif kind == "init_error":
                raise SolverStartupError(f"solver {self.spec.name!r} failed to start:\n{message[1]}")
            elif kind == "done" and worker.job is not None:
                _, _, attempts, metadata, error, seconds = message
                job, worker.job = worker.job, None
                status = "ok" if error is None else "error"
                on_result(job_result(job, status, attempts, metadata, error, seconds))

    def _lost(self, worker: _Worker, on_result: Callable[[JobResult], None]) -> None:
        """A worker whose pipe closed: it died (crash, os._exit, OOM killer)."""
        worker.process.join(timeout=1.0)
        code = worker.process.exitcode
        self._remove(worker)
        if worker.job is not None:
            elapsed = time.monotonic() - worker.started
            reason = f"worker process died (exit code {code})"
            on_result(job_result(worker.job, "error", None, {}, reason, elapsed))
        elif not worker.ready:
            raise SolverStartupError(f"worker process died while starting (exit code {code})")

    def _enforce_limits(self, on_result: Callable[[JobResult], None]) -> None:
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.job is None:
                if not worker.ready and now - worker.spawned_at > STARTUP_TIMEOUT:
                    raise SolverStartupError(f"worker did not start within {STARTUP_TIMEOUT:.0f}s")
                continue
            elapsed = now - worker.started
            if elapsed > self.time_limit:
                reason = f"exceeded the time limit of {self.time_limit:g}s; worker killed"
                self._fail(worker, on_result, "timeout", reason, elapsed)
            elif self.memory_limit_mb is not None:
                rss = tree_rss_mb(worker.process.pid)
                if rss > self.memory_limit_mb:
                    reason = f"resident memory {rss:.0f} MB exceeded {self.memory_limit_mb:g} MB"
                    self._fail(worker, on_result, "memory", reason, elapsed)

    def _fail(
        self,
        worker: _Worker,
        on_result: Callable[[JobResult], None],
        status: str,
        reason: str,
        elapsed: float,
    ) -> None:
        job = worker.job
        kill_tree(worker.process.pid)
        self._remove(worker)
        assert job is not None
        on_result(job_result(job, status, None, {}, reason, elapsed))

    def _remove(self, worker: _Worker) -> None:
        self._pool.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=0.1)

    def _shutdown(self) -> None:
        for worker in self._pool:
            with contextlib.suppress(OSError, ValueError):  # already gone
                worker.conn.send(("stop",))
        deadline = time.monotonic() + 2.0
        for worker in self._pool:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                kill_tree(worker.process.pid)
                worker.process.join(timeout=1.0)
            worker.conn.close()
        self._pool.clear()


def job_result(
    job: Job,
    status: str,
    attempts: Any,
    metadata: dict[str, Any],
    error: str | None,
    seconds: float,
) -> JobResult:
    """The result of ``job`` with its outcome."""
    return JobResult(job.task.id, job.task.split, status, attempts, metadata, error, seconds)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue  # exited between listing and reading
    return total / 2**20


def kill_tree(pid: int, *, include_root: bool = True) -> None:
    """Kill a process's descendants, then the process itself unless ``include_root`` is false."""
    try:
        root = psutil.Process(pid)
        procs = [*root.children(recursive=True), *([root] if include_root else [])]
    except psutil.Error:
        return
    for proc in procs:
        try:
            proc.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(procs, timeout=2.0)
