"""Time per call of every DSL primitive on real ARC grids (ARC-AGI-1 training inputs).

    python benchmarks/bench_dsl.py [--grids 200] [--repeats 5] [--all]

Arguments are built per grid: the grid itself for Grid slots, the grid's most common
non-background colour (else the first domain value) for literals, and for other types
(Grids, Object, Objects) the value of the first registered one-grid primitive that
returns that type. Prints the median time per call over repeats; the figures are
medians, so compare ratios between runs on the same machine rather than absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from arc_harness.datasets import load_dataset
from dsl.registry import Primitive, literal_domain, primitives
from dsl.types import LITERAL_TYPES, T


def training_inputs(n: int) -> list[np.ndarray]:
    data = load_dataset("arc-agi-1")
    grids = [pair.input for task in data.split_tasks("training") for pair in task.train]
    step = max(1, len(grids) // n)
    return grids[::step][:n]


def producers() -> dict[T, Primitive]:
    """For each non-grid, non-literal type: a primitive making it from a grid alone."""
    found: dict[T, Primitive] = {}
    for prim in primitives().values():
        if prim.args == (T.GRID,) and prim.ret not in found and prim.ret is not T.GRID:
            found[prim.ret] = prim
    return found


def build_args(prim: Primitive, grid: np.ndarray, made: dict[T, Primitive]) -> tuple | None:
    colors = np.bincount(grid.ravel(), minlength=10)
    colors[0] = 0
    main_color = int(colors.argmax()) if colors.any() else 0
    args: list[Any] = []
    for index, kind in enumerate(prim.args):
        if kind is T.GRID:
            args.append(grid)
        elif kind in LITERAL_TYPES:
            domain = literal_domain(prim, index, (main_color,))
            args.append(domain[0])
        elif kind in made:
            value = made[kind](grid)
            if value is None:
                return None
            args.append(value)
        else:
            return None
    return tuple(args)


def time_primitive(prim: Primitive, arg_sets: Sequence[tuple], repeats: int) -> float:
    """Median seconds per call over ``repeats`` passes through ``arg_sets``."""
    fn = prim.fn
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for args in arg_sets:
            fn(*args)
        samples.append((time.perf_counter() - start) / len(arg_sets))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="print every primitive")
    options = parser.parse_args()
    grids = training_inputs(options.grids)
    made = producers()
    timings = {}
    for name, prim in primitives().items():
        arg_sets = [a for g in grids if (a := build_args(prim, g, made)) is not None]
        if arg_sets:
            timings[name] = time_primitive(prim, arg_sets, options.repeats)
    ranked = sorted(timings.items(), key=lambda kv: -kv[1])
    shape = np.median([g.size for g in grids])
    print(
        f"{len(timings)} primitives on {len(grids)} ARC-AGI-1 training inputs "
        f"(median {shape:.0f} cells), median of {options.repeats} repeats"
    )
    print(f"median over primitives: {statistics.median(timings.values()) * 1e6:.1f} us/call")
    print(f"calls per second at that median: {1 / statistics.median(timings.values()):,.0f}")
    print("slowest ten:" if not options.all else "all, slowest first:")
    for name, seconds in ranked if options.all else ranked[:10]:
        print(f"  {name:<36} {seconds * 1e6:9.1f} us/call  [{primitives()[name].family}]")


if __name__ == "__main__":
    main()
