"""``RayExecutor``: the jobs and hard limits of ``LocalExecutor``, run by Ray actors on a cluster.

The driver keeps a pool of ``workers`` solver actors (one CPU each, anywhere on the
cluster), just as ``LocalExecutor`` keeps worker processes: each actor builds the solver
once and says it is ready; only a ready, idle actor is handed a task, so a task's clock
starts when it starts solving, not while Ray places the actor or the solver is built. The
driver waits with ``ray.wait`` no longer than the nearest deadline. An overdue task is
cut off with ``ray.kill`` on its actor, which kills the worker process at once: Ray's
``ray.cancel(force=True)`` does the same for plain tasks but refuses actor calls. Plain
tasks were tried first: a task cannot then tell the driver reliably that it has started
(a streamed marker is lost if the worker dies just after), so a crash while building the
solver, fatal to the run, could not be told from a crash on one task. The overdue task is
recorded as ``timeout``; a worker that dies mid-task costs that task (``error``). Either
way the actor is replaced and the run goes on.

Memory. Ray's ``memory=`` resource only reserves room when placing actors, and Ray's memory
monitor kills workers only when a whole node runs short. So with ``memory_limit_mb`` each
actor both reserves that much (a node holds no more actors than fit) and, while solving,
runs a watchdog thread that reads the resident memory of its process and descendants, as
the local executor does from outside; past the cap it notes why in a small actor and kills
its worker, and the driver records ``memory``. Not enforced: memory a solver holds in
processes it detaches from its tree, or that other jobs use on a shared node. A Ray worker's
own footprint (its core worker) counts against the cap.

Solver output goes to Ray's worker logs (``/tmp/ray/session_latest/logs`` on each node),
not to the driver's terminal, where it would garble the progress display.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ray

from arc_harness import worker
from arc_harness.executor import (
    STARTUP_TIMEOUT,
    ExecutorError,
    Job,
    JobResult,
    SolverStartupError,
    job_result,
    kill_tree,
    solver_budget,
    tree_rss_mb,
)
from arc_harness.solvers import Budget, SolverSpec
from arc_harness.tasks import Task

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 1.0  # between checks on actors that are still starting
MEMORY_POLL_SECONDS = 0.05
CONNECT_TIMEOUT_SECONDS = 10.0


@dataclass
class _Actor:
    handle: Any
    pending: Any  # the ObjectRef awaited: ready() while starting, then solve() while busy
    spawned_at: float
    ready: bool = False
    job: Job | None = None
    started: float = 0.0


@dataclass
class RayExecutor:
    """Runs jobs on ``workers`` Ray actors with hard per-task limits.

    ``address`` is passed to ``ray.init`` (``auto``, ``HOST:PORT`` or ``ray://HOST:PORT``);
    without it a local Ray is started with ``num_cpus=workers``. A driver already connected
    to Ray (a test session, a notebook) is used as it is.
    """

    spec: SolverSpec
    workers: int = 1
    time_limit: float = 30.0
    memory_limit_mb: float | None = None
    address: str | None = None
    _pool: list[_Actor] = field(default_factory=list, init=False)
    _kill_log: Any = field(default=None, init=False)

    def run(self, jobs: Iterable[Job], on_result: Callable[[JobResult], None]) -> None:
        pending = deque(jobs)
        if not pending:
            return
        started_ray = _connect(self.address, self.workers)
        try:
            if self.memory_limit_mb is not None:
                self._kill_log = _KillLog.remote()
            while pending or any(a.job for a in self._pool):
                self._fill_pool(len(pending))
                self._dispatch(pending)
                self._collect(on_result)
                self._enforce_limits(on_result)
        finally:
            self._shutdown(started_ray)

    # --- pool management ------------------------------------------------------------

    def _fill_pool(self, n_pending: int) -> None:
        busy = sum(a.job is not None for a in self._pool)
        wanted = min(self.workers, busy + n_pending)
        while len(self._pool) < wanted:
            options: dict[str, Any] = {}
            if self.memory_limit_mb is not None:
                options["memory"] = int(self.memory_limit_mb * 2**20)
            handle = _SolverActor.options(**options).remote(self.spec.to_json())
            self._pool.append(_Actor(handle, handle.ready.remote(), time.monotonic()))

    def _dispatch(self, pending: deque[Job]) -> None:
        for actor in self._pool:
            if not pending:
                return
            if actor.ready and actor.job is None:
                job = pending.popleft()
                actor.pending = actor.handle.solve.remote(
                    job.task, job.budget, self.time_limit, self.memory_limit_mb, _key(job), self._kill_log
                )
                actor.job, actor.started = job, time.monotonic()

    def _collect(self, on_result: Callable[[JobResult], None]) -> None:
        waiting = {a.pending: a for a in self._pool if a.pending is not None}
        if not waiting:
            return
        ready, _ = ray.wait(list(waiting), num_returns=1, timeout=self._wait_seconds())
        for ref in ready:
            actor = waiting[ref]
            actor.pending = None
            message = _message(ref)
            if message[0] == "ready":
                actor.ready = True
            elif message[0] == "init_error":
                raise SolverStartupError(f"solver {self.spec.name!r} failed to start:\n{message[1]}")
            elif message[0] == "done" and actor.job is not None:
                _, _, attempts, metadata, error, seconds = message
                job, actor.job = actor.job, None
                status = "ok" if error is None else "error"
                on_result(job_result(job, status, attempts, metadata, error, seconds))
            else:
                self._lost(actor, message, on_result)

    def _wait_seconds(self) -> float:
        """Until the nearest deadline of a busy actor, so that no deadline is noticed late."""
        now = time.monotonic()
        deadlines = [a.started + self.time_limit for a in self._pool if a.job is not None]
        return max(0.0, min([now + MAX_WAIT_SECONDS, *deadlines]) - now)

    def _lost(self, actor: _Actor, message: tuple[str, str], on_result: Callable[[JobResult], None]) -> None:
        """An actor that died: a crash, a node lost, or killed for memory."""
        kind, reason = message
        self._remove(actor)
        if actor.job is None:
            raise SolverStartupError(f"the Ray worker died while starting the solver: {reason}")
        elapsed = time.monotonic() - actor.started
        killed_for = self._memory_kill(actor.job)
        if killed_for is not None:
            on_result(job_result(actor.job, "memory", None, {}, killed_for, elapsed))
        elif kind == "node_oom":
            on_result(job_result(actor.job, "memory", None, {}, f"Ray's memory monitor: {reason}", elapsed))
        else:
            on_result(job_result(actor.job, "error", None, {}, f"Ray worker died: {reason}", elapsed))

    def _memory_kill(self, job: Job) -> str | None:
        if self._kill_log is None:
            return None
        return ray.get(self._kill_log.pop.remote(_key(job)))

    def _enforce_limits(self, on_result: Callable[[JobResult], None]) -> None:
        now = time.monotonic()
        for actor in list(self._pool):
            if actor.job is None:
                if not actor.ready and now - actor.spawned_at > STARTUP_TIMEOUT:
                    raise SolverStartupError(
                        f"no Ray worker was ready within {STARTUP_TIMEOUT:.0f}s: the cluster is busy, "
                        "lacks the CPUs or memory asked for, or building the solver hangs"
                    )
                continue
            elapsed = now - actor.started
            if elapsed > self.time_limit:
                job = actor.job
                self._remove(actor)
                reason = f"exceeded the time limit of {self.time_limit:g}s; Ray worker killed"
                on_result(job_result(job, "timeout", None, {}, reason, elapsed))

    def _remove(self, actor: _Actor) -> None:
        self._pool.remove(actor)
        with contextlib.suppress(ray.exceptions.RayError, ValueError):  # already dead
            ray.kill(actor.handle, no_restart=True)

    def _shutdown(self, started_ray: bool) -> None:
        for actor in list(self._pool):
            self._remove(actor)
        if self._kill_log is not None:
            with contextlib.suppress(ray.exceptions.RayError, ValueError):
                ray.kill(self._kill_log)
            self._kill_log = None
        if started_ray:
            ray.shutdown()


# Solver prints stay in Ray's worker logs; the driver's terminal shows progress only.
QUIET: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}


def start_local_ray(num_cpus: int, **options: Any) -> None:
    """Start a private, quiet Ray instance on this machine with ``num_cpus`` CPUs."""
    # "local" starts a fresh instance even if `ray start` left one running here.
    ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, **QUIET, **options)


def _connect(address: str | None, workers: int) -> bool:
    """Connect to Ray unless already connected; True if this call did (and should disconnect)."""
    if ray.is_initialized():
        return False
    try:
        if address is None:
            start_local_ray(workers)
        else:
            _check_reachable(address)
            ray.init(address=address, **QUIET)
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise ExecutorError(f"cannot start or reach {where}: {err}") from err
    return True


def _check_reachable(address: str) -> None:
    """Fail fast on a ``HOST:PORT`` nobody listens at: ``ray.init`` would retry for minutes."""
    host, sep, port = address.rpartition(":")
    if "://" in address or not sep or not port.isdigit():
        return  # auto, ray://...: ray.init reports these quickly itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_SECONDS).close()
    except OSError as err:
        raise ConnectionError(
            f"nothing answers at {address} ({err}); is `ray start --head` running?"
        ) from err


def _key(job: Job) -> str:
    """Names a job in the kill log."""
    return f"{job.task.split}/{job.task.id}"


def _message(ref: Any) -> tuple[Any, ...]:
    """An actor's reply, or ``("lost", why)`` if it died.

    ``("node_oom", why)``: Ray's memory monitor killed it because its node ran short.
    """
    try:
        return ray.get(ref)
    except ray.exceptions.OutOfMemoryError as err:
        return ("node_oom", _first_line(err))
    except ray.exceptions.RayError as err:  # worker or node died, or a bug outside solve_one
        return ("lost", _first_line(err))


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0] if text else ''}"


# --- the Ray worker side ----------------------------------------------------------------------


# No restarts or retries: an actor that died on a task would likely die again, and a retry
# would hide the failure the record should show. The driver replaces dead actors itself.
@ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)
class _SolverActor:
    """One Ray worker: builds the solver once, then solves public tasks on request."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._solve: Any = None
        self._init_error: str | None = None
        try:
            self._solve = SolverSpec(**spec).build()
        except Exception:  # any failure to build is reported, then the driver stops the run
            self._init_error = traceback.format_exc(limit=8)

    def ready(self) -> tuple[Any, ...]:
        if self._init_error is not None:
            return ("init_error", self._init_error)
        return ("ready", os.getpid())

    def solve(
        self,
        task: Task,
        budget: Budget,
        time_limit: float,
        memory_limit_mb: float | None,
        key: str,
        kill_log: Any,
    ) -> tuple[Any, ...]:
        with _memory_watchdog(memory_limit_mb, key, kill_log):
            return worker.solve_one(self._solve, task, solver_budget(budget, time_limit))


@contextlib.contextmanager
def _memory_watchdog(limit_mb: float | None, key: str, kill_log: Any) -> Iterator[None]:
    if limit_mb is None:
        yield
        return
    finished = threading.Event()
    watcher = threading.Thread(target=_watch_memory, args=(limit_mb, key, kill_log, finished), daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def _watch_memory(limit_mb: float, key: str, kill_log: Any, finished: threading.Event) -> None:
    """Kill this worker (and the solver's child processes) once their memory passes the cap."""
    pid = os.getpid()
    while not finished.wait(MEMORY_POLL_SECONDS):
        rss = tree_rss_mb(pid)
        if rss > limit_mb:
            reason = f"resident memory {rss:.0f} MB exceeded {limit_mb:g} MB; Ray worker killed"
            # Tell the driver why before dying; if the note cannot be sent, the task is an error.
            with contextlib.suppress(ray.exceptions.RayError):
                ray.get(kill_log.note.remote(key, reason), timeout=10)
            kill_tree(pid, include_root=False)
            os._exit(1)


@ray.remote(num_cpus=0)
class _KillLog:
    """Why memory watchdogs killed workers, by job; the driver reads it when a worker dies."""

    def __init__(self) -> None:
        self._reasons: dict[str, str] = {}

    def note(self, key: str, reason: str) -> None:
        self._reasons[key] = reason

    def pop(self, key: str) -> str | None:
        return self._reasons.pop(key, None)
