"""Steps with computed arguments, batched by argument values (solvers.computed), against grid by grid."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import batches

from dsl import registry
from dsl.program import INPUT, Call, Literal, parse
from solvers import backends, computed
from solvers.steps import ORIGINAL, Step, enumerate_steps

TABLE = registry.primitives()
COLOURS = (0, 1, 3, 8)
PLANNED = [s for s in enumerate_steps(COLOURS) if computed.plan_for(s, TABLE) is not None]


def step(text: str) -> Step:
    return Step(expr=parse(text).root, calls=2, primitive=None, literals=())


def results(found: list[backends.Children]) -> list[tuple[list[int], list[np.ndarray]]]:
    """Children as plain lists: their rows, and per example their grids (shapes included)."""
    return [(c.rows.tolist(), [np.asarray(g) for g in c.grids]) for c in found]


def assert_same(got: list[backends.Children], want: list[backends.Children]) -> None:
    got_r, want_r = results(got), results(want)
    assert [rows for rows, _ in got_r] == [rows for rows, _ in want_r]
    for (_, a), (_, b) in zip(got_r, want_r, strict=True):
        for x, y in zip(a, b, strict=True):
            assert x.shape == y.shape and np.array_equal(x, y)


@st.composite
def task_batches(draw: st.DrawFn) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """2-3 examples; their stacks share a shape (the joined path) or do not (example by example)."""
    first = draw(batches())
    k, h, w = first.shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    stacks = [first]
    for _ in range(draw(st.integers(1, 2))):
        if draw(st.booleans()):
            stacks.append(rng.permutation(first.reshape(-1)).reshape(k, h, w))
        else:
            other = draw(batches())[:1]
            stacks.append(np.repeat(other, k, axis=0) if k > 1 else other)
    for s in stacks:
        s.setflags(write=False)
    return tuple(stacks), tuple(s[0] for s in stacks)


def test_the_plans_cover_the_computed_kernel_steps_and_bool_cells():
    names = {s.expr.name for s in PLANNED}
    assert {"recolor", "swap_colors", "upscale", "bool_cell", "recolor_object", "erase_object"} <= names
    assert all(s.primitive is None and s.calls > 1 for s in PLANNED)
    # Objects other primitives take, grid-valued inner calls and the task's input: no plan.
    for text in (
        "slide_object(I, largest_object(objects_by_color(I)), 1)",
        "crop_to_object(I, largest_object(objects_by_color(I)))",
        "pick_first(split_rows_equal(I, 2))",
    ):
        assert computed.plan_for(step(text), TABLE) is None
    of_input = Call("recolor", (INPUT, Call("background_color", (ORIGINAL,)), Literal(3)))
    assert computed.plan_for(Step(expr=of_input, calls=2, primitive=None, literals=()), TABLE) is None


@pytest.mark.parametrize("chunk", range(8))
def test_every_planned_step_equals_the_grid_by_grid_reference(chunk):
    steps = PLANNED[chunk::8]

    @settings(max_examples=6, deadline=None, database=None)
    @given(task_batches())
    def check(batch):
        grids, inputs = batch
        fast, naive = backends.NumpyBackend(), backends.NaiveBackend()
        assert all(fast.batched(s) for s in steps)
        want = naive.apply_many(steps, grids, inputs)
        for s, expected in zip(steps, want, strict=True):
            assert_same(fast.apply(s, grids, inputs), expected)

    check()


def test_values_outside_the_kernels_tested_domain_go_through_the_primitive(monkeypatch):
    # upscale's kernel is tested on factors 2-5; a grid of one row asks for 1.
    target = step("upscale(I, grid_height(I))")
    plan = computed.plan_for(target, TABLE)
    assert plan is not None and 1 not in plan.safe[0]
    grids = (np.arange(3, dtype=np.int8).reshape(1, 1, 3), np.ones((1, 2, 2), np.int8))
    called = []
    kernel = plan.kernel

    def spy(batch, *literals):
        called.append(literals)
        return kernel(batch, *literals)

    backend = backends.NumpyBackend()
    backend._plans[target] = computed.Plan(plan.prim, spy, plan.args, plan.safe)
    got = backend.apply(target, grids, tuple(g[0] for g in grids))
    assert called == [(2,)]  # the 2x2 example only; the 1x3 one went through the primitive
    assert_same(got, backends.NaiveBackend().apply(target, grids, tuple(g[0] for g in grids)))
    assert [g.shape for g in got[0].grids] == [(1, 1, 3), (1, 4, 4)]


def test_states_are_grouped_by_argument_value_and_shape_in_row_order():
    # Colour counts 1, 3, 2, 3: three factors, three shapes (1 through the primitive itself).
    stack = np.zeros((4, 2, 2), np.int8)
    stack[1] = [[1, 2], [0, 0]]
    stack[2] = [[1, 0], [0, 0]]
    stack[3] = [[0, 4], [5, 5]]
    stack.setflags(write=False)
    target = step("upscale(I, count_colors(I))")
    got = backends.NumpyBackend().apply(target, (stack,), (stack[0],))
    assert [c.rows.tolist() for c in got] == [[0], [1, 3], [2]]
    assert [c.grids[0].shape for c in got] == [(1, 2, 2), (2, 6, 6), (1, 4, 4)]
    assert_same(got, backends.NaiveBackend().apply(target, (stack,), (stack[0],)))


def test_a_grid_free_step_is_called_once_per_value_and_broadcast():
    stack = np.stack([np.eye(3, dtype=np.int8), np.triu(np.ones((3, 3), np.int8)), np.eye(3, dtype=np.int8)])
    stack.setflags(write=False)
    target = step("bool_cell(is_symmetric_diag(I), 3, 1)")
    (children,) = backends.NumpyBackend().apply(target, (stack,), (stack[0],))
    assert children.rows.tolist() == [0, 1, 2]
    assert children.grids[0][:, 0, 0].tolist() == [3, 1, 3]


def test_argument_values_are_computed_once_per_grid_and_stack():
    calls = []
    real = TABLE["objects_by_color"]
    table = dict(TABLE)
    table["objects_by_color"] = dataclasses.replace(real, fn=lambda grid: calls.append(1) or real.fn(grid))
    values = computed.ArgumentValues(table)
    stack = np.zeros((3, 2, 2), np.int8)
    stack[1, 0, 0] = 4
    expr = parse("count_objects(objects_by_color(I))").root  # no scalar kernel: grid by grid
    first = values.of(stack, expr)
    again = values.of(stack, expr)
    none = computed.NO_VALUE  # a grid with no objects has no object list
    assert first is again and len(calls) == 3 and first.tolist() == [none, 1, none]
    values.of(stack.copy(), expr)  # another stack, equal cells: known by identity, so computed again
    assert len(calls) == 6


def test_argument_values_use_the_scalar_kernels(monkeypatch):
    table = dict(TABLE)
    table["background_color"] = dataclasses.replace(TABLE["background_color"], fn=None)  # must not be called
    stack = np.array([[[1, 1], [0, 2]], [[0, 0], [0, 3]]], dtype=np.int8)
    got = computed.ArgumentValues(table).of(stack, parse("background_color(I)").root)
    assert got.tolist() == [1, 0]
    missing = computed.ArgumentValues(TABLE).of(
        np.zeros((1, 2, 2), np.int8), parse("most_common_nonzero_color(I)").root
    )
    assert missing.tolist() == [computed.NO_VALUE]


def test_object_steps_write_through_the_picked_object_only():
    stack = np.zeros((3, 4, 4), np.int8)
    stack[0, :2, :2] = 5  # largest: the 2x2 block, not the lone cell
    stack[0, 3, 3] = 5
    stack[1, 1:4, 1] = 2  # largest: the bar
    stack[2, 0, 0] = stack[2, 3, 3] = 4  # two of one size: no largest object, no result
    stack.setflags(write=False)
    target = step("recolor_object(I, largest_object(objects_by_color(I)), 7)")
    got = backends.NumpyBackend().apply(target, (stack,), (stack[0],))
    assert_same(got, backends.NaiveBackend().apply(target, (stack,), (stack[0],)))
    assert [c.rows.tolist() for c in got] == [[0, 1]]
    first, second = got[0].grids[0]
    assert first[:2, :2].tolist() == [[7, 7], [7, 7]] and first[3, 3] == 5
    assert second[1:4, 1].tolist() == [7, 7, 7] and np.count_nonzero(second) == 3


def test_a_failing_argument_drops_the_state_only():
    stack = np.zeros((2, 3, 3), np.int8)
    stack[1, 1, 1] = 4
    stack.setflags(write=False)
    # No non-zero colour in state 0: the argument has no value there.
    target = step("recolor(I, most_common_nonzero_color(I), 2)")
    got = backends.NumpyBackend().apply(target, (stack,), (stack[0],))
    assert_same(got, backends.NaiveBackend().apply(target, (stack,), (stack[0],)))
    assert [c.rows.tolist() for c in got] == [[1]]
