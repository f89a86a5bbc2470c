"""Batched kernels (solvers.kernels): differential tests against the DSL primitives, grid by grid."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import registry
from dsl.types import LITERAL_TYPES, T
from solvers import kernels

COLOURS = tuple(range(10))
NAMES = sorted(kernels.KERNELS)


def search_facing(prim: registry.Primitive) -> bool:
    """Grid and literals in, grid out: written out here rather than trusting the module's own check."""
    return (
        prim.ret is T.GRID
        and len(prim.args) >= 1
        and prim.args[0] is T.GRID
        and all(a in LITERAL_TYPES for a in prim.args[1:])
    )


def literal_combos(prim: registry.Primitive) -> list[tuple]:
    """Every binding of the primitive's literal arguments the search may try, colours 0-9."""
    domains = [registry.literal_domain(prim, i, COLOURS) for i in range(1, len(prim.args))]
    return list(itertools.product(*domains))


# --- biased random grids ----------------------------------------------------------------


def _cells(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Cells from a small palette, 0 usually in it and often dominant."""
    n = int(rng.choice([1, 2, 2, 3, 3, 4, 10]))
    palette = rng.choice(10, size=n, replace=False)
    if 0 not in palette and rng.random() < 0.7:
        palette[0] = 0
    weights = rng.dirichlet(np.ones(n))
    if rng.random() < 0.4:  # sparse: a few pixels on background, where rays and fills matter
        weights = np.where(palette == 0, 6.0, 1.0) * weights
        weights /= weights.sum()
    return rng.choice(palette, size=(h, w), p=weights).astype(np.int8)


def _structure(rng: np.random.Generator, grid: np.ndarray) -> np.ndarray:
    """Sometimes add structure that random cells rarely have: symmetry, separators, frames."""
    h, w = grid.shape
    form = int(rng.integers(7))
    if form == 1:  # left-right mirror
        grid[:, w - w // 2 :] = grid[:, : w // 2][:, ::-1]
    elif form == 2:  # top-bottom mirror
        grid[h - h // 2 :] = grid[: h // 2][::-1]
    elif form == 3 and h == w:  # symmetric about the diagonal
        grid = np.triu(grid) + np.triu(grid, 1).T
    elif form == 4:  # one-colour middle lines, the separators of odd halves
        grid[h // 2] = grid[h // 2, 0]
        grid[:, w // 2] = grid[0, w // 2]
    elif form == 5 and h > 2 and w > 2:  # a frame enclosing background
        r0, c0 = rng.integers(0, h - 2), rng.integers(0, w - 2)
        r1, c1 = rng.integers(r0 + 2, h), rng.integers(c0 + 2, w)
        grid[r0 : r1 + 1, c0 : c1 + 1] = rng.integers(1, 10)
        grid[r0 + 1 : r1, c0 + 1 : c1] = 0
    return grid


@st.composite
def batches(draw: st.DrawFn) -> np.ndarray:
    """A (K, H, W) stack of valid grids, K 1-4, sides mostly 1-12 and sometimes up to 30."""
    side = st.one_of(st.integers(1, 6), st.integers(1, 12), st.integers(1, 12), st.integers(13, 30))
    h = draw(side)
    w = h if draw(st.sampled_from(["square", "other", "other"])) == "square" else draw(side)
    k = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    grids = [_structure(rng, _cells(rng, h, w)) for _ in range(k)]
    if k > 1 and rng.random() < 0.2:  # repeated states happen in the search
        grids[-1] = grids[0].copy()
    batch = np.stack(grids)
    if draw(st.booleans()):
        batch.setflags(write=False)
    return batch


# --- the differential test --------------------------------------------------------------


def assert_agrees(name: str, batch: np.ndarray, literals: tuple) -> None:
    """The kernel equals the primitive on every grid of the batch, NO_RESULT included."""
    prim = registry.get(name)
    reference = batch.copy()
    reference.setflags(write=False)
    expected = [prim.fn(grid, *literals) for grid in reference]
    out, valid = kernels.KERNELS[name](batch, *literals)
    where = f"{name}{literals} on shape {batch.shape}"
    assert np.array_equal(batch, reference), f"{where}: the batch was mutated"
    assert isinstance(out, np.ndarray) and out.dtype == np.int8, where
    assert out.ndim == 3 and out.shape[0] == len(batch), where
    if valid is not None:
        assert valid.dtype == bool and valid.shape == (len(batch),), where
    for k, want in enumerate(expected):
        ok = valid is None or bool(valid[k])
        assert ok == (want is not None), f"{where}, grid {k}: kernel valid={ok}, primitive {want}"
        if want is not None:
            assert out[k].shape == want.shape, f"{where}, grid {k}: shape {out[k].shape} != {want.shape}"
            assert np.array_equal(out[k], want), f"{where}, grid {k}:\n{out[k]}\n!=\n{want}"


@pytest.mark.parametrize("name", NAMES)
def test_kernel_matches_primitive(name):
    combos = literal_combos(registry.get(name))
    # Every literal binding runs on each example: fewer examples where there are many bindings.
    examples = max(10, min(100, 1500 // len(combos)))

    @settings(max_examples=examples, deadline=None, database=None)
    @given(batches())
    def check(batch):
        for literals in combos:
            assert_agrees(name, batch, literals)

    check()


@pytest.mark.parametrize(
    ("name", "shape", "literals"),
    [
        ("upscale", (7, 7), (5,)),
        ("tile", (16, 3), (2, 1)),
        ("tile_by_own_mask", (6, 2), ()),
        ("downscale", (4, 4), (3,)),
        ("trim_border", (2, 5), ()),
        ("reflect_left_half", (4, 1), ()),
        ("rotate_tile_2x2", (2, 3), ()),
        ("mirror_concat_down", (16, 2), ()),
        ("rows_third", (4, 4), (0,)),
        ("halves_or", (1, 1), (1, 3)),
    ],
)
def test_no_result_for_the_whole_shape(name, shape, literals):
    batch = np.ones((3, *shape), dtype=np.int8)
    out, valid = kernels.KERNELS[name](batch, *literals)
    assert out.shape == (3, 1, 1) and out.dtype == np.int8 and not out.any()
    assert valid is not None and valid.shape == (3,) and not valid.any()
    assert all(registry.get(name).fn(g, *literals) is None for g in batch)


# --- the table ----------------------------------------------------------------------------


def test_every_kernel_is_a_registered_search_facing_primitive():
    table = registry.primitives()
    for name in kernels.KERNELS:
        assert name in table, name
        assert search_facing(table[name]), table[name].signature
    kernels.check_kernels()


def test_every_no_kernel_reason_names_a_search_facing_primitive_without_a_kernel():
    table = registry.primitives()
    for name in kernels.NO_KERNEL:
        assert name in table and search_facing(table[name]), name
        assert name not in kernels.KERNELS, name


def test_a_second_kernel_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="twice"):
        kernels.kernel("rot90")(kernels.KERNELS["rot90"])


@pytest.mark.parametrize("name", ["rot91", "count_colors", "concat_horizontal"])
def test_check_kernels_refuses_unknown_or_non_search_facing_names(monkeypatch, name):
    monkeypatch.setitem(kernels.KERNELS, name, kernels.KERNELS["rot90"])
    with pytest.raises(ValueError, match=name):
        kernels.check_kernels()


def test_check_kernels_refuses_a_kernel_with_the_wrong_arity(monkeypatch):
    monkeypatch.setitem(kernels.KERNELS, "rot90", kernels.KERNELS["upscale"])
    with pytest.raises(ValueError, match="number of arguments"):
        kernels.check_kernels()
