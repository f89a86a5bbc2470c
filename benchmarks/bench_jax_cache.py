"""What JAX's persistent compilation cache saves a search worker: first kernel calls, per process.

    python benchmarks/bench_jax_cache.py [--colours 3]

Each worker process compiles every JAX kernel it uses the first time it uses it, inside
the budget of its first tasks. This runs three fresh processes that build the JAX backend
and apply every step it runs on the device once, to a batch of 100 random states:
with an empty cache, again with the cache the first one filled, and with the cache off.
It prints the seconds each spent on those first calls and the ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys, time
import numpy as np
from solvers.backend_jax import JaxBackend
from solvers.steps import enumerate_steps
backend = JaxBackend()
steps = [s for s in enumerate_steps(tuple(range({colours}))) if backend.on_device(s)]
grids = (np.random.default_rng(0).integers(0, {colours}, size=(100, 8, 8)).astype(np.int8),)
grids[0].setflags(write=False)
began = time.perf_counter()
for step in steps:
    backend.apply(step, grids, (grids[0][0],))
print(len(steps), time.perf_counter() - began)
"""


def first_calls(colours: int, cache: str) -> tuple[int, float]:
    """(steps, seconds) of one fresh process's first calls with ``ARC_EVAL_JAX_CACHE=cache``."""
    env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}
    env["ARC_EVAL_JAX_CACHE"] = cache
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(colours=colours)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    steps, seconds = done.stdout.split()[-2:]
    return int(steps), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--colours", type=int, default=3, help="task colours (more: more steps)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arc-eval-jax-cache-") as cache:
        steps, cold = first_calls(args.colours, cache)
        _, warm = first_calls(args.colours, cache)
        size = sum(f.stat().st_size for f in Path(cache).rglob("*") if f.is_file())
    _, off = first_calls(args.colours, "off")
    print(f"{steps} device steps, first call each, one fresh process per line:")
    print(f"  empty cache   {cold:6.1f} s")
    print(f"  filled cache  {warm:6.1f} s   ({cold / warm:.1f}x faster; cache {size / 2**20:.1f} MiB)")
    print(f"  cache off     {off:6.1f} s")


if __name__ == "__main__":
    main()
