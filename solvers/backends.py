"""Candidate evaluation for the search: apply one step to many states at once, fingerprint the results.

A batch holds states whose grids have the same shape example by example: per example
(demonstration inputs, then test inputs) one ``(K, H, W)`` int8 stack. A backend turns
a batch and a step into child batches, grouped again by shape, and fingerprints states
so the search can merge those that behave alike.

- ``numpy``: a step that is one primitive with a batched kernel (:mod:`solvers.kernels`)
  runs as one numpy call per example over the whole stack; other steps run grid by grid.
- ``naive``: every step grid by grid, the reference the benchmark measures against.
- ``jax`` (:mod:`solvers.backend_jax`, imported only when asked for): padded grids, one
  jitted kernel per primitive, fingerprints computed on the device; children's grids
  stay there until the search reads the ones it keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from dsl import registry
from dsl.registry import Primitive
from solvers.kernels import KERNELS
from solvers.kernels_pairs import pair_runner
from solvers.steps import Step, evaluate

Stacks = tuple[np.ndarray, ...]  # per example, a (K, H, W) stack of the states' grids
Grids = tuple[np.ndarray, ...]  # per example, one (H, W) grid
# A batched kernel bound to its step: (stack of states, the task input) -> (out, valid).
Runner = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray | None]]

_WEIGHTS = np.random.default_rng(20201).integers(1, 2**63, size=30 * 30, dtype=np.uint64) | np.uint64(1)
_EXAMPLE_MIX = np.random.default_rng(20202).integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)


@dataclass(frozen=True)
class Children:
    """The states a step produced from a batch: ``rows`` are their parents' indices in the batch.

    ``grids`` may be array-likes that copy their rows on indexing (``np.asarray`` for all
    of them), and ``prints`` the states' fingerprints when the backend computed them with
    the states (else the search asks :meth:`Backend.fingerprint`).
    """

    rows: np.ndarray
    grids: Stacks
    prints: np.ndarray | None = None


class Backend(Protocol):
    name: str

    def apply(self, step: Step, grids: Stacks, inputs: Grids) -> list[Children]:
        """Apply ``step`` to every state of a batch; drop states where it has no result.

        ``inputs`` holds the task's input grid per example, for steps that read it.
        """
        ...

    def apply_many(self, steps: Sequence[Step], grids: Stacks, inputs: Grids) -> list[list[Children]]:
        """:meth:`apply` for several steps, free to share work between them."""
        ...

    def batched(self, step: Step) -> bool:
        """Whether the step is cheap per state on a large batch (else give it small slices)."""
        ...

    def fingerprint(self, grids: Stacks) -> np.ndarray:
        """A 64-bit fingerprint per state (uint64, shape (K,)), shapes included."""
        ...


def fingerprint(grids: Stacks) -> np.ndarray:
    """Hash every example grid of every state, shape included, and mix across examples.

    A random linear hash modulo 2**64: one vectorised pass, no per-grid Python. Merging
    by it can only wrongly merge two states with probability about 2**-60; answers are
    always checked cell by cell, never by fingerprint.
    """
    total = np.zeros(len(grids[0]), dtype=np.uint64)
    for e, stack in enumerate(grids):
        k, h, w = stack.shape
        flat = stack.reshape(k, h * w).astype(np.uint64)
        digest = flat @ _WEIGHTS[: h * w] + np.uint64(h * 31 + w)
        total += digest * _EXAMPLE_MIX[e % len(_EXAMPLE_MIX)] + np.uint64(e)
    return total


def _regroup(rows: list[int], values: list[list[np.ndarray]]) -> list[Children]:
    """States' output grids grouped by their shapes into stacked children."""
    groups: dict[tuple, tuple[list[int], list[list[np.ndarray]]]] = {}
    for k, outputs in zip(rows, values, strict=True):
        rows_of, stacks = groups.setdefault(tuple(v.shape for v in outputs), ([], [[] for _ in outputs]))
        rows_of.append(k)
        for e, value in enumerate(outputs):
            stacks[e].append(value)
    return [
        Children(np.asarray(rows_of, dtype=np.intp), tuple(np.stack(s) for s in stacks))
        for rows_of, stacks in groups.values()
    ]


def _per_grid(
    steps: Sequence[Step], grids: Stacks, inputs: Grids, table: Mapping[str, Primitive], share: bool
) -> list[list[Children]]:
    """Evaluate steps grid by grid; with ``share``, inner calls are computed once per grid."""
    found: list[tuple[list[int], list[list[np.ndarray]]]] = [([], []) for _ in steps]
    for k in range(len(grids[0])):
        memos = [{} if share else None for _ in grids]
        for s, step in enumerate(steps):
            values = []
            for stack, memo, original in zip(grids, memos, inputs, strict=True):
                value = evaluate(step.expr, stack[k], table, memo, original)
                if value is None:
                    break
                values.append(value)
            else:
                found[s][0].append(k)
                found[s][1].append(values)
    return [_regroup(rows, values) for rows, values in found]


def _runner(step: Step) -> Runner | None:
    """A step's batched kernel as ``run(stack, original)``, or None if it has none."""
    if step.primitive in KERNELS:
        kernel, literals = KERNELS[step.primitive], step.literals
        return lambda stack, original: kernel(stack, *literals)
    return pair_runner(step)


def kernel_output_shape(step: Step, shape: tuple[int, ...], original: np.ndarray) -> tuple[int, ...] | None:
    """The shape a step's numpy kernel gives every state of ``shape``; None without a kernel.

    A batched kernel returns one stack, so its output shape depends on the input shape (and
    the task input's, for two-grid steps) only, never on the cells: a blank grid tells it.
    That holds whichever backend then runs the step.
    """
    run = _runner(step)
    if run is None:
        return None
    out, _ = run(np.zeros((1, *shape), dtype=np.int8), original)
    return tuple(out.shape[1:])


def _batched(run: Runner, grids: Stacks, inputs: Grids) -> list[Children]:
    """One kernel call per example over the whole stack."""
    outs, valid = [], np.ones(len(grids[0]), dtype=bool)
    for stack, original in zip(grids, inputs, strict=True):
        out, ok = run(stack, original)
        if ok is not None:
            valid &= ok
        outs.append(out)
    if valid.all():
        return [Children(np.arange(len(valid)), tuple(outs))]
    rows = np.flatnonzero(valid)
    return [Children(rows, tuple(out[rows] for out in outs))] if len(rows) else []


class NumpyBackend:
    """Batched numpy kernels where a step has one, grid by grid otherwise."""

    name = "numpy"

    def __init__(self, table: Mapping[str, Primitive] | None = None) -> None:
        self.table = registry.primitives() if table is None else table
        self._runners: dict[Step, Runner | None] = {}  # found once per step, used per batch

    def apply(self, step: Step, grids: Stacks, inputs: Grids) -> list[Children]:
        return self.apply_many([step], grids, inputs)[0]

    def batched(self, step: Step) -> bool:
        return self._kernel(step) is not None

    def _kernel(self, step: Step) -> Runner | None:
        if step not in self._runners:
            self._runners[step] = _runner(step)
        return self._runners[step]

    def apply_many(self, steps: Sequence[Step], grids: Stacks, inputs: Grids) -> list[list[Children]]:
        batched = [self.batched(s) for s in steps]
        one_by_one = iter(
            _per_grid(
                [s for s, b in zip(steps, batched, strict=True) if not b], grids, inputs, self.table, True
            )
        )
        return [
            _batched(self._kernel(s), grids, inputs) if b else next(one_by_one)
            for s, b in zip(steps, batched, strict=True)
        ]

    def fingerprint(self, grids: Stacks) -> np.ndarray:
        return fingerprint(grids)


class NaiveBackend(NumpyBackend):
    """Every step grid by grid through the primitives: the reference for benchmarks and tests."""

    name = "naive"

    def apply_many(self, steps: Sequence[Step], grids: Stacks, inputs: Grids) -> list[list[Children]]:
        return _per_grid(steps, grids, inputs, self.table, share=False)

    def batched(self, step: Step) -> bool:
        return False


BACKENDS = {"numpy": NumpyBackend, "naive": NaiveBackend}


def make_backend(name: str) -> Backend:
    """The backend called ``name``; the JAX one is imported only when asked for."""
    if name == "jax":
        from solvers.backend_jax import JaxBackend  # importing JAX takes seconds: only when used

        return JaxBackend()
    if name not in BACKENDS:
        choices = ", ".join(sorted([*BACKENDS, "jax"]))
        raise ValueError(f"unknown backend {name!r}; choose from {choices}")
    return BACKENDS[name]()
