"""Rewriting programs: simplifying against grids keeps outputs; mutating keeps programs well typed."""

from __future__ import annotations

import numpy as np
from grid_strategies import small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import registry
from dsl.generator import Sampler, random_program
from dsl.interpreter import run_checked, type_check
from dsl.program import Call, Literal, parse, primitives_used, size, uses_input
from dsl.rewrite import mutate, nodes, replaced, shortcuts, simplify


def _grid(rows: list[list[int]]) -> np.ndarray:
    grid = np.array(rows, dtype=np.int8)
    grid.setflags(write=False)
    return grid


ASYMMETRIC = _grid([[1, 2, 0], [0, 3, 0]])
SYMMETRIC = _grid([[1, 2, 1], [0, 3, 0]])  # left-right mirror image of itself


def test_a_call_the_grids_cannot_show_is_removed_and_the_rest_kept():
    program = parse("rot90(flip_horizontal(I))")
    assert str(simplify(program, [SYMMETRIC])) == "rot90(I)"
    assert simplify(program, [SYMMETRIC, ASYMMETRIC]) == program


def test_calls_that_cancel_out_are_removed_together():
    # Two flips undo each other on any grid: neither alone does, both together do.
    assert str(simplify(parse("rot90(flip_vertical(flip_vertical(I)))"), [ASYMMETRIC])) == "rot90(I)"


def test_a_colour_absent_from_the_grids_makes_its_recolouring_a_no_op():
    program = parse("recolor(rot90(I), 7, 4)")
    assert str(simplify(program, [ASYMMETRIC])) == "rot90(I)"
    with_seven = _grid([[7, 2], [0, 0]])
    assert simplify(program, [ASYMMETRIC, with_seven]) == program


def test_a_program_that_fails_on_a_grid_is_returned_unchanged():
    program = parse("crop_to_content(flip_horizontal(I))")
    empty = _grid([[0, 0], [0, 0]])
    assert not run_checked(program, empty).ok
    assert simplify(program, [SYMMETRIC, empty]) == program


def test_shortcuts_are_well_typed_smaller_and_smallest_first():
    program = parse("crop_to_object(I, largest_object(objects_by_color(flip_horizontal(I))))")
    found = list(shortcuts(program))
    assert [size(p) for p in found] == sorted(size(p) for p in found)
    assert all(size(p) < size(program) for p in found)
    for p in found:
        type_check(p)
    # The root may become any grid below it; the object-valued calls have no object below them.
    assert [str(p) for p in found] == [
        "I",
        "flip_horizontal(I)",
        "crop_to_object(I, largest_object(objects_by_color(I)))",
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.lists(small_grids(), min_size=1, max_size=3))
def test_simplifying_keeps_every_output_and_never_adds_a_primitive(seed, grids):
    program = random_program(np.random.default_rng(seed), max_depth=3)
    simpler = simplify(program, grids)
    assert size(simpler) <= size(program)
    assert primitives_used(simpler) <= primitives_used(program)
    before = [run_checked(program, g) for g in grids]
    if not all(r.ok for r in before):
        assert simpler == program
        return
    after = [run_checked(simpler, g) for g in grids]
    for old, new in zip(before, after, strict=True):
        assert new.ok
        assert old.value.shape == new.value.shape and np.array_equal(old.value, new.value)
    # Nothing is left to remove: simplifying again changes nothing.
    assert simplify(simpler, grids) == simpler


# --- paths ------------------------------------------------------------------------------------


def test_paths_address_every_node_and_replacing_one_leaves_the_rest():
    program = parse("overlay(rot90(I), recolor(I, 1, 2))")
    found = dict(nodes(program.root))
    assert [str(found[p]) for p in [(), (0,), (0, 0), (1,), (1, 1)]] == [
        str(program),
        "rot90(I)",
        "I",
        "recolor(I, 1, 2)",
        "1",
    ]
    swapped = replaced(program.root, (1, 2), Literal(5))
    assert str(swapped) == "overlay(rot90(I), recolor(I, 1, 5))"
    assert str(program) == "overlay(rot90(I), recolor(I, 1, 2))"  # programs are values


# --- mutation ---------------------------------------------------------------------------------

SAMPLER = Sampler()


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_mutant_is_a_different_well_typed_program_that_reads_the_input(seed):
    rng = np.random.default_rng(seed)
    program = random_program(rng, max_depth=3)
    mutant = mutate(program, rng, SAMPLER)
    assert mutant != program
    assert uses_input(mutant)
    type_check(mutant)


def test_mutation_is_seeded():
    program = parse("overlay(I, mask_and(shift_right(I), shift_left(I), 2))")
    first = [mutate(program, np.random.default_rng(s), SAMPLER) for s in range(20)]
    again = [mutate(program, np.random.default_rng(s), SAMPLER) for s in range(20)]
    assert first == again


def _shape(program):
    return [path for path, _ in nodes(program.root)]


def test_mutation_swaps_primitives_of_one_signature_and_redraws_literals():
    program = parse("overlay(I, mask_and(shift_right(I), shift_left(I), 2))")
    table = registry.primitives()
    swapped, literals = set(), set()
    for seed in range(300):
        mutant = mutate(program, np.random.default_rng(seed), SAMPLER)
        if _shape(mutant) != _shape(program):
            continue  # a subtree was replaced
        pairs = zip(nodes(program.root), nodes(mutant.root), strict=True)
        for (_, a), (_, b) in pairs:
            # A swap keeps the arguments; a replaced subtree may keep the shape alone.
            if isinstance(a, Call) and a.name != b.name and a.args == b.args:
                assert (table[a.name].args, table[a.name].ret) == (table[b.name].args, table[b.name].ret)
                swapped.add(a.name)
            elif isinstance(a, Literal) and a != b:
                literals.add(b.value)
    assert {"overlay", "mask_and", "shift_right", "shift_left"} <= swapped
    assert len(literals) >= 3
