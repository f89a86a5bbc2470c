"""Kernel throughput: the JAX backend against the numpy backend on the same batches of states.

    python benchmarks/bench_backends.py [--tasks 2] [--sizes 256,1024,4096] [--repeats 3]
                                        [--primitives 12] [--pairs] [--seed 0]

For a fixed sample of ARC-AGI-1 training tasks (every n-th id, sorted), a batch of K
states is built from the task's input grids (demonstrations and tests): state k is the
inputs under one random colour permutation, so every example keeps its shape. One step
per kernel-backed primitive (literals drawn from the search's domains, fixed seed; a
sample of ``--primitives`` primitives, all with 0) is applied to the batch through both
backends, and the figures are primitive applications per second (one step on one
example grid), from the median time over ``--repeats`` of each step:

- numpy: :meth:`apply` plus the host fingerprint of the children (what the search does);
- jax: :meth:`apply`, which returns fingerprints and validity from the device, the
  children's grids left there; and jax+read: the same with every child's grids copied
  back, the most the search could read (it reads only the fresh ones).

Per batch size: the median over the tasks of each backend's rate and of jax / numpy.
Compilation is excluded from the rates (each step runs once first) and reported
separately: the first call's time less the steady one, summed over the steps. The JAX
device is printed first, so runs on other machines can be told apart.
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import numpy as np

from arc_harness.datasets import load_dataset
from arc_harness.tasks import Task
from dsl import registry
from solvers import backends
from solvers.backend_jax import JaxBackend
from solvers.kernels_pairs import pair_operands
from solvers.steps import Step, enumerate_steps

COLOURS = tuple(range(10))


def sample_tasks(n: int) -> list[Task]:
    tasks = sorted(load_dataset("arc-agi-1").split_tasks("training"), key=lambda t: t.id)
    return tasks[:: max(1, len(tasks) // n)][:n]


def pick_steps(jax_backend: JaxBackend, primitives: int, pairs: bool, rng: np.random.Generator) -> list[Step]:
    """One step per primitive with a JAX kernel (and per pair kernel with ``pairs``)."""
    by_name: dict[str, list[Step]] = {}
    for step in enumerate_steps(COLOURS, max_calls=1, binary=pairs):
        if jax_backend.on_device(step):
            by_name.setdefault(step.primitive or pair_operands(step)[0], []).append(step)
    names = sorted(by_name)
    if primitives:
        names = sorted(rng.choice(names, size=min(primitives, len(names)), replace=False).tolist())
    return [by_name[n][int(rng.integers(len(by_name[n])))] for n in names]


Stacks = tuple[np.ndarray, ...]


def states(task: Task, k: int, rng: np.random.Generator) -> tuple[Stacks, Stacks]:
    """K states of the task's inputs, each under one random colour permutation; and the inputs."""
    inputs = tuple(p.input for p in task.train + task.test)
    perms = np.stack([np.arange(10)] + [rng.permutation(10) for _ in range(k - 1)]).astype(np.int8)
    stacks = tuple(perms[:, grid] for grid in inputs)  # (K, H, W) per example
    for stack in stacks:
        stack.setflags(write=False)
    return stacks, inputs


def timed(run, repeats: int) -> tuple[float, float]:
    """(first call's seconds, median of ``repeats`` further calls)."""
    began = time.perf_counter()
    run()
    first = time.perf_counter() - began
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return first, statistics.median(times)


def timed_jax(engine: JaxBackend, step: Step, grids: Stacks, inputs: Stacks, repeats: int):
    """(compile seconds, median apply seconds, median apply + read-back seconds)."""
    began = time.perf_counter()
    engine.apply(step, grids, inputs)
    first = time.perf_counter() - began
    applied, read = [], []
    for _ in range(repeats):
        began = time.perf_counter()
        found = engine.apply(step, grids, inputs)
        middle = time.perf_counter()
        for children in found:
            [np.asarray(g) for g in children.grids]
        applied.append(middle - began)
        read.append(time.perf_counter() - began)
    steady = statistics.median(applied)
    return max(0.0, first - steady), steady, statistics.median(read)


def measure(task: Task, k: int, steps: list[Step], engines: dict, args, rng) -> dict[str, float]:
    grids, inputs = states(task, k, rng)
    numpy_engine, jax_engine = engines["numpy"], engines["jax"]

    def numpy_run(step: Step):
        return lambda: [numpy_engine.fingerprint(c.grids) for c in numpy_engine.apply(step, grids, inputs)]

    seconds = {"numpy": 0.0, "jax": 0.0, "jax+read": 0.0}
    compile_s = 0.0
    for step in steps:
        seconds["numpy"] += timed(numpy_run(step), args.repeats)[1]
        compiling, applying, reading = timed_jax(jax_engine, step, grids, inputs, args.repeats)
        compile_s += compiling
        seconds["jax"] += applying
        seconds["jax+read"] += reading
    apps = len(steps) * k * len(grids)
    return {name: apps / s for name, s in seconds.items()} | {"compile": compile_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--sizes", default="256,1024,4096", help="states per batch")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--primitives", type=int, default=12, help="primitives sampled (0: all)")
    parser.add_argument("--pairs", action="store_true", help="also the two-grid steps on the task input")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    engines = {"numpy": backends.NumpyBackend(), "jax": JaxBackend()}
    steps = pick_steps(engines["jax"], args.primitives, args.pairs, rng)
    tasks = sample_tasks(args.tasks)
    print(f"jax {jax.__version__} on {jax.devices()}; numpy {np.__version__}")
    print(f"{len(tasks)} training tasks, {len(steps)} steps: {', '.join(s.text for s in steps)}")
    registry.primitives()  # load the table before timing
    header = ("states", "numpy apps/s", "jax apps/s", "jax+read", "jax/numpy", "compile s")
    print(" ".join(f"{h:>{n}}" for h, n in zip(header, (6, 13, 11, 11, 9, 9), strict=True)))
    for k in (int(s) for s in args.sizes.split(",")):
        rows = [measure(task, k, steps, engines, args, rng) for task in tasks]
        med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        ratio = statistics.median(r["jax"] / r["numpy"] for r in rows)
        compile_total = sum(r["compile"] for r in rows)
        print(
            f"{k:>6} {med['numpy']:>13,.0f} {med['jax']:>11,.0f} {med['jax+read']:>11,.0f} "
            f"{ratio:>9.2f} {compile_total:>9.1f}"
        )


if __name__ == "__main__":
    main()
