"""Batched labelling (solvers.kernels_objects) against dsl.components, grid by grid.

The object kernels themselves are checked against their primitives by the differential
test in test_kernels.py; here the stack-wide components and holes they rest on are checked
against the per-grid ones, on stacks built to stress the labelling.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import components as cc
from solvers import kernels_objects as ko

CONNS = (cc.SINGLE_4, cc.SINGLE_8, cc.MULTI_4, cc.MULTI_8)


# --- stacks ------------------------------------------------------------------------------


def _random(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Cells of a few colours on a background of random weight."""
    colours = rng.choice(np.arange(1, 10), size=int(rng.integers(1, 4)), replace=False)
    grid = rng.choice(colours, size=(h, w)).astype(np.int8)
    grid[rng.random((h, w)) < rng.random()] = 0
    return grid


def _speckle(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Many small objects: a sparse scatter of single cells and dominoes."""
    grid = np.where(rng.random((h, w)) < 0.15, rng.integers(1, 10, size=(h, w)), 0).astype(np.int8)
    if w > 1:
        grid[:, 1:] = np.where(rng.random((h, w - 1)) < 0.3, grid[:, :-1], grid[:, 1:])
    return grid


def _snake_rows(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """One long object winding back and forth along the rows."""
    grid = np.zeros((h, w), dtype=np.int8)
    grid[::2] = rng.integers(1, 10)
    grid[1::4, -1] = grid[0, 0]
    grid[3::4, 0] = grid[0, 0]
    if w > 2 and rng.random() < 0.5:  # corner-only bends: only the 8-connected modes join the rows
        grid[::2, 0] = grid[::2, -1] = 0
    return grid[:, ::-1] if rng.random() < 0.5 else grid


def _snake(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """One long object winding along rows or columns (many turns: the slow case for labelling)."""
    if rng.random() < 0.5:  # along columns, every row run is a cell or two
        return np.ascontiguousarray(_snake_rows(rng, w, h).T)
    return _snake_rows(rng, h, w)


def _blank(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Background only."""
    return np.zeros((h, w), dtype=np.int8)


FORMS = (_random, _speckle, _snake, _blank)


@st.composite
def stacks(draw: st.DrawFn) -> np.ndarray:
    """A (K, H, W) stack of mixed forms, sides 1-30 (1 and 30 often)."""
    side = st.one_of(st.just(1), st.just(30), st.integers(1, 12), st.integers(1, 30))
    h, w, k = draw(side), draw(side), draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    batch = np.stack([FORMS[int(rng.integers(len(FORMS)))](rng, h, w) for _ in range(k)])
    batch.setflags(write=False)
    return batch


# --- components ----------------------------------------------------------------------------


def assert_same_components(batch: np.ndarray, comps: ko.Comps, mode: int) -> None:
    """Grid by grid: the same ids (so the same partition, in the same order) and sizes."""
    offset = 0
    for k, grid in enumerate(batch):
        ref = cc.components(grid, mode)
        n = len(ref.sizes)
        mine = comps.ids[k]
        assert np.array_equal(np.where(mine >= 0, mine - offset, -1), ref.ids), f"grid {k}\n{grid}"
        assert np.array_equal(comps.sizes[offset : offset + n], ref.sizes), f"grid {k}"
        assert np.array_equal(comps.grid[offset : offset + n], np.full(n, k)), f"grid {k}"
        values, firsts = np.unique(ref.ids, return_index=True)  # the first cell of every id
        assert np.array_equal(comps.firsts[offset : offset + n] % grid.size, firsts[values >= 0])
        offset += n
    assert offset == len(comps.sizes)


@pytest.mark.parametrize("conn", CONNS)
@settings(max_examples=60, deadline=None, database=None)
@given(batch=stacks())
def test_stack_components_match_dsl_components(batch, conn):
    assert_same_components(batch, ko.stack_components(batch, conn), conn)


@pytest.mark.parametrize(("mode", "diag"), [(cc.WITH_BACKGROUND_4, False), (cc.WITH_BACKGROUND_8, True)])
@settings(max_examples=30, deadline=None, database=None)
@given(batch=stacks())
def test_every_cell_included_matches_the_with_background_modes(batch, mode, diag):
    first = ko.label_stack(batch, np.ones(batch.shape, dtype=bool), same_color=True, diag=diag)
    assert_same_components(batch, ko._numbered(first), mode)


@settings(max_examples=40, deadline=None, database=None)
@given(batch=stacks())
def test_labelling_never_writes_to_the_stack(batch):
    before = batch.copy()
    for conn in CONNS:
        ko.stack_components(batch, conn)
    ko.stack_holes(batch)
    assert np.array_equal(batch, before)


@pytest.mark.parametrize("conn", CONNS)
def test_components_never_reach_across_grids(conn):
    # one full grid above another: labelled as a stack, still one object each
    batch = np.ones((3, 4, 5), dtype=np.int8)
    comps = ko.stack_components(batch, conn)
    assert comps.sizes.tolist() == [20, 20, 20] and comps.grid.tolist() == [0, 1, 2]


def test_corner_links_do_not_wrap_around_rows():
    # (0, 2) and (1, 0) are neighbours in flat order but not on the grid
    batch = np.array([[[0, 0, 1], [1, 0, 0]]], dtype=np.int8)
    assert ko.stack_components(batch, cc.MULTI_8).sizes.tolist() == [1, 1]


def test_a_long_snake_is_one_object():
    rng = np.random.default_rng(0)
    batch = np.stack([_snake(rng, 30, 30) for _ in range(4)])
    for conn in (cc.SINGLE_8, cc.MULTI_8):
        comps = ko.stack_components(batch, conn)
        assert comps.grid.tolist() == [0, 1, 2, 3], conn
        assert_same_components(batch, comps, conn)


def test_a_blank_stack_has_no_objects():
    batch = np.zeros((2, 1, 1), dtype=np.int8)
    comps = ko.stack_components(batch, cc.MULTI_8)
    assert len(comps.sizes) == 0 and (comps.ids == -1).all()


def test_a_read_only_stack_is_labelled_once_per_mode():
    batch = np.array([[[1, 0, 2], [1, 0, 0]]], dtype=np.int8)
    batch.setflags(write=False)
    comps = ko.stack_components(batch, cc.SINGLE_4)
    assert ko.stack_components(batch, cc.SINGLE_4) is comps
    assert ko.stack_components(batch, cc.MULTI_8) is not comps
    assert not comps.ids.flags.writeable  # shared between steps
    assert ko.stack_components(batch.copy(), cc.SINGLE_4) is not comps


def test_a_writable_stack_is_labelled_afresh():
    batch = np.array([[[1, 0, 2], [1, 0, 0]]], dtype=np.int8)
    assert ko.stack_components(batch, cc.SINGLE_4).sizes.tolist() == [2, 1]
    batch[0, 0, 1] = 1
    assert ko.stack_components(batch, cc.SINGLE_4).sizes.tolist() == [3, 1]


# --- holes ---------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None, database=None)
@given(batch=stacks())
def test_stack_holes_match_dsl_holes(batch):
    found = ko.stack_holes(batch)
    offset = 0
    for k, grid in enumerate(batch):
        ref = cc.holes(grid)
        owner = found.owner[k]
        assert np.array_equal(np.where(owner >= 0, owner - offset, -1), ref.owner), f"grid {k}\n{grid}"
        assert np.array_equal(found.empty[k], ref.empty), f"grid {k}\n{grid}"
        offset += len(cc.components(grid, cc.MULTI_8).sizes)
