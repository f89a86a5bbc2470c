"""What each executor costs per task, and how a run's wall time scales from 1 to 2 workers.

    python benchmarks/bench_executors.py [--tasks 200] [--repeats 3] [--work-s 0.2] [--work-tasks 40]

Jobs are the hand-made tasks in data/tasks, cycled. Two measurements, each the median over
repeats, for ``local`` (worker processes) and ``ray`` (Ray workers on a local Ray started once
with ``num_cpus=2``; skipped if Ray is not installed):

- overhead: the identity solver does no work, so the time per task is what the executor
  spends to send a task, run it and bring its result back. It is timed in the steady state,
  from the 10th result to the last of 10 + N; start-up (spawning workers, building the
  solver) is the time to the first result.
- scaling: a solver that keeps a core busy for a fixed time per task, with 1 then 2 workers;
  the speed-up is wall(1) / wall(2) for the whole run, start-up included, at best 2 on this
  2-core machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

from arc_harness.datasets import load_dataset, select_tasks
from arc_harness.executor import Executor, Job, JobResult, make_executor
from arc_harness.solvers import Budget, Prediction, Solver, SolverSpec, make_spec
from arc_harness.tasks import Task

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
WARM_UP = 10  # results before the steady state is timed


def spin(seconds: float = 0.2) -> Solver:
    """Identity after keeping a core busy for ``seconds`` of wall time."""

    def solve(task: Task, budget: Budget) -> Prediction:
        until = time.perf_counter() + seconds
        count = 0
        while time.perf_counter() < until:
            count += 1
        return Prediction([[pair.input] for pair in task.test], {"spins": count})

    return solve


def jobs(n: int) -> list[Job]:
    tasks = select_tasks(load_dataset(str(DATA)))
    return [Job(t.public(), Budget(30.0, 0.0, i, 2)) for i, t in enumerate(islice(cycle(tasks), n))]


def finish_times(executor: Executor, batch: list[Job]) -> list[float]:
    """Seconds from the start of the run to each task's result, in order."""
    times: list[float] = []
    failed: list[JobResult] = []
    start = time.perf_counter()

    def record(result: JobResult) -> None:
        times.append(time.perf_counter() - start)
        if result.status != "ok":
            failed.append(result)

    executor.run(batch, record)
    if len(times) != len(batch) or failed:
        raise RuntimeError(f"benchmark run failed: {failed[:1] or 'results missing'}")
    return times


def factory(kind: str, spec: SolverSpec, workers: int) -> Callable[[], Executor]:
    return lambda: make_executor(kind, spec, workers=workers, time_limit=30.0, memory_limit_mb=None)


def overhead(make: Callable[[], Executor], n: int, repeats: int) -> tuple[float, float]:
    """Median (seconds per task in the steady state, seconds to the first result).

    The steady state is timed from the WARM_UP-th result to the last, once every worker runs.
    """
    batch = jobs(WARM_UP + n)
    per_task, first = [], []
    for _ in range(repeats):
        times = finish_times(make(), batch)
        per_task.append((times[-1] - times[WARM_UP - 1]) / n)
        first.append(times[0])
    return statistics.median(per_task), statistics.median(first)


def scaling(kind: str, spec: SolverSpec, n: int, repeats: int) -> tuple[float, float]:
    """Median wall seconds of a whole run (start-up included) with 1 and with 2 workers."""
    batch = jobs(n)
    walls = {
        w: statistics.median(finish_times(factory(kind, spec, w)(), batch)[-1] for _ in range(repeats))
        for w in (1, 2)
    }
    return walls[1], walls[2]


def start_ray() -> tuple[float, float]:
    """Import Ray and start a local instance; seconds for each."""
    began = time.perf_counter()
    from arc_harness.executor_ray import start_local_ray  # imports Ray

    imported = time.perf_counter()
    start_local_ray(2)
    return imported - began, time.perf_counter() - imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200, help="tasks in the overhead measurement")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-s", type=float, default=0.2, help="busy seconds per task when scaling")
    parser.add_argument("--work-tasks", type=int, default=40, help="tasks in the scaling measurement")
    args = parser.parse_args()

    kinds = ["local"]
    if importlib.util.find_spec("ray") is not None:
        import_s, init_s = start_ray()
        kinds.append("ray")
        print(f"ray: import {import_s:.2f} s, ray.init(num_cpus=2) {init_s:.2f} s (once per driver)\n")
    else:
        print("ray is not installed: local executor only\n")

    identity = make_spec("identity")
    # Workers import this file as bench_executors: local ones inherit sys.path, Ray's get the
    # driver's script folder.
    busy = make_spec("bench_executors:spin", {"seconds": args.work_s})
    rows = {}
    for kind in kinds:
        per_task_1, startup = overhead(factory(kind, identity, 1), args.tasks, args.repeats)
        per_task_2, _ = overhead(factory(kind, identity, 2), args.tasks, args.repeats)
        wall_1, wall_2 = scaling(kind, busy, args.work_tasks, args.repeats)
        rows[kind] = (startup, per_task_1, per_task_2, wall_1, wall_2)

    print(f"identity solver, {args.tasks} tasks; median of {args.repeats}")
    print(f"{'executor':<9} {'start-up s':>10} {'ms/task 1w':>11} {'tasks/s 1w':>11} {'tasks/s 2w':>11}")
    for kind, (first, p1, p2, _, _) in rows.items():
        print(f"{kind:<9} {first:>10.2f} {1e3 * p1:>11.2f} {1 / p1:>11.0f} {1 / p2:>11.0f}")
    if "ray" in rows:
        ratio = rows["ray"][1] / rows["local"][1]
        print(f"ray / local overhead per task (1 worker): {ratio:.1f}x")

    print(f"\n{args.work_tasks} tasks of {args.work_s:g} s busy work; wall seconds, median of {args.repeats}")
    print(f"{'executor':<9} {'1 worker':>9} {'2 workers':>10} {'speed-up':>9} {'ideal':>6}")
    for kind, (_, _, _, w1, w2) in rows.items():
        print(f"{kind:<9} {w1:>9.2f} {w2:>10.2f} {w1 / w2:>8.2f}x {2:>5}x")
    floor = args.work_tasks * args.work_s
    print(f"(no-overhead floor: {floor:.1f} s with 1 worker, {floor / 2:.1f} s with 2)")


if __name__ == "__main__":
    main()
