"""Batched crops (solvers.kernels_crops): differential tests against the DSL primitives, grid by grid."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import batches, literal_combos
from test_kernels_objects import stacks

from dsl import registry
from solvers import backends, kernels, kernels_crops
from solvers.steps import enumerate_steps, evaluate

NAMES = sorted(kernels_crops.BOX_KERNELS)


def assert_agrees(name: str, batch: np.ndarray, literals: tuple) -> None:
    """Cut to its boxes, the batch equals the primitive on every grid, NO_RESULT included."""
    prim = registry.get(name)
    reference = batch.copy()
    reference.setflags(write=False)
    expected = [prim.fn(grid, *literals) for grid in reference]
    cut = kernels_crops.run(name, batch, literals)
    where = f"{name}{literals} on shape {batch.shape}"
    assert np.array_equal(batch, reference), f"{where}: the batch was mutated"
    assert cut.shape_of.shape == cut.position.shape == (len(batch),), where
    for k, want in enumerate(expected):
        index = int(cut.shape_of[k])
        assert (index >= 0) == (want is not None), f"{where}, grid {k}: kernel {index}, primitive {want}"
        if want is not None:
            got = cut.stacks[index][cut.position[k]]
            assert got.dtype == np.int8 and got.shape == want.shape, f"{where}, grid {k}: {got.shape}"
            assert np.array_equal(got, want), f"{where}, grid {k}:\n{got}\n!=\n{want}"


@pytest.mark.parametrize("name", NAMES)
def test_box_kernel_matches_primitive(name):
    combos = literal_combos(registry.get(name))

    # Mixed random grids, and stacks built to stress the labelling (many small objects, snakes).
    @settings(max_examples=60, deadline=None, database=None)
    @given(st.one_of(batches(), stacks()))
    def check(batch):
        for literals in combos:
            assert_agrees(name, batch, literals)

    check()


def test_every_box_kernel_is_a_crop_without_a_one_shape_kernel():
    for name in NAMES:
        assert name in kernels.NO_KERNEL and name not in kernels.KERNELS, name
        assert registry.get(name).fn.__doc__, name
    with pytest.raises(ValueError, match="twice"):
        kernels_crops.box_kernel("crop_to_content")(kernels_crops.crop_to_content)


def G(rows: list[str]) -> np.ndarray:
    return np.array([[int(c) for c in row] for row in rows], dtype=np.int8)


# An L, the same L in another colour, and the L mirrored: three objects of equal box and size.
L_SHAPES = G(["100200030", "110220330", "000000000", "400000000"])


def test_the_one_object_of_its_shape_is_told_apart_cell_by_cell():
    # the second grid has no mirrored L: the single cell alone has a shape of its own
    batch = np.stack([L_SHAPES, np.where(L_SHAPES == 3, 0, L_SHAPES).astype(np.int8)])
    for conn in (0, 2):
        assert_agrees("crop_to_unique_shape_object", batch, (conn,))
    cut = kernels_crops.run("crop_to_unique_shape_object", batch, (2,))
    assert cut.shape_of[0] == -1  # the mirrored L and the single cell are both unique: no one object
    assert cut.stacks[cut.shape_of[1]][cut.position[1]].tolist() == [[4]]


def test_a_cut_groups_grids_by_shape_in_order_of_their_first_grid():
    batch = np.zeros((4, 5, 5), dtype=np.int8)
    batch[0, 1:3, 1:4] = 1  # 2x3
    batch[1, 0, 0] = 1  # 1x1
    batch[3, 2:4, 0:3] = 2  # 2x3 again; grid 2 is blank: no result
    cut = kernels_crops.run("crop_to_content", batch, ())
    assert cut.shape_of.tolist() == [0, 1, -1, 0]
    assert [s.shape for s in cut.stacks] == [(2, 2, 3), (1, 1, 1)]
    assert cut.position[[0, 1, 3]].tolist() == [0, 0, 1]
    assert cut.stacks[0][1].tolist() == [[2, 2, 2], [2, 2, 2]]
    assert not any(s.flags.writeable for s in cut.stacks)


CROP_STEPS = [s for s in enumerate_steps((0, 1, 3), max_calls=1) if s.primitive in kernels_crops.BOX_KERNELS]


@st.composite
def example_batches(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Two or three examples of K states each: sometimes one shape (joined), sometimes not."""
    first = draw(st.one_of(batches(), stacks()))
    k = len(first)
    more = [draw(st.one_of(batches(), stacks())) for _ in range(draw(st.integers(1, 2)))]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # the same number of states per example; a permutation keeps the first shape (joined)
    return (first, *(rng.permutation(first) if rng.random() < 0.5 else _resized(m, k) for m in more))


def _resized(batch: np.ndarray, k: int) -> np.ndarray:
    return np.resize(batch, (k, *batch.shape[1:]))


def test_the_numpy_backend_runs_crops_batched_and_gives_what_each_grid_gives():
    backend, table = backends.NumpyBackend(), registry.primitives()
    assert CROP_STEPS and all(backend.batched(s) for s in CROP_STEPS)
    # No output shape follows from the input shape: the last level never skips a crop for its shape.
    blank = np.zeros((3, 3), dtype=np.int8)
    assert all(backends.kernel_output_shape(s, (3, 3), blank) is None for s in CROP_STEPS)

    @settings(max_examples=40, deadline=None, database=None)
    @given(example_batches())
    def check(grids):
        inputs = tuple(g[0] for g in grids)
        for step in CROP_STEPS:
            found = backend.apply(step, grids, inputs)
            got = {
                int(k): [c.grids[e][i] for e in range(len(grids))]
                for c in found
                for i, k in enumerate(c.rows)
            }
            for c in found:  # one stack per example: every state of a child has that example's shape
                assert all(len(g) == len(c.rows) for g in c.grids)
            for k in range(len(grids[0])):
                want = [evaluate(step.expr, g[k], table, None, i) for g, i in zip(grids, inputs, strict=True)]
                if any(w is None for w in want):
                    assert k not in got, f"{step.text}, state {k}: a result where an example has none"
                    continue
                assert all(np.array_equal(a, b) for a, b in zip(got[k], want, strict=True)), (
                    f"{step.text}, {k}"
                )

    check()
