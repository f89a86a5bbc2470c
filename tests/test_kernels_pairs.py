"""Two-grid step kernels (solvers.kernels_pairs): differential tests against the per-grid path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import batches

from dsl import registry
from solvers import backends, kernels_crops
from solvers.kernels_pairs import PAIR_KERNELS, pair_operands
from solvers.steps import enumerate_steps, evaluate

COLOURS = [0, 3, 7]
PAIR_STEPS = [s for s in enumerate_steps(COLOURS, max_calls=1, binary=True) if pair_operands(s) is not None]


def test_every_pair_kernel_has_steps_both_ways_round():
    names = {pair_operands(s)[0] for s in PAIR_STEPS}
    assert names == set(PAIR_KERNELS)
    assert {pair_operands(s)[1] for s in PAIR_STEPS} == {True, False}
    assert all(registry.get(name).args[:2] == registry.get("overlay").args for name in names)


@st.composite
def originals(draw: st.DrawFn, batch: np.ndarray) -> np.ndarray:
    """The task input: the states' shape mostly, sometimes another (no result for most steps)."""
    h, w = batch.shape[1:]
    if draw(st.integers(0, 4)) == 0:
        h, w = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return np.where(rng.random((h, w)) < 0.5, rng.integers(0, 10, (h, w)), 0).astype(np.int8)


@pytest.mark.parametrize("step", PAIR_STEPS, ids=lambda s: str(s.expr))
def test_pair_kernel_matches_the_per_grid_path(step):
    numpy_backend, table = backends.NumpyBackend(), registry.primitives()
    assert numpy_backend.batched(step)

    @settings(max_examples=25, deadline=None, database=None)
    @given(st.data())
    def check(data):
        batch = data.draw(batches())
        original = data.draw(originals(batch))
        before = batch.copy()
        found = numpy_backend.apply(step, (batch,), (original,))
        assert np.array_equal(batch, before), "the states were mutated"
        got = {int(k): out for c in found for k, out in zip(c.rows, c.grids[0], strict=True)}
        for k, grid in enumerate(batch):
            want = evaluate(step.expr, grid, table, None, original)
            assert (k in got) == (want is not None), f"grid {k}: kernel {k in got}, primitive {want}"
            if want is not None:
                assert got[k].shape == want.shape and np.array_equal(got[k], want), f"grid {k}"

    check()


# Steps with a one-shape kernel: batched, and not a crop (whose box kernel sizes each output by its cells).
BATCHED_STEPS = [
    s
    for s in enumerate_steps(COLOURS, max_calls=1, binary=True)
    if backends.NumpyBackend().batched(s) and s.primitive not in kernels_crops.BOX_KERNELS
]


@pytest.mark.parametrize("step", BATCHED_STEPS, ids=lambda s: str(s.expr))
def test_kernel_output_shape_follows_from_the_input_shape_alone(step):
    # The search skips a step on the last level when a blank grid says its output cannot
    # have the demonstration output's shape: that must hold for every content.
    numpy_backend = backends.NumpyBackend()

    @settings(max_examples=15, deadline=None, database=None)
    @given(st.data())
    def check(data):
        batch = data.draw(batches())
        original = data.draw(originals(batch))
        predicted = backends.kernel_output_shape(step, batch.shape[1:], original)
        for children in numpy_backend.apply(step, (batch,), (original,)):
            assert children.grids[0].shape[1:] == predicted

    check()
