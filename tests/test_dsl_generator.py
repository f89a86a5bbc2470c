"""The random program generator: well typed, seeded, terminating, shallow and balanced."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import registry
from dsl.generator import Sampler, random_program, random_programs
from dsl.interpreter import type_check
from dsl.program import Call, Literal, Program, depth, primitives_used, size, subexpressions, uses_input
from dsl.registry import Primitive
from dsl.types import T

G, GS, C, N, B, O, OS = T.GRID, T.GRIDS, T.COLOR, T.INT, T.BOOL, T.OBJECT, T.OBJECTS


def _toy(name, args, ret, domains=None) -> Primitive:
    return Primitive(
        name, lambda *v: None, tuple(args), ret, f"Toy {name}.", "toy", domains or (None,) * len(args)
    )


# Types only: the generator never runs primitives. The shapes exercise its corner cases.
TOY = {
    p.name: p
    for p in [
        _toy("flip", [G], G),
        _toy("overlay", [G, G], G),
        _toy("recolor", [G, C, C], G),
        _toy("shift", [G, N], G, (None, (-1, 1))),
        _toy("when", [G, B], G),
        _toy("objects", [G], OS),
        _toy("largest", [OS], O),
        _toy("paint_object", [G, O], G),  # needs depth 3: objects -> largest -> paint_object
        _toy("background", [G], C),
        _toy("count", [G], N),
        _toy("is_square", [G], B),
        _toy("pixel", [C], G),  # reads no grid: I must come from its colour argument
        _toy("stack", [GS], G),  # nothing makes Grids: never usable
        _toy("loop", [O], O),  # makes Objects only from Objects: fine once largest exists
        _toy("orphan", [GS, G], C),  # needs Grids: never usable
    ]
}
NEVER = {"stack", "orphan"}


def _programs(seed: int, n: int, max_depth: int, **kwargs) -> list[Program]:
    rng = np.random.default_rng(seed)
    sampler = Sampler(TOY, **kwargs)
    return [sampler.sample(rng, max_depth) for _ in range(n)]


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_depth=st.integers(1, 6))
def test_toy_programs_are_well_typed_bounded_and_read_the_input(seed, max_depth):
    program = random_program(np.random.default_rng(seed), max_depth, table=TOY)
    assert type_check(program, TOY) is G
    assert 1 <= depth(program) <= max_depth
    assert size(program) >= 1 and uses_input(program)
    assert not primitives_used(program) & NEVER


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_depth=st.integers(1, 4))
def test_registry_programs_are_well_typed(seed, max_depth):
    if not any(p.ret is T.GRID for p in registry.primitives().values()):
        pytest.skip("no Grid primitive registered yet")
    program = random_program(np.random.default_rng(seed), max_depth)
    assert type_check(program) is G
    assert 1 <= depth(program) <= max_depth


def test_same_seed_same_programs_other_seed_other_programs():
    assert random_programs(7, 50, table=TOY) == random_programs(7, 50, table=TOY)
    assert random_programs(7, 50, table=TOY) != random_programs(8, 50, table=TOY)
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    assert random_program(rng_a, table=TOY) == random_program(rng_b, table=TOY)


def test_minimal_depths_and_unusable_primitives():
    sampler = Sampler(TOY)
    assert sampler.min_depth["flip"] == 1 and sampler.min_depth["pixel"] == 1
    assert sampler.min_depth["largest"] == 2 and sampler.min_depth["paint_object"] == 3
    assert sampler.min_depth["loop"] == 3
    assert sampler.min_depth["stack"] == float("inf")
    assert {p.name for p in sampler.reachable(G, 4)} == set(TOY) - NEVER
    # loop(largest(objects(I))) is an Object at depth 3; a Grid around it needs depth 4.
    assert {p.name for p in sampler.reachable(G, 3)} == set(TOY) - NEVER - {"loop"}
    deep_only = {"loop", "paint_object", "largest", "objects"}
    assert {p.name for p in sampler.reachable(G, 2)} == set(TOY) - NEVER - deep_only


def test_depth_limit_excludes_primitives_that_do_not_fit():
    used = set().union(*(primitives_used(p) for p in _programs(0, 300, 2)))
    assert not used & ({"paint_object", "loop", "largest"} | NEVER)
    used = set().union(*(primitives_used(p) for p in _programs(0, 300, 1)))
    assert used <= {"flip", "overlay", "recolor", "shift", "when", "pixel"}


def test_literals_come_from_the_task_colours_and_declared_domains():
    programs = _programs(1, 300, 3, task_colors=(2, 5))
    for program in programs:
        for node in subexpressions(program):
            if isinstance(node, Call) and node.name == "recolor":
                assert all(a.value in (2, 5) for a in node.args[1:] if isinstance(a, Literal))
            if isinstance(node, Call) and node.name == "shift" and isinstance(node.args[1], Literal):
                assert node.args[1].value in (-1, 1)
            if isinstance(node, Call) and node.name == "when" and isinstance(node.args[1], Literal):
                assert isinstance(node.args[1].value, bool)


def test_task_colours_must_be_colours():
    with pytest.raises(ValueError, match="task colours must be ints 0-9"):
        Sampler(TOY, task_colors=(3, 12))
    with pytest.raises(ValueError, match="task colours must be ints 0-9"):
        Sampler(TOY, task_colors=(True,))
    colours = tuple(np.unique(np.array([3, 1, 3], dtype=np.int8)))
    assert Sampler(TOY, task_colors=colours).task_colors == (1, 3)


def test_without_task_colours_colour_slots_are_filled_by_calls():
    programs = _programs(2, 200, 3, task_colors=())
    colour_args = [
        arg
        for program in programs
        for node in subexpressions(program)
        if isinstance(node, Call) and node.name in ("recolor", "pixel")
        for arg in node.args[1 if node.name == "recolor" else 0 :]
    ]
    assert colour_args and all(isinstance(a, Call) and a.name == "background" for a in colour_args)
    for program in programs:
        assert type_check(program, TOY) is G


def test_programs_are_mostly_shallow():
    # Unbalanced: balancing favours this toy table's many deep-only primitives.
    depths = Counter(depth(p) for p in random_programs(0, 600, 4, table=TOY, balance=False))
    assert depths[1] > depths[2] > depths[3] > depths[4] > 0


def test_other_return_types():
    rng = np.random.default_rng(0)
    for _ in range(50):
        program = random_program(rng, 3, ret=C, table=TOY)
        assert type_check(program, TOY) is C
    with pytest.raises(ValueError, match="no program of type Object within depth 1"):
        random_program(rng, 1, ret=O, table=TOY)


def test_focus_puts_the_primitive_in_every_program():
    rng = np.random.default_rng(4)
    for name in sorted(set(TOY) - NEVER):
        program = random_program(rng, 4, focus=name, table=TOY)
        assert name in primitives_used(program) and type_check(program, TOY) is G
    with pytest.raises(ValueError, match="calling stack"):
        random_program(rng, 4, focus="stack", table=TOY)
    with pytest.raises(ValueError, match="calling paint_object within depth 2"):
        random_program(rng, 2, focus="paint_object", table=TOY)
    with pytest.raises(KeyError, match="did you mean flip"):
        random_program(rng, 2, focus="flp", table=TOY)


def test_a_table_with_nothing_to_build_is_refused():
    only_objects = {"objects": TOY["objects"], "largest": TOY["largest"]}
    with pytest.raises(ValueError, match="no program of type Grid within depth 3"):
        random_program(np.random.default_rng(0), 3, table=only_objects)
    constant = {"pixel": TOY["pixel"]}  # every program ignores I
    with pytest.raises(ValueError, match="reading I"):
        random_program(np.random.default_rng(0), 3, table=constant)
    assert not uses_input(random_program(np.random.default_rng(0), 3, table=constant, require_input=False))


def test_unique_programs_do_not_repeat():
    programs = random_programs(3, 200, 2, table=TOY, unique=True)
    assert len(programs) == len(set(programs)) == 200


def test_unique_stops_when_the_space_runs_out():
    programs = random_programs(0, 10, 2, table={"flip": TOY["flip"]}, unique=True)
    assert sorted(map(str, programs)) == ["flip(I)", "flip(flip(I))"]


def _spread(programs: list[Program], names: set[str]) -> tuple[int, int]:
    counts = Counter(n.name for p in programs for n in subexpressions(p) if isinstance(n, Call))
    return min(counts[name] for name in names), max(counts[name] for name in names)


def test_balance_evens_out_primitive_counts():
    reachable = {p.name for p in Sampler(TOY).reachable(G, 3)}
    low, high = _spread(random_programs(0, 1000, 3, table=TOY), reachable)
    raw_low, raw_high = _spread(random_programs(0, 1000, 3, table=TOY, balance=False), reachable)
    assert low > 0 and high / low < raw_high / max(raw_low, 1)
    assert high / low < 4


def test_registry_programs_use_every_reachable_primitive():
    sampler = Sampler()
    reachable = {p.name for p in sampler.reachable(G, 3)}
    if len(reachable) < 10:
        pytest.skip(f"only {len(reachable)} usable primitives registered yet")
    low, high = _spread(random_programs(0, 30 * len(reachable), 3), reachable)
    assert low > 0, "a reachable primitive never appeared"
    assert high / low < 8
