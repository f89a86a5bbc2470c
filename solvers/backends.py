"""Candidate evaluation for the search: apply one step to many states at once, fingerprint the results.

A batch holds states whose grids have the same shape example by example: per example
(demonstration inputs, then test inputs) one ``(K, H, W)`` int8 stack. A backend turns
a batch and a step into child batches, grouped again by shape, and fingerprints states
so the search can merge those that behave alike.

- ``numpy``: a step that is one primitive with a batched kernel (:mod:`solvers.kernels`)
  runs as one numpy call per example over the whole stack, or one call for all examples
  when they share a shape; a kernel primitive with computed arguments runs once per group
  of states with equal argument values (:mod:`solvers.computed`); a crop to a box found from
  the cells runs as one box kernel per stack, its outputs grouped by shape
  (:mod:`solvers.kernels_crops`); other steps run grid by grid.
- ``naive``: every step grid by grid, the reference the benchmark measures against.
- ``jax`` (:mod:`solvers.backend_jax`, imported only when asked for): padded grids, one
  jitted kernel per primitive, fingerprints computed on the device; children's grids
  stay there until the search reads the ones it keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from dsl import registry
from dsl.registry import Primitive
from solvers import computed, kernels_crops
from solvers.kernels import KERNELS
from solvers.kernels_pairs import pair_runner
from solvers.steps import Step, evaluate

Stacks = tuple[np.ndarray, ...]  # per example, a (K, H, W) stack of the states' grids
Grids = tuple[np.ndarray, ...]  # per example, one (H, W) grid
# A batched kernel bound to its step: (stack of states, the task input) -> (out, valid).
# The task input is one (H, W) grid, or one per state as an (N, H, W) stack.
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
    always checked cell by cell, never by fingerprint. Per example e the digest is
    ``(cells . W + c(h, w)) * m_e + e``; the mixing factor is folded into the weights and
    the constant terms into one offset, so a tiny batch costs two numpy calls an example.
    """
    total = np.full(len(grids[0]), _shape_offset(tuple(g.shape[1:] for g in grids)), dtype=np.uint64)
    for e, stack in enumerate(grids):
        k, h, w = stack.shape
        total += stack.reshape(k, h * w).astype(np.uint64) @ _mixed_weights(e % len(_EXAMPLE_MIX), h * w)
    return total


@lru_cache(maxsize=4096)
def _mixed_weights(example: int, cells: int) -> np.ndarray:
    return _WEIGHTS[:cells] * _EXAMPLE_MIX[example]


@lru_cache(maxsize=4096)
def _shape_offset(shapes: tuple[tuple[int, ...], ...]) -> np.uint64:
    """The digest's constant terms summed over examples (modulo 2**64, as numpy's uint64 wraps)."""
    total = 0
    for e, (h, w) in enumerate(shapes):
        total += (h * 31 + w) * int(_EXAMPLE_MIX[e % len(_EXAMPLE_MIX)]) + e
    return np.uint64(total % 2**64)


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
    That holds whichever backend then runs the step, and every search asks again: kept.
    """
    key = (step, shape, original.shape)
    if key not in _OUTPUT_SHAPES:
        if len(_OUTPUT_SHAPES) >= OUTPUT_SHAPES_KEPT:
            _OUTPUT_SHAPES.clear()
        run = _runner(step)
        found = None if run is None else run(np.zeros((1, *shape), dtype=np.int8), original)[0].shape[1:]
        _OUTPUT_SHAPES[key] = found
    return _OUTPUT_SHAPES[key]


# Output shapes found, for every search of the process (steps are interned, shapes few).
OUTPUT_SHAPES_KEPT = 100_000
_OUTPUT_SHAPES: dict[tuple, tuple[int, ...] | None] = {}


def _batched(run: Runner, grids: Stacks, inputs: Grids) -> list[Children]:
    """One kernel call per example over the whole stack."""
    outs, valid = [], np.ones(len(grids[0]), dtype=bool)
    for stack, original in zip(grids, inputs, strict=True):
        out, ok = run(stack, original)
        if ok is not None:
            valid &= ok
        outs.append(out)
    return _children(tuple(outs), valid)


def _children(outs: Stacks, valid: np.ndarray) -> list[Children]:
    if valid.all():
        return [Children(np.arange(len(valid)), outs)]
    rows = np.flatnonzero(valid)
    return [Children(rows, tuple(out[rows] for out in outs))] if len(rows) else []


@dataclass(frozen=True)
class Joined:
    """A batch whose examples all have one shape, as one example-major stack.

    Row ``e * K + k`` is state k's grid for example e, so a kernel runs once for all
    examples, and example e's results are the contiguous rows ``e * K`` to ``(e + 1) * K``.
    ``originals`` holds each row's task input, when all the inputs have one shape too.
    """

    parts: Stacks  # the batch and task inputs it was made from, compared by identity
    inputs: Grids
    stack: np.ndarray
    originals: np.ndarray | None

    def split(self, out: np.ndarray, valid: np.ndarray | None) -> list[Children]:
        k = len(self.parts[0])
        outs = tuple(out[e * k : (e + 1) * k] for e in range(len(self.parts)))
        return _children(outs, np.ones(k, bool) if valid is None else valid.reshape(-1, k).all(axis=0))


def join(grids: Stacks, inputs: Grids) -> Joined | None:
    """The batch as one stack, if it has several examples of one shape; else None."""
    shape = grids[0].shape
    if len(grids) < 2 or any(g.shape != shape for g in grids):
        return None
    stack = np.concatenate(grids)
    stack.setflags(write=False)  # a state, like the parts: kernels may reuse work per stack
    originals = None
    if all(i.shape == inputs[0].shape for i in inputs):
        originals = np.repeat(np.stack(inputs), shape[0], axis=0)
    return Joined(grids, inputs, stack, originals)


def _computed(
    plan: computed.Plan, grids: Stacks, joined: Joined | None, values: computed.ArgumentValues
) -> list[Children]:
    """A step with computed arguments, over the joined stack when there is one, else per example."""
    if joined is None:
        found = [computed.run(plan, stack, values) for stack in grids]
        shape_of = np.stack([s for s, _ in found])
        stacks = [per_shape for _, per_shape in found]
    else:
        joint, per_shape = computed.run(plan, joined.stack, values)
        k = len(grids[0])
        shape_of = joint.reshape(len(grids), k)
        stacks = [[s[e * k : (e + 1) * k] for s in per_shape] for e in range(len(grids))]
    return _assemble(shape_of, None, stacks)


def _cropped(name: str, literals: tuple, grids: Stacks, joined: Joined | None) -> list[Children]:
    """A crop with a box kernel, over the joined stack when there is one, else per example."""
    if joined is None:
        cuts = [kernels_crops.run(name, stack, literals) for stack in grids]
        shape_of, position = np.stack([c.shape_of for c in cuts]), np.stack([c.position for c in cuts])
        return _assemble(shape_of, position, [c.stacks for c in cuts])
    cut = kernels_crops.run(name, joined.stack, literals)
    n = len(grids)
    return _assemble(cut.shape_of.reshape(n, -1), cut.position.reshape(n, -1), [cut.stacks] * n)


def _assemble(
    shape_of: np.ndarray, position: np.ndarray | None, stacks: list[list[np.ndarray]]
) -> list[Children]:
    """Children from per-example output shapes (``shape_of[e, k]``, -1: no result) and, per
    example, one stack per shape; grouped by shapes on every example, first row first.

    Row k's grid for example e is ``stacks[e][shape_of[e, k]][position[e, k]]``; with no
    ``position``, every stack is full (a grid for every row, at its own index).
    """
    valid = (shape_of >= 0).all(axis=0)
    rows = np.flatnonzero(valid)
    if not len(rows):
        return []
    if all(len(per_shape) == 1 for per_shape in stacks):
        keys, groups = [[0] * len(stacks)], [rows]
    else:
        found, first, inverse = np.unique(shape_of[:, rows].T, axis=0, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        keys = found[order].tolist()
        groups = [rows[inverse.reshape(-1) == g] for g in order]
    return [
        Children(
            chosen,
            tuple(
                _grids_of(stacks[e][i], None if position is None else position[e], chosen)
                for e, i in enumerate(key)
            ),
        )
        for key, chosen in zip(keys, groups, strict=True)
    ]


def _grids_of(stack: np.ndarray, position: np.ndarray | None, chosen: np.ndarray) -> np.ndarray:
    """The grids of rows ``chosen`` from one shape's stack (see :func:`_assemble`)."""
    if position is not None:
        return stack[position[chosen]]
    return stack if len(chosen) == len(stack) else stack[chosen]


def _same_objects(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class NumpyBackend:
    """Batched numpy kernels where a step has one, grid by grid otherwise.

    A batch whose examples share one shape runs each kernel once over all its examples
    (:class:`Joined`): on the small batches of a level with many shapes, the per-call cost
    of numpy, not the cells, is what a kernel call costs. Steps with computed arguments
    share those arguments' values per batch (:class:`computed.ArgumentValues`).
    """

    name = "numpy"

    def __init__(self, table: Mapping[str, Primitive] | None = None) -> None:
        self.table = registry.primitives() if table is None else table
        self._runners: dict[Step, Runner | None] = {}  # found once per step, used per batch
        self._plans: dict[Step, computed.Plan | None] = {}
        self._values = computed.ArgumentValues(self.table)
        self._joined: Joined | None = None  # the last batch joined: the next steps see it again

    def apply(self, step: Step, grids: Stacks, inputs: Grids) -> list[Children]:
        run = self._kernel(step)
        if run is None:
            if step.primitive in kernels_crops.BOX_KERNELS:
                return _cropped(step.primitive, step.literals, grids, self._join(grids, inputs))
            plan = self._plan(step)
            if plan is not None:
                return _computed(plan, grids, self._join(grids, inputs), self._values)
            return _per_grid([step], grids, inputs, self.table, share=True)[0]
        joined = self._join(grids, inputs)
        if joined is None:
            return _batched(run, grids, inputs)
        if step.primitive in KERNELS:
            return joined.split(*run(joined.stack, inputs[0]))  # a one-grid kernel ignores the input
        if joined.originals is None:
            return _batched(run, grids, inputs)
        return joined.split(*run(joined.stack, joined.originals))

    def _join(self, grids: Stacks, inputs: Grids) -> Joined | None:
        last = self._joined
        if last is None or not _same_objects((*last.parts, *last.inputs), (*grids, *inputs)):
            last = self._joined = join(grids, inputs)
        return last

    def batched(self, step: Step) -> bool:
        crop = step.primitive in kernels_crops.BOX_KERNELS
        return crop or self._kernel(step) is not None or self._plan(step) is not None

    def _kernel(self, step: Step) -> Runner | None:
        if step not in self._runners:
            self._runners[step] = _runner(step)
        return self._runners[step]

    def _plan(self, step: Step) -> computed.Plan | None:
        if step not in self._plans:
            self._plans[step] = computed.plan_for(step, self.table)
        return self._plans[step]

    def apply_many(self, steps: Sequence[Step], grids: Stacks, inputs: Grids) -> list[list[Children]]:
        one_by_one = [s for s in steps if not self.batched(s)]
        found = iter(_per_grid(one_by_one, grids, inputs, self.table, True) if one_by_one else [])
        return [self.apply(s, grids, inputs) if self.batched(s) else next(found) for s in steps]

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
