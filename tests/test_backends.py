"""The numpy backend's joined path: a batch whose examples share a shape runs each kernel once."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import batches

from dsl import registry
from solvers import backends
from solvers.steps import enumerate_steps, evaluate

COLOURS = [0, 2, 5]
BATCHED = [
    s for s in enumerate_steps(COLOURS, max_calls=1, binary=True) if backends.NumpyBackend().batched(s)
]
# Every fourth batched step, one-grid kernels and pair kernels alike, keeps the run short.
SAMPLE = BATCHED[::4]


@st.composite
def examples(draw: st.DrawFn) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """A batch of 2-4 examples of one shape, and task inputs of one shape (the states' mostly)."""
    first = draw(batches())
    k, h, w = first.shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    stacks = [first] + [
        rng.permutation(first.reshape(-1)).reshape(k, h, w) for _ in range(draw(st.integers(1, 3)))
    ]
    ih, iw = (h, w) if draw(st.integers(0, 3)) else (draw(st.integers(1, 30)), draw(st.integers(1, 30)))
    inputs = tuple(rng.integers(0, 10, (ih, iw)).astype(np.int8) for _ in stacks)
    return tuple(stacks), inputs


def by_state(found: list[backends.Children], examples: int) -> dict[int, list[np.ndarray]]:
    return {int(k): [c.grids[e][i] for e in range(examples)] for c in found for i, k in enumerate(c.rows)}


@pytest.mark.parametrize("step", SAMPLE, ids=lambda s: str(s.expr))
def test_a_joined_batch_gives_what_each_grid_gives(step):
    table = registry.primitives()

    @settings(max_examples=15, deadline=None, database=None)
    @given(examples())
    def check(batch):
        grids, inputs = batch
        backend = backends.NumpyBackend()
        assert backends.join(grids, inputs) is not None
        got = by_state(backend.apply(step, grids, inputs), len(grids))
        for k in range(len(grids[0])):
            want = [evaluate(step.expr, g[k], table, None, i) for g, i in zip(grids, inputs, strict=True)]
            if any(w is None for w in want):
                assert k not in got, f"state {k}: a result where an example has none"
                continue
            assert k in got, f"state {k}: no result"
            for e, (a, b) in enumerate(zip(got[k], want, strict=True)):
                assert a.shape == b.shape and np.array_equal(a, b), f"state {k}, example {e}"
        # The same batch again reuses the joined stack, and the answers do not change.
        again = by_state(backend.apply(step, grids, inputs), len(grids))
        assert again.keys() == got.keys()
        assert all(np.array_equal(a, b) for k in got for a, b in zip(got[k], again[k], strict=True))

    check()


def test_only_a_batch_of_one_shape_is_joined():
    a, b = np.zeros((2, 3, 3), np.int8), np.zeros((2, 3, 4), np.int8)
    grid = np.zeros((3, 3), np.int8)
    assert backends.join((a,), (grid,)) is None  # one example: nothing to join
    assert backends.join((a, b), (grid, grid)) is None
    joined = backends.join((a, a.copy()), (grid, np.zeros((5, 5), np.int8)))
    assert joined is not None and joined.stack.shape == (4, 3, 3)
    assert joined.originals is None  # inputs of two shapes: pair steps run example by example


def test_fingerprints_tell_examples_and_shapes_apart():
    grid = np.ones((1, 2, 3), np.int8)
    prints = {
        int(backends.fingerprint(g)[0])
        for g in [(grid, grid), (grid, grid.reshape(1, 3, 2)), (grid, grid, grid), (grid,)]
    }
    assert len(prints) == 4
    swapped = (grid, np.zeros_like(grid)), (np.zeros_like(grid), grid)
    assert backends.fingerprint(swapped[0])[0] != backends.fingerprint(swapped[1])[0]
