"""The JAX backend of the search: padded grids, one jitted kernel per primitive, hashing on the device.

Why it looks like this:

- **Padded canvases, true sizes traced.** Every grid sits in a 30 x 30 int8 canvas
  (zeros outside its box) with its height and width as int32 values, so a kernel
  compiles once for all shapes. The states of a batch and all their examples travel as
  one flat batch of items (item ``e * K + k``: example e of state k), so one kernel call
  covers every example at once where the numpy backend makes one call per example.
- **Fixed batch sizes.** The item count is padded up to a bucket (powers of two from
  :data:`MIN_BUCKET` to :data:`MAX_BUCKET`); a larger batch is split by states into parts
  that fit. Literals (colours, factors, directions) are traced int32 arrays too, so no
  argument forces a recompilation: a primitive compiles once per bucket size.
- **One kernel per primitive** (:mod:`solvers.jax_kernels`): a batch is one step applied
  to many states. There is no ``vmap`` of a ``lax.switch`` over a per-item primitive
  index, which would evaluate every branch for every item.
- **Hashing on the device, small results back.** Each kernel call also returns, per
  state, whether every example has a result and a 64-bit fingerprint, as two uint32
  lanes of a random linear hash modulo 2**32 with independent weights (combined into
  uint64 on the host). Two lanes rather than one uint64 because uint64 needs JAX's
  global ``jax_enable_x64`` switch, which would change other JAX code in the process.
  Like :func:`solvers.backends.fingerprint`, it covers every example grid with its shape
  and mixes across examples; a false merge has probability about 2**-58 (a cell
  difference is at most 9, so at most 3 low bits of a lane are lost). Only those small
  arrays and the output sizes are copied back before the search picks the fresh
  children; their grids stay on the device in :class:`DeviceStack` objects and only the
  rows the search keeps are copied back, cropped to their shapes. :func:`fingerprint` is
  the same hash in numpy, for the children of the fallback paths and the root.
- **Uploads cached per batch.** The search applies every step of a level to the same
  read-only stacks; the padded device copy of a batch is made once and kept (a few
  batches, checked by identity), as :mod:`solvers.kernels_lines` keeps its views.
- **Fallbacks.** A step without a JAX kernel runs exactly as in the numpy backend
  (numpy kernel, or grid by grid), and :meth:`JaxBackend.batched` answers as the numpy
  backend does, so both backends visit states in the same order and find the same
  answers under the same names.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from dsl.registry import Primitive
from solvers import jax_cache
from solvers.backends import Children, Grids, NumpyBackend, Stacks
from solvers.jax_kernels import JAX_KERNELS, JAX_PAIR_KERNELS, SIDE, C, R
from solvers.kernels_pairs import pair_operands
from solvers.steps import Step

__all__ = ["MAX_BUCKET", "MIN_BUCKET", "DeviceStack", "JaxBackend", "bucket", "fingerprint"]

MIN_BUCKET = 64
MAX_BUCKET = 4096
CELLS = SIDE * SIDE
_CACHED_BATCHES = 4

_LANES = 2  # independent uint32 hashes, together a 64-bit fingerprint
_rng = np.random.default_rng(20203)
_WEIGHTS = _rng.integers(0, 2**32, size=(_LANES, SIDE, SIDE), dtype=np.uint32) | np.uint32(1)
_SHAPE_SALT = _rng.integers(0, 2**32, size=(_LANES, 31 * SIDE + SIDE + 1), dtype=np.uint32)
_EXAMPLE_MIX = _rng.integers(0, 2**32, size=(_LANES, 64), dtype=np.uint32) | np.uint32(1)


def bucket(n: int, smallest: int = MIN_BUCKET) -> int:
    """The padded batch size for n items: a power of two, at least ``smallest``."""
    return max(smallest, 1 << max(0, n - 1).bit_length())


def _combine(lanes: np.ndarray) -> np.ndarray:
    """Two uint32 lanes (2, K) as one uint64 fingerprint per state."""
    return lanes[0].astype(np.uint64) | (lanes[1].astype(np.uint64) << np.uint64(32))


def fingerprint(grids: Stacks) -> np.ndarray:
    """The device hash, computed in numpy: uint64 (K,), equal grids and shapes on every
    example giving equal prints. uint32 arithmetic wraps, as on the device."""
    lanes = np.zeros((_LANES, len(grids[0])), dtype=np.uint32)
    for e, stack in enumerate(grids):
        k, h, w = stack.shape
        weights = _WEIGHTS[:, :h, :w].reshape(_LANES, h * w)
        digest = stack.reshape(k, h * w).astype(np.uint32) @ weights.T + _SHAPE_SALT[:, h * 31 + w]
        lanes += (digest * _EXAMPLE_MIX[:, e % 64] + np.uint32(e)).T
    return _combine(lanes)


# --- on the device ------------------------------------------------------------------


@jax.jit
def _finish(out, oh, ow, ok, ex, state):
    """Clear cells outside each output's box, then per state: valid on every example, two hash lanes.

    Shared by every kernel (jitted once per bucket size), which keeps each primitive's
    own compilation small.
    """
    ok = ok & (oh >= 1) & (oh <= SIDE) & (ow >= 1) & (ow <= SIDE)
    inside = (oh[:, None, None] > R) & (ow[:, None, None] > C) & ok[:, None, None]
    out = jnp.where(inside, out, 0).astype(jnp.int8)
    oh, ow = jnp.where(ok, oh, 1), jnp.where(ok, ow, 1)
    n = out.shape[0]
    flat = out.reshape(n, CELLS).astype(jnp.uint32)
    weights = _WEIGHTS.reshape(_LANES, CELLS)
    digest = jnp.stack([(flat * weights[j]).sum(axis=1, dtype=jnp.uint32) for j in range(_LANES)])
    digest = digest + jnp.asarray(_SHAPE_SALT)[:, oh * 31 + ow]
    contrib = digest * jnp.asarray(_EXAMPLE_MIX)[:, ex % 64] + ex.astype(jnp.uint32)
    # Padding items carry state index n, which segment_sum drops.
    lanes = jnp.stack([jax.ops.segment_sum(contrib[j], state, num_segments=n) for j in range(_LANES)])
    bad = jax.ops.segment_sum((~ok).astype(jnp.int32), state, num_segments=n)
    return out, oh, ow, bad == 0, lanes


def _compile(name: str, pair: bool) -> Callable:
    """The batched, jitted kernel of one primitive: items in, (canvases, sizes, ok) out."""
    item = JAX_PAIR_KERNELS[name] if pair else JAX_KERNELS[name]

    def single(grids, h, w, literals):
        lits = [literals[i] for i in range(literals.shape[0])]
        return jax.vmap(lambda g, a, b: item(g, a, b, *lits))(grids, h, w)

    def two(grids, h, w, ex, literals, in_grids, in_h, in_w, original_first):
        lits = [literals[i] for i in range(literals.shape[0])]
        state_side, input_side = (grids, h, w), (in_grids[ex], in_h[ex], in_w[ex])
        a = [jnp.where(original_first, y, x) for x, y in zip(state_side, input_side, strict=True)]
        b = [jnp.where(original_first, x, y) for x, y in zip(state_side, input_side, strict=True)]
        return jax.vmap(lambda *v: item(*v, *lits))(*a, *b)

    return jax.jit(two if pair else single)


_COMPILED: dict[tuple[str, bool], Callable] = {}


def _kernel(name: str, pair: bool) -> Callable:
    if (name, pair) not in _COMPILED:
        _COMPILED[name, pair] = _compile(name, pair)
    return _COMPILED[name, pair]


@jax.jit
def _take_rows(canvases, items):
    return canvases[items]


# --- batches on the device ------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """States ``start:stop`` of a batch, every example, as one padded batch of items."""

    start: int
    stop: int
    arrays: tuple  # canvases, heights, widths, example index, state index (padding: the bucket size)


@dataclass(frozen=True)
class _DeviceBatch:
    stacks: Stacks  # held so that their ids stay theirs while the entry lives
    parts: tuple[_Part, ...]


def _upload(grids: Stacks, buckets: tuple[int, int]) -> _DeviceBatch:
    n_states, n_examples = len(grids[0]), len(grids)
    per_part = max(1, buckets[1] // n_examples)
    parts = []
    for start in range(0, n_states, per_part):
        stop = min(start + per_part, n_states)
        k = stop - start
        size = bucket(k * n_examples, buckets[0])
        canvases = np.zeros((size, SIDE, SIDE), dtype=np.int8)
        heights, widths = np.ones(size, dtype=np.int32), np.ones(size, dtype=np.int32)
        examples = np.zeros(size, dtype=np.int32)
        states = np.full(size, size, dtype=np.int32)
        for e, stack in enumerate(grids):
            _, h, w = stack.shape
            items = slice(e * k, (e + 1) * k)
            canvases[items, :h, :w] = stack[start:stop]
            heights[items], widths[items], examples[items] = h, w, e
            states[items] = np.arange(k)
        arrays = jax.device_put((canvases, heights, widths, examples, states))
        parts.append(_Part(start, stop, tuple(arrays)))
    return _DeviceBatch(grids, tuple(parts))


def _upload_inputs(inputs: Grids) -> tuple:
    size = max(8, 1 << (len(inputs) - 1).bit_length())
    canvases = np.zeros((size, SIDE, SIDE), dtype=np.int8)
    heights, widths = np.ones(size, dtype=np.int32), np.ones(size, dtype=np.int32)
    for e, grid in enumerate(inputs):
        h, w = grid.shape
        canvases[e, :h, :w] = grid
        heights[e], widths[e] = h, w
    return tuple(jax.device_put((canvases, heights, widths)))


class _Recent:
    """The device copies of the last few read-only stack tuples, found by identity."""

    def __init__(self, build: Callable[[tuple[np.ndarray, ...]], Any], size: int = _CACHED_BATCHES) -> None:
        self.build = build
        self.size = size
        self.entries: OrderedDict[tuple[int, ...], tuple[tuple[np.ndarray, ...], Any]] = OrderedDict()

    def get(self, arrays: tuple[np.ndarray, ...]) -> Any:
        key = tuple(id(a) for a in arrays)
        hit = self.entries.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], arrays, strict=True)):
            self.entries.move_to_end(key)
            return hit[1]
        value = self.build(arrays)
        if not any(a.flags.writeable for a in arrays):  # a writable array could change under the cache
            self.entries[key] = (arrays, value)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


# --- children left on the device ------------------------------------------------------


class _Outputs:
    """One step's output canvases on the device for a whole batch, copied back on demand."""

    def __init__(self, parts: list[tuple[int, int, Any]], n_examples: int, smallest: int) -> None:
        self.parts = parts  # (first state, end state, canvases on the device)
        self.n_examples = n_examples
        self.smallest = smallest  # of the padded index batches
        self._last: tuple[bytes, np.ndarray] | None = None

    def fetch(self, states: np.ndarray) -> np.ndarray:
        """Canvases (E, len(states), 30, 30) of these states on every example.

        The search reads the same rows of every example in turn: the last answer is kept.
        """
        key = states.tobytes()
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        found = np.zeros((self.n_examples, len(states), SIDE, SIDE), dtype=np.int8)
        for start, stop, canvases in self.parts:
            picked = np.flatnonzero((states >= start) & (states < stop))
            if not len(picked):
                continue
            k = stop - start
            items = (np.arange(self.n_examples)[:, None] * k + (states[picked] - start)).ravel()
            padded = np.zeros(bucket(len(items), self.smallest), dtype=np.int32)
            padded[: len(items)] = items
            rows = np.asarray(_take_rows(canvases, padded))[: len(items)]
            found[:, picked] = rows.reshape(self.n_examples, len(picked), SIDE, SIDE)
        self._last = (key, found)
        return found


class DeviceStack:
    """One example's grids of a step's children, ``(K, H, W)`` int8, left on the device.

    Indexing with an index array copies only those rows back (cropped); ``np.asarray``
    copies them all.
    """

    dtype = np.dtype(np.int8)
    ndim = 3

    def __init__(self, outputs: _Outputs, example: int, states: np.ndarray, shape: tuple[int, int]) -> None:
        self._outputs = outputs
        self._example = example
        self._states = states
        self._shape = shape

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self._states), *self._shape)

    def __len__(self) -> int:
        return len(self._states)

    def __getitem__(self, index: Any) -> np.ndarray:
        states = self._states[index]
        if np.ndim(states) == 0:
            return self[np.asarray([index])][0]
        h, w = self._shape
        canvases = self._outputs.fetch(np.asarray(states))[self._example]
        return np.ascontiguousarray(canvases[:, :h, :w])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        grids = self[np.arange(len(self))]
        return grids if dtype is None else grids.astype(dtype)


# --- the backend -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """How a step runs on the device: its kernel, literals, and for a two-grid step which
    operand is the task input."""

    name: str
    literals: np.ndarray
    pair: bool = False
    original_first: bool = False


def _plan(step: Step) -> _Plan | None:
    literals = np.asarray([int(v) for v in step.literals], dtype=np.int32)
    if step.primitive in JAX_KERNELS:
        return _Plan(step.primitive, literals)
    operands = pair_operands(step)
    if operands is not None and operands[0] in JAX_PAIR_KERNELS:
        name, original_first, values = operands
        return _Plan(name, np.asarray([int(v) for v in values], dtype=np.int32), True, original_first)
    return None


class JaxBackend:
    """JAX kernels where a step has one, the numpy backend's paths otherwise.

    ``min_bucket`` and ``max_bucket`` bound the padded batch sizes (powers of two): each
    kernel compiles once per size used, so equal bounds mean one compilation per kernel
    (the tests use that), at the price of more padding or more calls.
    """

    name = "jax"

    def __init__(
        self,
        table: Mapping[str, Primitive] | None = None,
        min_bucket: int = MIN_BUCKET,
        max_bucket: int = MAX_BUCKET,
    ) -> None:
        if not (min_bucket <= max_bucket and bucket(max_bucket) == max_bucket == bucket(max_bucket, 1)):
            raise ValueError(f"bucket bounds must be powers of two, min <= max: {min_bucket}, {max_bucket}")
        jax_cache.enable()  # kernels compile inside the first tasks' budgets: reuse earlier workers' work
        self.numpy = NumpyBackend(table)
        self.table = self.numpy.table
        self.buckets = (bucket(min_bucket, 1), max_bucket)
        self._plans: dict[Step, _Plan | None] = {}
        self._batches = _Recent(lambda grids: _upload(grids, self.buckets))
        self._inputs = _Recent(_upload_inputs)

    def batched(self, step: Step) -> bool:
        # As the numpy backend says, so both backends order the search's work alike.
        return self.numpy.batched(step)

    def on_device(self, step: Step) -> bool:
        """Whether the step runs as a JAX kernel."""
        if step not in self._plans:
            self._plans[step] = _plan(step)
        return self._plans[step] is not None

    def apply(self, step: Step, grids: Stacks, inputs: Grids) -> list[Children]:
        return self.apply_many([step], grids, inputs)[0]

    def apply_many(self, steps: Sequence[Step], grids: Stacks, inputs: Grids) -> list[list[Children]]:
        device = [self.on_device(s) for s in steps]
        others = [s for s, d in zip(steps, device, strict=True) if not d]
        rest = iter(self.numpy.apply_many(others, grids, inputs))
        return [
            self._run(self._plans[s], grids, inputs) if d else next(rest)
            for s, d in zip(steps, device, strict=True)
        ]

    def fingerprint(self, grids: Stacks) -> np.ndarray:
        return fingerprint(grids)

    def _run(self, plan: _Plan, grids: Stacks, inputs: Grids) -> list[Children]:
        if not len(grids[0]):
            return []
        batch = self._batches.get(tuple(grids))
        kernel = _kernel(plan.name, plan.pair)
        extra = (*self._inputs.get(tuple(inputs)), plan.original_first) if plan.pair else ()
        results = []
        for part in batch.parts:
            grids_on, h, w, ex, state = part.arrays
            if plan.pair:
                raw = kernel(grids_on, h, w, ex, plan.literals, *extra)
            else:
                raw = kernel(grids_on, h, w, plan.literals)
            results.append(_finish(*raw, ex, state))
        small = jax.device_get([r[1:] for r in results])  # sizes, validity, hash lanes: no grids
        n_examples = len(grids)
        valid, lanes, heights, widths = [], [], [], []
        for part, (oh, ow, ok, lane) in zip(batch.parts, small, strict=True):
            k = part.stop - part.start
            valid.append(ok[:k])
            lanes.append(lane[:, :k])
            heights.append(oh[: n_examples * k].reshape(n_examples, k))
            widths.append(ow[: n_examples * k].reshape(n_examples, k))
        rows = np.flatnonzero(np.concatenate(valid))
        if not len(rows):
            return []
        prints = _combine(np.concatenate(lanes, axis=1))
        sizes = np.concatenate((np.concatenate(heights, axis=1), np.concatenate(widths, axis=1)))[:, rows]
        parts = [(p.start, p.stop, r[0]) for p, r in zip(batch.parts, results, strict=True)]
        outputs = _Outputs(parts, n_examples, self.buckets[0])
        children = []
        for group, sig in _by_shape(rows, sizes):
            shapes = [(int(sig[e]), int(sig[n_examples + e])) for e in range(n_examples)]
            stacks = tuple(DeviceStack(outputs, e, group, shape) for e, shape in enumerate(shapes))
            children.append(Children(group, stacks, prints[group]))
        return children


def _by_shape(rows: np.ndarray, sizes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Rows grouped by their output sizes on every example (columns of ``sizes``), first seen first."""
    if (sizes == sizes[:, :1]).all():  # the usual case: the output shape follows from the input's
        return [(rows, sizes[:, 0])]
    keys, first, inverse = np.unique(sizes.T, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    return [(rows[inverse == g], keys[g]) for g in np.argsort(first, kind="stable")]
