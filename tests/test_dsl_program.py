"""Programs: the tree, its two text forms, the parser and its errors, program files and coverage."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import Pair, Task, as_grid
from dsl import generator, library, registry
from dsl.program import (
    INPUT,
    MAX_DEPTH,
    Call,
    Literal,
    Program,
    ProgramSyntaxError,
    ProgramTypeError,
    depth,
    format_program,
    format_straight_line,
    parse,
    primitives_used,
    program_type,
    size,
    uses_input,
)
from dsl.registry import Primitive
from dsl.types import T


def _toy(name: str, args: tuple[T, ...], ret: T, fn=None, domains=None) -> Primitive:
    return Primitive(
        name=name,
        fn=fn or (lambda *values: None),
        args=args,
        ret=ret,
        doc=f"Toy {name}.",
        family="toy",
        domains=domains or (None,) * len(args),
    )


G, GS, C, N, B, O, OS = T.GRID, T.GRIDS, T.COLOR, T.INT, T.BOOL, T.OBJECT, T.OBJECTS

# Names and types only: the parser checks names; these tests never run the functions.
TOY = {
    p.name: p
    for p in [
        _toy("objects_by_colour", (G,), OS),
        _toy("largest_object", (OS,), O),
        _toy("crop_to_object", (G, O), G),
        _toy("recolor", (G, C, C), G),
        _toy("shift", (G, N), G, domains=(None, (-2, -1, 1, 2))),
        _toy("mirror", (G, B), G),
        _toy("halves", (G,), GS),
        _toy("first", (GS,), G),
        _toy("background", (G,), C),
        _toy("overlay", (G, G), G),
        _toy("pixel", (C,), G),
    ]
}

CROP_NESTED = "crop_to_object(I, largest_object(objects_by_colour(I)))"
CROP_LINES = """# keep the largest object
x1 = objects_by_colour(I)
x2 = largest_object(x1)
O = crop_to_object(I, x2)
"""


def test_nested_and_straight_line_forms_parse_to_the_same_tree():
    nested, lines = parse(CROP_NESTED, TOY), parse(CROP_LINES, TOY)
    assert nested == lines
    assert hash(nested) == hash(lines)
    objects = Call("objects_by_colour", (INPUT,))
    assert nested == Program(Call("crop_to_object", (INPUT, Call("largest_object", (objects,)))))


def test_comments_blank_lines_and_spacing_are_ignored():
    text = (
        "\n  # header\n\nx1=objects_by_colour( I )   # trailing\n\n"
        "\tx2 = largest_object(x1)\nO = crop_to_object(I,x2)"
    )
    assert parse(text, TOY) == parse(CROP_NESTED, TOY)


def test_format_program_is_the_nested_one_liner():
    assert format_program(parse(CROP_LINES, TOY)) == CROP_NESTED
    assert str(parse(CROP_LINES, TOY)) == CROP_NESTED


def test_format_straight_line_gives_one_call_a_line_ending_in_o():
    text = format_straight_line(parse(CROP_NESTED, TOY))
    assert text == ("x1 = objects_by_colour(I)\nx2 = largest_object(x1)\nO = crop_to_object(I, x2)\n")


def test_format_straight_line_names_a_repeated_subtree_once():
    program = parse("overlay(first(halves(I)), first(halves(I)))", TOY)
    text = format_straight_line(program)
    assert text == "x1 = halves(I)\nx2 = first(x1)\nO = overlay(x2, x2)\n"
    assert parse(text, TOY) == program


def test_a_program_without_calls_formats_and_parses():
    assert parse("I", TOY) == Program(INPUT)
    assert format_straight_line(Program(INPUT)) == "O = I\n"
    assert parse("O = I", TOY) == Program(INPUT)


def test_literals_ints_negative_ints_and_booleans():
    program = parse("mirror(shift(recolor(I, 0, 9), -2), true)", TOY)
    shift = program.root.args[0]
    assert shift.args[1] == Literal(-2)
    assert program.root.args[1] == Literal(True)
    assert format_program(program) == "mirror(shift(recolor(I, 0, 9), -2), true)"
    assert parse("mirror(I, false)", TOY).root.args[1] == Literal(False)


def test_bool_and_int_literals_are_different_nodes():
    # Python says True == 1; two programs that differ only there are different programs.
    assert Literal(True) != Literal(1)
    assert Literal(False) != Literal(0)
    assert len({Literal(True), Literal(1)}) == 2
    assert Call("mirror", (INPUT, Literal(True))) != Call("mirror", (INPUT, Literal(1)))


def test_literal_normalises_numpy_scalars_and_rejects_other_values():
    assert Literal(np.int8(3)) == Literal(3)
    assert type(Literal(np.int64(3)).value) is int
    assert Literal(np.bool_(True)) == Literal(True)
    with pytest.raises(TypeError):
        Literal("3")
    with pytest.raises(TypeError):
        Literal(1.5)


def test_nodes_are_frozen_and_calls_hold_tuples():
    call = Call("halves", [INPUT])
    assert call.args == (INPUT,)
    with pytest.raises(AttributeError):
        call.name = "other"
    with pytest.raises(TypeError):
        Call("halves", ("I",))
    with pytest.raises(TypeError):
        Program("I")


def test_programs_pickle_with_a_fresh_hash():
    program = parse(CROP_NESTED, TOY)
    copy = pickle.loads(pickle.dumps(program))
    assert copy == program and hash(copy) == hash(program)
    script = (
        "import pickle, sys; p = pickle.loads(sys.stdin.buffer.read()); "
        "print(hash(p.root) == hash((p.root.name, p.root.args)))"
    )
    # Another process hashes strings differently: the cached hash must be recomputed there.
    out = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps(program),
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert out.stdout.strip() == b"True"


def test_size_depth_primitives_used_and_program_type():
    program = parse(CROP_NESTED, TOY)
    assert size(program) == 3
    assert depth(program) == 3
    assert primitives_used(program) == {"crop_to_object", "largest_object", "objects_by_colour"}
    assert program_type(program, TOY) is T.GRID
    assert program_type(Program(Call("background", (INPUT,))), TOY) is T.COLOR
    assert size(Program(INPUT)) == 0 and depth(Program(INPUT)) == 0
    assert program_type(Program(INPUT), TOY) is T.GRID
    repeated = parse("overlay(halves(I), halves(I))", TOY)
    assert size(repeated) == 3  # repeated subtrees count each time: programs are trees


def test_program_type_of_a_bare_literal_is_an_error():
    with pytest.raises(ProgramTypeError, match="no type"):
        program_type(Program(Literal(3)), TOY)
    with pytest.raises(ProgramTypeError, match="did you mean"):
        program_type(Program(Call("halfs", (INPUT,))), TOY)


def test_uses_input():
    assert uses_input(parse("pixel(background(I))", TOY))
    assert not uses_input(parse("pixel(3)", TOY))


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("", 1, 1, "empty program"),
        ("# only a comment\n", 2, 1, "empty program"),
        ("halves(I", 1, 9, "expected ',' or ')'"),
        ("overlay(I,)", 1, 11, "expected an expression"),
        ("overlay(I I)", 1, 11, "expected ',' or ')'"),
        ("halves(I))", 1, 10, "expected end of line"),
        ("x1 = halves(I)", 1, 15, "expected the final line 'O = ...'"),
        ("x1 = halves(I)\nO = first(halves(I))", 1, 1, "x1 is assigned but never used"),
        ("O = halves(x2)", 1, 12, "undefined variable 'x2'"),
        ("x1 = halves(I)\nO = first(x2)", 2, 11, "did you mean x1"),
        ("O = I\nx1 = halves(I)", 2, 1, "must be the last line"),
        ("x1 = halves(I)\nx1 = halves(I)\nO = first(x1)", 2, 1, "assigned twice"),
        ("I = halves(I)", 1, 1, "cannot assign to I"),
        ("halves = halves(I)\nO = first(halves)", 1, 1, "is a primitive"),
        ("I(3)", 1, 1, "I is the input grid"),
        ("mirror(I, True)", 1, 11, "write booleans as true or false"),
        ("first(halves)", 1, 7, "needs its arguments"),
        ("recolor(I, 1, 2) + 1", 1, 18, "unexpected character '+'"),
        ("halves(I)\nfirst(I)", 2, 1, "expected end of program"),
        ("x1 = halves(I)\nfirst(x1)", 2, 1, "expected an assignment"),
        ("O = ", 1, 5, "expected an expression"),
        ("O halves(I)", 1, 1, "undefined variable 'O'"),
    ],
)
def test_syntax_errors_say_where_and_what_was_expected(text, line, column, fragment):
    with pytest.raises(ProgramSyntaxError) as info:
        parse(text, TOY)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (line, column)
    assert fragment in str(error)
    assert str(error).startswith(f"line {line}, column {column}: ")


def test_unknown_primitive_gets_a_did_you_mean():
    with pytest.raises(ProgramSyntaxError, match=r"unknown primitive 'larget_object'.*largest_object"):
        parse("larget_object(objects_by_colour(I))", TOY)
    with pytest.raises(ProgramSyntaxError, match="unknown primitive 'zzz'$"):
        parse("x1 = halves(I)\nO = zzz(x1)", TOY)


def test_parse_checks_names_against_the_registry_by_default():
    with pytest.raises(ProgramSyntaxError, match="unknown primitive"):
        parse("surely_not_a_primitive(I)")


def test_nesting_too_deep_is_a_syntax_error_not_a_crash():
    deep = "first(halves(" * (MAX_DEPTH // 2 + 1) + "I" + "))" * (MAX_DEPTH // 2 + 1)
    with pytest.raises(ProgramSyntaxError, match="nest deeper"):
        parse(deep, TOY)
    chain = "x0 = halves(I)\n" + "".join(f"x{i} = halves(first(x{i - 1}))\n" for i in range(1, MAX_DEPTH))
    with pytest.raises(ProgramSyntaxError, match="nest deeper"):
        parse(chain + f"O = first(x{MAX_DEPTH - 1})", TOY)


def _trees(table: dict[str, Primitive]) -> st.SearchStrategy:
    """Arbitrary trees over the table's names, typed or not: the text form must not care."""
    leaves = st.one_of(
        st.just(INPUT),
        st.builds(Literal, st.integers(-40, 40)),
        st.builds(Literal, st.booleans()),
    )

    def calls(children: st.SearchStrategy) -> st.SearchStrategy:
        args = st.lists(children, max_size=3).map(tuple)
        return st.builds(Call, st.sampled_from(sorted(table)), args)

    return st.recursive(leaves, calls, max_leaves=12).map(Program)


@settings(max_examples=150, deadline=None)
@given(_trees(TOY))
def test_parse_inverts_both_formats_for_any_tree(program):
    assert parse(format_program(program), TOY) == program
    assert parse(format_straight_line(program), TOY) == program


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_depth=st.integers(1, 5))
def test_parse_inverts_both_formats_for_random_well_typed_toy_programs(seed, max_depth):
    program = generator.random_program(np.random.default_rng(seed), max_depth, table=TOY)
    assert parse(format_program(program), TOY) == program
    assert parse(format_straight_line(program), TOY) == program


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_depth=st.integers(1, 4))
def test_parse_inverts_both_formats_for_random_registry_programs(seed, max_depth):
    if not any(p.ret is T.GRID for p in registry.primitives().values()):
        pytest.skip("no Grid primitive registered yet")
    program = generator.random_program(np.random.default_rng(seed), max_depth)
    assert parse(format_program(program)) == program
    assert parse(format_straight_line(program)) == program


# Program files and coverage (dsl.library).


def _identity_table() -> dict[str, Primitive]:
    flip = _toy("flip", (G,), G, fn=lambda g: g[::-1])
    return {"flip": flip, "background": TOY["background"], "halves": TOY["halves"]}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_programs_reads_every_dsl_file_by_task_id(tmp_path):
    _write(tmp_path, "bbbbbbbb.dsl", "# flip twice\nx1 = flip(I)\nO = flip(x1)\n")
    _write(tmp_path, "aaaaaaaa.dsl", "flip(I)\n")
    _write(tmp_path, "notes.txt", "not a program")
    programs = library.load_programs(tmp_path, _identity_table())
    assert list(programs) == ["aaaaaaaa", "bbbbbbbb"]
    assert programs["bbbbbbbb"] == Program(Call("flip", (Call("flip", (INPUT,)),)))


def test_load_programs_names_the_file_and_line_of_a_syntax_error(tmp_path):
    _write(tmp_path, "aaaaaaaa.dsl", "flip(I)\n")
    bad = _write(tmp_path, "cccccccc.dsl", "# comment\nx1 = flip(I)\nO = flp(x1)\n")
    with pytest.raises(library.ProgramFileError) as info:
        library.load_programs(tmp_path, _identity_table())
    message = str(info.value)
    assert message.startswith(f"{bad}:3:5: ")
    assert "did you mean flip" in message
    assert info.value.line == 3


def test_load_program_file_rejects_ill_typed_and_non_grid_programs(tmp_path):
    ill = _write(tmp_path, "a.dsl", "flip(halves(I))\n")
    with pytest.raises(library.ProgramFileError, match=r"a\.dsl: type error: .*expects Grid, got Grids"):
        library.load_program_file(ill, _identity_table())
    colour = _write(tmp_path, "b.dsl", "background(I)\n")
    with pytest.raises(library.ProgramFileError, match="returns Color, not Grid"):
        library.load_program_file(colour, _identity_table())


def test_load_programs_of_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(library.ProgramFileError, match="not a folder"):
        library.load_programs(tmp_path / "missing")


def test_check_program_on_task_reports_matches(tmp_path):
    grid = as_grid([[1, 2], [3, 4]])
    task = Task("t", (Pair(grid, as_grid([[3, 4], [1, 2]])),), (Pair(grid, as_grid([[1, 2], [3, 4]])),))
    program = library.load_program_file(_write(tmp_path, "t.dsl", "flip(I)"), _identity_table())
    run = library.check_program_on_task(program, task, _identity_table())
    assert run.train_ok and run.test_ok is False
    checks = library.check_programs({"t": program, "other": program}, {"t": task}, _identity_table())
    assert list(checks) == ["t"]


def test_coverage_counts_calls_tasks_and_families(tmp_path):
    table = dict(TOY)
    _write(tmp_path, "a.dsl", "overlay(first(halves(I)), first(halves(I)))")
    _write(tmp_path, "b.dsl", "x1 = halves(I)\nO = first(x1)\n")
    cov = library.coverage(tmp_path, table)
    assert cov.n_tasks == 2 and cov.task_ids == ("a", "b")
    assert cov.calls == {"first": 3, "halves": 3, "overlay": 1}
    assert cov.tasks_using == {"first": 2, "halves": 2, "overlay": 1}
    assert cov.families == {"toy": (3, len(TOY))}
    assert cov.families_covered == ("toy",)
    assert set(cov.unused) == set(TOY) - {"first", "halves", "overlay"}
    assert cov.n_used == 3 and cov.fraction_used == pytest.approx(3 / len(TOY))


def test_coverage_of_an_empty_folder(tmp_path):
    cov = library.coverage(tmp_path, TOY)
    assert cov.n_tasks == 0 and cov.calls == {} and len(cov.unused) == len(TOY)
    assert cov.families_covered == ()
