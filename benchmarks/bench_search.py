"""Search throughput: batched numpy backend against the naive grid-by-grid reference, same run.

    python benchmarks/bench_search.py [--tasks 12] [--depths 1,2,3,4] [--seconds 10] [--max-step-calls 3]
                                      [--batched-only]

For a fixed sample of ARC-AGI-1 training tasks (every n-th id, sorted) and each depth
(cost bound, in primitive calls), runs the search with both backends on the same steps
and prints medians over the tasks of: primitive applications per second (one step on
one example grid), new distinct states per second, and the numpy/naive ratio. No answer
stops a run early (the search looks for 1000 answers); each run is cut at ``--seconds``.
``--batched-only`` keeps only the steps that have a batched kernel: the figure for the
batched path itself. Peak resident memory of the whole process is printed last. Medians and ratios, not
absolute times: the machines are shared.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from arc_harness.datasets import load_dataset
from arc_harness.tasks import Task
from solvers import backends
from solvers.search import SearchConfig, search
from solvers.steps import enumerate_steps, task_colors

BATCHED = backends.NumpyBackend()  # which steps have a batched kernel (one primitive or a pair)


def sample_tasks(n: int) -> list[Task]:
    tasks = sorted(load_dataset("arc-agi-1").split_tasks("training"), key=lambda t: t.id)
    return tasks[:: max(1, len(tasks) // n)][:n]


def measure(task: Task, backend: backends.Backend, depth: int, args: argparse.Namespace) -> dict:
    public = task.public()
    grids = [p.input for p in public.train + public.test] + [p.output for p in public.train]
    steps = enumerate_steps(task_colors(grids), max_calls=args.max_step_calls)
    if args.batched_only:
        steps = [s for s in steps if BATCHED.batched(s)]
    config = SearchConfig(max_cost=depth, attempts=1000, color_map=False)
    started = time.perf_counter()
    result = search(public, steps, backend, time.time() + args.seconds, config)
    elapsed = time.perf_counter() - started
    stats = result.stats
    return {
        "apps": stats.applications / elapsed,
        "states": stats.distinct_states / elapsed,
        "seconds": elapsed,
        "complete": stats.stop == "exhausted",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=12)
    parser.add_argument("--depths", default="1,2,3,4")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-step-calls", type=int, default=3)
    parser.add_argument("--batched-only", action="store_true", help="only steps with a batched kernel")
    args = parser.parse_args()
    tasks = sample_tasks(args.tasks)
    engines = [backends.NumpyBackend(), backends.NaiveBackend()]
    which = "batched steps only" if args.batched_only else f"steps of up to {args.max_step_calls} calls"
    print(f"{len(tasks)} training tasks, cut at {args.seconds:g} s, {which}")
    print(f"{'depth':>5} {'backend':>7} {'apps/s':>10} {'states/s':>10} {'complete':>8} {'ratio':>6}")
    for depth in (int(d) for d in args.depths.split(",")):
        medians = {}
        for engine in engines:
            rows = [measure(t, engine, depth, args) for t in tasks]
            apps = statistics.median(r["apps"] for r in rows)
            states = statistics.median(r["states"] for r in rows)
            complete = sum(r["complete"] for r in rows)
            medians[engine.name] = apps
            ratio = f"{apps / medians['numpy']:.2f}" if engine.name != "numpy" else ""
            done = f"{complete}/{len(rows)}"
            print(f"{depth:>5} {engine.name:>7} {apps:>10,.0f} {states:>10,.0f} {done:>8} {ratio:>6}")
        print(f"{'':>5} numpy/naive = {medians['numpy'] / medians['naive']:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
