"""The interpreter: type checking, running programs, failures as values, whole tasks."""

from __future__ import annotations

import numpy as np
import pytest
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import GridError, Pair, Task, as_grid
from dsl import generator, registry
from dsl.grid import make
from dsl.interpreter import Result, conforms, literal_problem, run, run_checked, run_on_task, type_check
from dsl.program import INPUT, Call, Literal, Program, ProgramTypeError, parse
from dsl.registry import Primitive
from dsl.types import T

G, GS, C, N, B = T.GRID, T.GRIDS, T.COLOR, T.INT, T.BOOL


def _toy(name, fn, args, ret, domains=None) -> Primitive:
    return Primitive(name, fn, tuple(args), ret, f"Toy {name}.", "toy", domains or (None,) * len(args))


def _boom(grid):
    raise ZeroDivisionError("boom on purpose")


def _scribble(grid):
    grid[0, 0] = 9  # read-only input: raises, which the interpreter must catch
    return grid


TOY = {
    p.name: p
    for p in [
        _toy("flip", lambda g: make(g[::-1]), [G], G),
        _toy("paint", lambda g, c: make(np.full_like(g, c)), [G, C], G),
        _toy("top_rows", lambda g, k: make(g[:k]), [G, N], G, (None, (1, 2, 3))),
        _toy("shift", lambda g, k: make(np.roll(g, k, axis=1)), [G, N], G),
        _toy("corner", lambda g: int(g[0, 0]), [G], C),
        _toy("transpose_if", lambda g, b: make(g.T if b else g), [G, B], G),
        _toy("halves", lambda g: (make(g[: len(g) // 2]), make(g[len(g) // 2 :])), [G], GS),
        _toy("first", lambda gs: gs[0] if gs else None, [GS], G),
        _toy("boom", _boom, [G], G),
        _toy("nothing", lambda g: None, [G], G),
        _toy("as_list", lambda g: g.tolist(), [G], G),
        _toy("scribble", _scribble, [G], G),
        _toy("height", lambda g: g.shape[0], [G], N),
        _toy("is_square", lambda g: g.shape[0] == g.shape[1], [G], B),
    ]
}

GRID = as_grid([[1, 2, 3], [4, 5, 6]])


def _p(text: str) -> Program:
    return parse(text, TOY)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I", G),
        ("flip(I)", G),
        ("corner(flip(I))", C),
        ("paint(I, corner(I))", G),
        ("halves(I)", GS),
        ("first(halves(I))", G),
        ("transpose_if(I, is_square(I))", G),
        ("top_rows(I, 2)", G),
        ("shift(I, -30)", G),
    ],
)
def test_type_check_gives_the_program_type(text, kind):
    assert type_check(_p(text), TOY) is kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("flip(I, I)", r"flip takes 1 argument\(s\) \(flip\(Grid\) -> Grid\), got 2 in flip\(I, I\)"),
        ("paint(I)", "paint takes 2 argument"),
        ("first(flip(I))", r"argument 1 of first .* expects Grids, got Grid from flip\(I\)"),
        ("flip(corner(I))", "argument 1 of flip .* expects Grid, got Color from corner"),
        ("flip(3)", "a literal cannot be a Grid"),
        ("paint(I, 12)", "colour 12 is out of range 0-9"),
        ("paint(I, -1)", "colour -1 is out of range"),
        ("paint(I, true)", "true is a Bool, not a Color"),
        ("transpose_if(I, 1)", r"1 is not a Bool \(true or false\)"),
        ("top_rows(I, 4)", r"4 is not one of \(1, 2, 3\)"),
        ("shift(I, 31)", r"31 is out of range -30..30"),
        ("top_rows(I, height(I), 1)", "top_rows takes 2"),
        ("paint(I, height(I))", "expects Color, got Int"),
    ],
)
def test_type_errors_name_the_call_and_the_problem(text, message):
    with pytest.raises(ProgramTypeError, match=message):
        type_check(_p(text), TOY)


def test_type_check_rejects_a_bare_literal_and_unknown_names():
    with pytest.raises(ProgramTypeError, match="no type outside an argument slot"):
        type_check(Program(Literal(3)), TOY)
    with pytest.raises(ProgramTypeError, match="did you mean flip"):
        type_check(Program(Call("flp", (INPUT,))), TOY)


def test_literal_problem_accepts_exactly_the_valid_literals():
    assert literal_problem(0, C, None) is None and literal_problem(9, C, None) is None
    assert literal_problem(10, C, None) is not None
    assert literal_problem(False, B, None) is None
    assert literal_problem(2, N, (2, 3)) is None and literal_problem(4, N, (2, 3)) is not None
    assert literal_problem(1, G, None) is not None


def test_run_gives_the_value():
    result = run(_p("first(halves(flip(I)))"), GRID, TOY)
    assert result.ok and result.error is None
    assert result.value.tolist() == [[4, 5, 6]]
    assert run(_p("paint(I, corner(flip(I)))"), GRID, TOY).value.tolist() == [[4, 4, 4], [4, 4, 4]]
    assert run(_p("I"), GRID, TOY).value is GRID


def test_run_a_non_grid_program_gives_its_typed_value():
    assert run(_p("corner(I)"), GRID, TOY).value == 1
    assert run(_p("is_square(I)"), GRID, TOY).value is False


def test_no_result_names_the_call():
    result = run(_p("flip(nothing(flip(I)))"), GRID, TOY)
    assert not result.ok and result.value is None
    assert result.error == "nothing(flip(I)) gave no result"


def test_a_primitive_that_raises_is_recorded_with_type_and_message():
    result = run(_p("flip(boom(I))"), GRID, TOY)
    assert result.error == "boom(I) raised ZeroDivisionError: boom on purpose"


def test_a_primitive_that_writes_to_its_input_fails_and_leaves_it_intact():
    before = GRID.copy()
    result = run(_p("scribble(I)"), GRID, TOY)
    assert result.error.startswith("scribble(I) raised ValueError")
    assert np.array_equal(GRID, before)


def test_a_value_that_is_not_a_valid_grid_is_an_error():
    assert run(_p("as_list(I)"), GRID, TOY).error == "as_list(I) returned list, not a valid Grid"


def test_ill_typed_programs_are_error_results_not_exceptions():
    result = run(_p("flip(corner(I))"), GRID, TOY)
    assert result.error.startswith("type error: argument 1 of flip")


def test_long_calls_are_shortened_in_messages():
    text = "flip(" * 30 + "nothing(I)" + ")" * 30
    error = run(_p(text), GRID, TOY).error
    assert error == "nothing(I) gave no result"
    error = run(_p("nothing(" + "flip(" * 30 + "I" + ")" * 31), GRID, TOY).error
    assert error.endswith("... gave no result") and len(error) < 120


def test_run_validates_the_input_grid_at_the_boundary():
    assert run(_p("flip(I)"), [[1, 2], [3, 4]], TOY).value.tolist() == [[3, 4], [1, 2]]
    writable = np.array([[1, 2]], dtype=np.int8)
    assert run(_p("I"), writable, TOY).value is not writable  # a read-only copy
    with pytest.raises(GridError):
        run(_p("flip(I)"), [[1, 2], [3]], TOY)
    with pytest.raises(GridError):
        run(_p("flip(I)"), [[10]], TOY)


def test_result_is_frozen():
    with pytest.raises(AttributeError):
        Result(value=1).value = 2


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (GRID, G, True),
        (np.zeros((2, 2), dtype=np.int64), G, False),
        (np.zeros((0, 3), dtype=np.int8), G, False),
        ([[1]], G, False),
        ((GRID, GRID), GS, True),
        ((), GS, True),
        ([GRID], GS, False),
        (3, C, True),
        (np.int8(3), C, True),
        (10, C, False),
        (True, C, False),
        (-4, N, True),
        (True, N, False),
        (2.0, N, False),
        (False, B, True),
        (np.bool_(True), B, True),
        (0, B, False),
        (None, G, False),
    ],
)
def test_conforms(value, kind, expected):
    assert conforms(value, kind) is expected


def _task(pairs, tests, hide=False):
    train = tuple(Pair(as_grid(i), as_grid(o)) for i, o in pairs)
    test = tuple(Pair(as_grid(i), None if hide else as_grid(o)) for i, o in tests)
    return Task("toy", train, test, "training")


FLIP_TASK = _task(
    [([[1], [2]], [[2], [1]]), ([[3, 4], [5, 6]], [[5, 6], [3, 4]])],
    [([[7], [8], [9]], [[9], [8], [7]])],
)


def test_run_on_task_solved():
    outcome = run_on_task(_p("flip(I)"), FLIP_TASK, TOY)
    assert outcome.train_match == (True, True) and outcome.test_match == (True,)
    assert outcome.train_ok and outcome.test_ok is True and outcome.errors == ()
    assert outcome.train[1].value.tolist() == [[5, 6], [3, 4]]


def test_run_on_task_shape_counts():
    # Same cells, wrong shape: a transposed 1-row answer must not match a 1-column output.
    task = _task([([[1, 2]], [[1], [2]])], [([[3, 4]], [[3, 4]])])
    outcome = run_on_task(_p("I"), task, TOY)
    assert outcome.train_match == (False,) and outcome.test_match == (True,)
    assert not outcome.train_ok


def test_run_on_task_hidden_test_outputs():
    task = _task([([[1], [2]], [[2], [1]])], [([[7], [8]], None)], hide=True)
    outcome = run_on_task(_p("flip(I)"), task, TOY)
    assert outcome.train_ok and outcome.test_match is None and outcome.test_ok is None
    assert outcome.test[0].value.tolist() == [[8], [7]]


def test_run_on_task_keeps_each_pair_result():
    # A one-row input has no top half: that pair fails, the two-row one runs and mismatches.
    task = _task([([[1, 2]], [[1, 2]]), ([[1], [2]], [[1]])], [([[3], [4]], [[4]])])
    outcome = run_on_task(_p("first(halves(I))"), task, TOY)
    assert outcome.train_match == (False, True) and outcome.test_match == (False,)
    assert outcome.train[0].error == "halves(I) returned tuple, not a valid Grids"
    assert outcome.train[1].value.tolist() == [[1]]
    assert outcome.test[0].value.tolist() == [[3]]
    assert outcome.errors == ("halves(I) returned tuple, not a valid Grids",)


def test_run_on_task_with_an_ill_typed_or_non_grid_program():
    outcome = run_on_task(_p("flip(corner(I))"), FLIP_TASK, TOY)
    assert not outcome.train_ok and outcome.test_ok is False
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("type error")
    outcome = run_on_task(_p("corner(I)"), FLIP_TASK, TOY)
    assert outcome.errors == ("type error: the program returns Color, not Grid",)


def test_run_on_task_error_reasons_are_listed_once():
    outcome = run_on_task(_p("nothing(I)"), FLIP_TASK, TOY)
    assert outcome.errors == ("nothing(I) gave no result",)
    assert all(not r.ok for r in outcome.train + outcome.test)


@settings(max_examples=60, deadline=None)
@given(grid=grids(max_side=6), seed=st.integers(0, 2**32 - 1))
def test_toy_programs_never_raise_and_never_mutate(grid, seed):
    program = generator.random_program(np.random.default_rng(seed), 3, table=TOY)
    before = grid.copy()
    result = run(program, grid, TOY)
    assert result.ok != (result.error is not None)
    if result.ok:
        assert conforms(result.value, G)
    assert np.array_equal(grid, before)


@settings(max_examples=60, deadline=None)
@given(grid=small_grids(), seed=st.integers(0, 2**32 - 1))
def test_registry_programs_give_a_grid_or_a_reason(grid, seed):
    if not any(p.ret is T.GRID for p in registry.primitives().values()):
        pytest.skip("no Grid primitive registered yet")
    program = generator.random_program(np.random.default_rng(seed), 3)
    before = grid.copy()
    result = run(program, grid)
    if result.ok:
        assert conforms(result.value, G) and result.value.dtype == np.int8
    else:
        assert "raised" not in result.error, f"{program}: {result.error}"
        assert result.error.endswith("gave no result"), f"{program}: {result.error}"
    assert np.array_equal(grid, before)


def test_run_checked_skips_the_type_check():
    # The search type checks once; run_checked is the fast path it uses afterwards.
    assert run_checked(_p("flip(I)"), GRID, TOY).value.tolist() == [[4, 5, 6], [1, 2, 3]]
