"""The search's moves: every Grid -> Grid step the DSL's type table allows, with its literals bound.

A step is a small expression over one free grid ``I`` (the state it is applied to):
a single primitive with its literal arguments bound (``recolor(I, 3, 5)``), a short
chain through non-grid values that ends in a grid
(``crop_to_object(I, largest_object(objects_by_color(I)))``), or a two-grid primitive
that combines the state with the task's own input (``overlay(I, <input>)``, written
with :data:`ORIGINAL`). Chains through a grid are not steps: the search composes
those itself, one state at a time, and merges equal states. Everything here is read
from :mod:`dsl.registry`; nothing is hand-listed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from dsl import registry
from dsl.program import INPUT, Call, Expr, Input, Literal, format_program, subexpressions, uses_input
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T

# Longest chain (in primitive calls) one step may hold.
MAX_STEP_CALLS = 3

# Painting a grid's own objects back onto it changes nothing (their cells are its cells),
# and every object a step can name is one of the state's own: such steps are never made.
SAME_GRID_PAINTS = frozenset({"paint_object", "paint_objects"})

# Inside a step, the task's input grid, as opposed to ``I``, the state the step applies
# to; :func:`substitute` turns it back into the program's ``I``.
ORIGINAL = Call("original_input")


@dataclass(frozen=True)
class Step:
    """One enumerable move: ``expr`` applied to the state grid ``I``; ``calls`` primitive calls."""

    expr: Call
    calls: int
    # Set when the step is one primitive on ``I`` with literal arguments (batchable).
    primitive: str | None
    literals: tuple[int | bool, ...]

    @property
    def text(self) -> str:
        return format_program(self.expr)

    @cached_property
    def constants(self) -> int:
        """How many literal constants the step binds (colours, factors, directions)."""
        return sum(isinstance(node, Literal) for node in subexpressions(self.expr))


def task_colors(grids: Sequence[np.ndarray]) -> tuple[int, ...]:
    """The colours present in the given grids, ascending: the search's colour constants."""
    present = np.zeros(10, dtype=bool)
    for grid in grids:
        present[np.unique(grid)] = True
    return tuple(int(c) for c in np.flatnonzero(present))


def _literals(prim: Primitive, index: int, colors: tuple[int, ...]) -> list[Expr]:
    return [Literal(v) for v in registry.literal_domain(prim, index, colors)]


class _Builder:
    """Enumerates expressions of each non-grid type over ``I``, smallest first, memoised."""

    def __init__(self, table: Mapping[str, Primitive], colors: tuple[int, ...]) -> None:
        self.table = table
        self.colors = colors
        self.memo: dict[tuple[T, int], list[tuple[Expr, int]]] = {}

    def of_type(self, kind: T, budget: int) -> list[tuple[Expr, int]]:
        """(expr, calls) of type ``kind`` with at most ``budget`` calls; grids are only ``I``."""
        if kind is T.GRID:
            return [(INPUT, 0)]
        key = (kind, budget)
        if key not in self.memo:
            found: list[tuple[Expr, int]] = []
            for prim in self.table.values():
                if prim.ret is kind:
                    found.extend(self.calls(prim, budget))
            self.memo[key] = found
        return self.memo[key]

    def argument(self, prim: Primitive, index: int, budget: int) -> list[tuple[Expr, int]]:
        kind = prim.args[index]
        options: list[tuple[Expr, int]] = []
        if kind in LITERAL_TYPES and prim.domains[index] is not None:
            options = [(lit, 0) for lit in _literals(prim, index, self.colors)]
            if prim.takes_computed(index):
                options += [(e, c) for e, c in self.of_type(kind, budget) if c > 0]
            return options
        if kind in LITERAL_TYPES and kind is not T.BOOL:
            # A literal true/false would only pick a branch, which a simpler step names directly.
            options += [(lit, 0) for lit in _literals(prim, index, self.colors)]
        options += [(e, c) for e, c in self.of_type(kind, budget) if c > 0 or kind is T.GRID]
        return options

    def calls(self, prim: Primitive, budget: int) -> Iterator[tuple[Expr, int]]:
        """Every call of ``prim`` within ``budget`` calls; at most one grid argument, which is ``I``."""
        if budget < 1 or sum(kind is T.GRID for kind in prim.args) > 1:
            return
        choices = [self.argument(prim, i, budget - 1) for i in range(len(prim.args))]
        for combo in itertools.product(*choices):
            used = 1 + sum(c for _, c in combo)
            if used <= budget:
                yield Call(prim.name, tuple(e for e, _ in combo)), used


def enumerate_steps(
    colors: tuple[int, ...],
    table: Mapping[str, Primitive] | None = None,
    max_calls: int = MAX_STEP_CALLS,
    binary: bool = True,
) -> list[Step]:
    """All Grid -> Grid steps for a task with these colours, cheapest first, no duplicates.

    ``binary`` adds the two-grid primitives applied to the state and the task's input.
    """
    table = registry.primitives() if table is None else table
    builder = _Builder(table, colors)
    steps: dict[Call, Step] = {}
    for prim in table.values():
        if prim.ret is not T.GRID or prim.name in SAME_GRID_PAINTS:
            continue
        for expr, calls in builder.calls(prim, max_calls):
            if isinstance(expr, Call) and uses_input(expr) and expr not in steps:
                steps[expr] = _step(expr, calls, prim)
    if binary:
        for expr in _binary_calls(table, colors):
            steps.setdefault(expr, Step(expr=expr, calls=1, primitive=None, literals=()))
    return sorted((_INTERNED.setdefault(s, s) for s in steps.values()), key=lambda s: s.calls)


# One object per distinct step, for every task of the process: the search and its backend
# look steps up in dicts many times a level, and a lookup that finds the very same object
# skips comparing two expression trees. Bounded by the steps the DSL can make (colours 0-9).
_INTERNED: dict[Step, Step] = {}


def _binary_calls(table: Mapping[str, Primitive], colors: tuple[int, ...]) -> Iterator[Call]:
    """Two-grid primitives on the state and the task's input, both ways round, literals bound."""
    for prim in table.values():
        grid_slots = [i for i, kind in enumerate(prim.args) if kind is T.GRID]
        others = [i for i in range(len(prim.args)) if i not in grid_slots]
        if (
            prim.ret is not T.GRID
            or len(grid_slots) != 2
            or any(prim.args[i] not in LITERAL_TYPES for i in others)
        ):
            continue
        literal_sets = [_literals(prim, i, colors) for i in others]
        for pair in ((INPUT, ORIGINAL), (ORIGINAL, INPUT)):
            for literals in itertools.product(*literal_sets):
                args: list[Expr] = [INPUT] * len(prim.args)
                for slot, grid in zip(grid_slots, pair, strict=True):
                    args[slot] = grid
                for slot, literal in zip(others, literals, strict=True):
                    args[slot] = literal
                yield Call(prim.name, tuple(args))


def _step(expr: Call, calls: int, prim: Primitive) -> Step:
    single = calls == 1 and isinstance(expr.args[0], Input) and prim.args[0] is T.GRID
    literals = tuple(a.value for a in expr.args[1:] if isinstance(a, Literal)) if single else ()
    return Step(expr=expr, calls=calls, primitive=prim.name if single else None, literals=literals)


def substitute(expr: Expr, state: Expr) -> Expr:
    """``expr`` with the state expression in place of ``I``: how a step extends a program."""
    if isinstance(expr, Input):
        return state
    if expr == ORIGINAL:
        return INPUT
    if isinstance(expr, Call):
        return Call(expr.name, tuple(substitute(a, state) for a in expr.args))
    return expr


def evaluate(
    expr: Expr,
    grid: np.ndarray,
    table: Mapping[str, Primitive],
    memo: dict | None = None,
    original: np.ndarray | None = None,
) -> Any:
    """The value of a step on one grid, or None when any call has no result or fails.

    ``original`` is the task's input grid for the same example (the value of
    :data:`ORIGINAL`). ``memo`` (one per grid) keeps the values of inner calls, so steps
    that share a part, such as ``objects_by_color(I)``, compute it once per grid.
    """
    if isinstance(expr, Input):
        return grid
    if isinstance(expr, Literal):
        return expr.value
    if expr == ORIGINAL:
        return original
    if memo is not None and expr in memo:
        return memo[expr]
    values = []
    for arg in expr.args:
        value = evaluate(arg, grid, table, memo, original)
        if value is None:
            break
        values.append(value)
    result = _call(table[expr.name], values) if len(values) == len(expr.args) else None
    if memo is not None:
        memo[expr] = result
    return result


def _call(prim: Primitive, values: list[Any]) -> Any:
    try:
        return prim.fn(*values)
    except Exception:  # noqa: BLE001 - a primitive bug costs this candidate only, as in the interpreter
        return None
