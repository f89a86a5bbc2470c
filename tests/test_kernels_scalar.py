"""Batched colour, count and flag primitives (solvers.kernels_scalar) against the primitives, grid by grid."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import batches

from dsl import registry
from dsl.types import LITERAL_TYPES, T
from solvers.kernels_scalar import SCALAR_KERNELS

NAMES = sorted(SCALAR_KERNELS)


@st.composite
def stacks(draw: st.DrawFn) -> np.ndarray:
    """The kernel tests' stacks, and sometimes grids tiled from a block (periodic rows or columns)."""
    batch = draw(batches())
    if draw(st.integers(0, 3)):
        return batch
    k, h, w = batch.shape
    ph, pw = draw(st.integers(1, h)), draw(st.integers(1, w))
    reps = (1, -(-h // ph), -(-w // pw))
    return np.ascontiguousarray(np.tile(batch[:, :ph, :pw], reps)[:, :h, :w])


def test_each_is_a_scalar_primitive_of_one_grid():
    for name in NAMES:
        prim = registry.get(name)
        assert prim.args[0] is T.GRID and prim.ret in LITERAL_TYPES, name
        assert all(kind in LITERAL_TYPES for kind in prim.args[1:]), name


@pytest.mark.parametrize("name", NAMES)
def test_equals_the_primitive_on_every_grid(name):
    prim = registry.get(name)
    literal_sets = [()] if len(prim.args) == 1 else [(c,) for c in range(10)]

    @settings(max_examples=60, deadline=None, database=None)
    @given(stacks())
    def check(batch):
        before = batch.copy()
        for literals in literal_sets:
            values, valid = SCALAR_KERNELS[name](batch, *literals)
            assert values.shape == (len(batch),) and values.dtype == np.int64
            for k, grid in enumerate(batch):
                want = prim.fn(grid, *literals)
                if want is None:
                    assert valid is not None and not valid[k], (
                        f"grid {k}: a value where the primitive has none"
                    )
                else:
                    assert valid is None or valid[k], f"grid {k}: no value"
                    assert values[k] == int(want), f"grid {k}: {values[k]} != {want}"
        assert np.array_equal(batch, before)

    check()


def test_ties_pick_the_smaller_colour_and_all_zero_grids_have_no_nonzero_colour():
    batch = np.array([[[1, 2], [2, 1]], [[0, 0], [0, 0]], [[3, 0], [0, 0]]], dtype=np.int8)
    assert SCALAR_KERNELS["background_color"](batch)[0].tolist() == [1, 0, 0]
    values, valid = SCALAR_KERNELS["most_common_nonzero_color"](batch)
    assert valid.tolist() == [True, False, True] and values[[0, 2]].tolist() == [1, 3]
    assert SCALAR_KERNELS["least_common_color"](batch)[0].tolist() == [1, 0, 3]
