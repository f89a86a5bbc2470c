"""Type checking and running DSL programs on grids.

Failures a search expects (a primitive with no answer, a primitive that raises, an
output that is not a grid) come back as :class:`Result` values with a reason; only
programmer errors (an invalid input grid) raise.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from arc_harness.tasks import Grid, Task, as_grid
from dsl import registry
from dsl.grid import NUM_COLORS, is_grid
from dsl.program import (
    Expr,
    Input,
    Literal,
    Program,
    ProgramTypeError,
    format_program,
    unknown_primitive_message,
)
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T

# Ints in programs are offsets, counts and factors on grids at most 30 cells a side.
INT_RANGE = (-30, 30)

# Calls quoted in error messages are cut to this length.
_SHOWN = 80


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of one run: ``value`` on success, else ``error`` says which call failed and why."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, eq=False)
class TaskRun:
    """A program run on every pair of a task; ``test_match`` is None where outputs are hidden."""

    train: tuple[Result, ...]
    test: tuple[Result, ...]
    train_match: tuple[bool, ...]
    test_match: tuple[bool, ...] | None

    @property
    def train_ok(self) -> bool:
        """Every demonstration output reproduced exactly."""
        return all(self.train_match)

    @property
    def test_ok(self) -> bool | None:
        """Every test output reproduced exactly; None when the task hides them."""
        return None if self.test_match is None else all(self.test_match)

    @property
    def solved(self) -> bool:
        """Every train and every known test output reproduced exactly."""
        return self.train_ok and self.test_ok is not False

    @property
    def summary(self) -> str:
        """``train 3/3, test 0/1`` plus the first failure reason, for one-line reports."""
        parts = [f"train {sum(self.train_match)}/{len(self.train_match)}"]
        if self.test_match is not None:
            parts.append(f"test {sum(self.test_match)}/{len(self.test_match)}")
        text = ", ".join(parts)
        return f"{text}; {self.errors[0]}" if self.errors else text

    @property
    def errors(self) -> tuple[str, ...]:
        """The distinct failure reasons, in pair order."""
        seen = (r.error for r in self.train + self.test if r.error is not None)
        return tuple(dict.fromkeys(seen))


def _shown(node: Expr) -> str:
    text = format_program(node)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def literal_problem(value: int | bool, kind: T, domain: tuple[Any, ...] | None) -> str | None:
    """Why a literal cannot fill a slot of type ``kind``, or None when it can."""
    if kind not in LITERAL_TYPES:
        return f"a literal cannot be a {kind}"
    if kind is T.BOOL:
        return None if isinstance(value, bool) else f"{value} is not a Bool (true or false)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} is a Bool, not a {kind}"
    if domain is not None:
        return None if value in domain else f"{value} is not one of {domain}"
    if kind is T.COLOR and not 0 <= value < NUM_COLORS:
        return f"colour {value} is out of range 0-{NUM_COLORS - 1}"
    low, high = INT_RANGE
    if kind is T.INT and not low <= value <= high:
        return f"{value} is out of range {low}..{high}"
    return None


def _check(node: Expr, table: Mapping[str, Primitive]) -> T:
    """The type of a node that is not a literal, after checking its subtree."""
    if isinstance(node, Input):
        return T.GRID
    if isinstance(node, Literal):
        raise ProgramTypeError(f"literal {node} has no type outside an argument slot")
    if node.name not in table:
        raise ProgramTypeError(unknown_primitive_message(node.name, table))
    prim = table[node.name]
    if len(node.args) != len(prim.args):
        raise ProgramTypeError(
            f"{prim.name} takes {len(prim.args)} argument(s) ({prim.signature}), "
            f"got {len(node.args)} in {_shown(node)}"
        )
    for index, (arg, kind) in enumerate(zip(node.args, prim.args, strict=True)):
        where = f"argument {index + 1} of {prim.name} ({prim.signature})"
        if isinstance(arg, Literal):
            problem = literal_problem(arg.value, kind, prim.domains[index])
            if problem is not None:
                raise ProgramTypeError(f"{where}: {problem}")
            continue
        got = _check(arg, table)
        if got is not kind:
            raise ProgramTypeError(f"{where} expects {kind}, got {got} from {_shown(arg)}")
    return prim.ret


def type_check(program: Program | Expr, table: Mapping[str, Primitive] | None = None) -> T:
    """The program's type; raises :class:`ProgramTypeError` naming the first bad call."""
    node = program.root if isinstance(program, Program) else program
    return _check(node, registry.primitives() if table is None else table)


def _object_class() -> type | None:
    # Looked up late: dsl.objects is written separately and imports the registry itself.
    return getattr(importlib.import_module("dsl.objects"), "Object", None)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def conforms(value: Any, kind: T) -> bool:
    """True when ``value`` is a run-time value of DSL type ``kind`` (see :class:`T`)."""
    if kind is T.GRID:
        return is_grid(value)
    if kind is T.GRIDS:
        return isinstance(value, tuple) and all(is_grid(g) for g in value)
    if kind is T.COLOR:
        return _is_int(value) and 0 <= int(value) < NUM_COLORS
    if kind is T.INT:
        return _is_int(value)
    if kind is T.BOOL:
        return isinstance(value, bool | np.bool_)
    cls = _object_class()
    if kind is T.OBJECT:
        return value is not None and (cls is None or isinstance(value, cls))
    if kind is T.OBJECTS:
        return isinstance(value, tuple) and (cls is None or all(isinstance(o, cls) for o in value))
    raise ValueError(f"unknown type {kind!r}")


class _Failure(Exception):
    """Internal: stops evaluation at the failing call; :func:`run` turns it into a Result."""


def _evaluate(node: Expr, grid: Grid, table: Mapping[str, Primitive], memo: dict) -> Any:
    if isinstance(node, Input):
        return grid
    if isinstance(node, Literal):
        return node.value
    if node in memo:
        return memo[node]
    prim = table[node.name]
    values = [_evaluate(arg, grid, table, memo) for arg in node.args]
    try:
        value = prim.fn(*values)
    except Exception as exc:
        # Primitives are meant to be total, but a search runs millions of unforeseen
        # argument combinations: one that raises must cost that candidate only, and
        # the record keeps the exception so the primitive can be fixed.
        raise _Failure(f"{_shown(node)} raised {type(exc).__name__}: {exc}") from exc
    if value is None:
        raise _Failure(f"{_shown(node)} gave no result")
    if not conforms(value, prim.ret):
        raise _Failure(f"{_shown(node)} returned {type(value).__name__}, not a valid {prim.ret}")
    memo[node] = value
    return value


def _input_grid(grid: Any) -> Grid:
    # Already-validated read-only grids pass untouched; anything else goes through the
    # boundary check, which raises GridError for a value that is not a grid.
    if is_grid(grid) and not grid.flags.writeable:
        return grid
    return as_grid(grid)


def run_checked(
    program: Program, grid: Grid, table: Mapping[str, Primitive] | None = None, memo: dict | None = None
) -> Result:
    """Run a program already known to be well typed (skips :func:`type_check`).

    ``memo`` maps sub-expressions to their values on this same ``grid``: a caller running
    many programs that share subtrees on one grid passes one dict to every run, and each
    shared subtree is computed once.
    """
    table = registry.primitives() if table is None else table
    try:
        value = _evaluate(program.root, _input_grid(grid), table, {} if memo is None else memo)
    except _Failure as failure:
        return Result(error=str(failure))
    return Result(value=value)


def run(program: Program, grid: Any, table: Mapping[str, Primitive] | None = None) -> Result:
    """Run ``program`` on one input grid; ill-typed programs and failed calls give an error Result.

    A Grid program's value is a valid grid; any other program's value conforms to its type.
    """
    table = registry.primitives() if table is None else table
    try:
        type_check(program, table)
    except ProgramTypeError as exc:
        return Result(error=f"type error: {exc}")
    return run_checked(program, grid, table)


def _matches(result: Result, expected: Grid) -> bool:
    value = result.value
    return (
        result.ok
        and isinstance(value, np.ndarray)
        and value.shape == expected.shape
        and bool(np.array_equal(value, expected))
    )


def run_on_task(program: Program, task: Task, table: Mapping[str, Primitive] | None = None) -> TaskRun:
    """Run on every train and test input and compare with the known outputs, shape included."""
    table = registry.primitives() if table is None else table
    try:
        kind = type_check(program, table)
        problem = None if kind is T.GRID else f"type error: the program returns {kind}, not Grid"
    except ProgramTypeError as exc:
        problem = f"type error: {exc}"

    def results(pairs: tuple) -> tuple[Result, ...]:
        if problem is not None:
            return tuple(Result(error=problem) for _ in pairs)
        return tuple(run_checked(program, pair.input, table) for pair in pairs)

    train, test = results(task.train), results(task.test)
    train_match = tuple(_matches(r, p.output) for r, p in zip(train, task.train, strict=True))
    hidden = any(p.output is None for p in task.test)
    test_match = (
        None if hidden else tuple(_matches(r, p.output) for r, p in zip(test, task.test, strict=True))
    )
    return TaskRun(train, test, train_match, test_match)
