"""Steps with computed arguments, batched: group the states by the values, then one kernel per group.

Most of the search's steps are not one primitive with literals but a primitive whose
colour, count or flag is computed from the state itself: ``recolor(I, background_color(I), 3)``
or ``bool_cell(is_symmetric_lr(I), 1, 0)``. Grid by grid, each costs a Python evaluation per
state and example. Here each computed argument is found once per batch, for all its grids
(one numpy pass where the primitive has a scalar kernel, :mod:`solvers.kernels_scalar`), and
shared by every step of the batch that uses it; the states are grouped by their argument values,
and each group goes through the outer primitive's batched kernel with those values as
literals. A step whose outer primitive reads no grid at all (``bool_cell``) is called once
per group and broadcast.

Exactness: a kernel is only trusted on the literal values its differential test covers
(the primitive's literal domain, colours 0-9); a group whose computed values fall outside
it runs through the primitive grid by grid, as the search would without this module.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dsl import registry
from dsl.grid import NUM_COLORS
from dsl.program import INPUT, Call, Expr, Literal, subexpressions
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T
from solvers.kernels import KERNELS
from solvers.kernels_scalar import SCALAR_KERNELS
from solvers.steps import ORIGINAL, Step, evaluate

# Marks "no value" (the argument's call failed) in an int64 vector of argument values.
NO_VALUE = np.iinfo(np.int64).min

# Argument values are kept for this many stacks: a level's batches, each seen once per job.
CACHED_STACKS = 8

# Object masks kept (each as large as its stack): a batch's few most recent objects.
CACHED_MASKS = 4

# Per example, the grids of one output shape: (rows of the batch, their grids).
Part = tuple[np.ndarray, np.ndarray]


# Outer primitives taking one object of the state itself, as masked writes over a stack: the
# object's cells lie in the state's own grid, so recolouring or erasing them is one ``where``.
MASK_KERNELS: dict[str, Callable[..., np.ndarray]] = {
    "recolor_object": lambda stack, mask, c: np.where(mask, np.int8(c), stack),
    "erase_object": lambda stack, mask: np.where(mask, np.int8(0), stack),
}


@dataclass(frozen=True)
class Plan:
    """How a step runs batched: its outer primitive and, per non-grid argument, a literal or a call.

    ``kernel`` is the outer primitive's batched kernel (or its masked write, when ``mask``
    gives the position of its object argument) when its first argument is the state, or
    None when it reads no grid (its output depends on the argument values only). ``safe``
    holds, per scalar argument, the values the kernel is tested on.
    """

    prim: Primitive
    kernel: Callable[..., Any] | None
    args: tuple[Expr, ...]
    safe: tuple[frozenset, ...]
    mask: int | None = None

    @property
    def scalars(self) -> tuple[Expr, ...]:
        return tuple(a for i, a in enumerate(self.args) if i != self.mask)


def plan_for(step: Step, table: Mapping[str, Primitive]) -> Plan | None:
    """The batched plan for a step with at least one computed argument, else None."""
    expr, prim = step.expr, table.get(step.expr.name)
    if step.primitive is not None or prim is None or prim.ret is not T.GRID:
        return None
    on_state = bool(prim.args) and prim.args[0] is T.GRID and expr.args[0] == INPUT
    mask = None
    if on_state and expr.name in MASK_KERNELS:
        kernel, args, first = MASK_KERNELS[expr.name], expr.args[1:], 1
        mask = next((i for i, kind in enumerate(prim.args[1:]) if kind is T.OBJECT), None)
        if mask is None or not _of_state(args[mask]):
            return None
    elif on_state and expr.name in KERNELS:
        kernel, args, first = KERNELS[expr.name], expr.args[1:], 1
    elif all(kind in LITERAL_TYPES for kind in prim.args):
        kernel, args, first = None, expr.args, 0
    else:
        return None
    scalars = [a for i, a in enumerate(args) if i != mask]
    if not all(_scalar(a, table) for a in scalars) or not any(isinstance(a, Call) for a in args):
        return None
    colours = tuple(range(NUM_COLORS))
    safe = tuple(
        frozenset(registry.literal_domain(prim, first + i, colours)) for i in range(len(args)) if i != mask
    )
    return Plan(prim, kernel, tuple(args), safe, mask)


def _of_state(arg: Expr) -> bool:
    """A call computed from the state alone (never the task's input)."""
    return isinstance(arg, Call) and all(node != ORIGINAL for node in subexpressions(arg))


def _scalar(arg: Expr, table: Mapping[str, Primitive]) -> bool:
    """A literal, or a call of the state alone that returns a colour, count or flag."""
    return isinstance(arg, Literal) or (_of_state(arg) and table[arg.name].ret in LITERAL_TYPES)


class ArgumentValues:
    """Per stack of grids, the values of computed arguments (and picked objects), found once.

    A call of a primitive with a scalar kernel (:mod:`solvers.kernels_scalar`) on the state
    runs once over the stack; any other is evaluated grid by grid, inner calls shared.
    Stacks are known by identity (the search's batches are read-only and live through a
    job); a few recent ones are kept, so every step of a batch shares the values.
    """

    def __init__(self, table: Mapping[str, Primitive]) -> None:
        self.table = table
        self._stacks: OrderedDict[int, _Known] = OrderedDict()
        self._masks: OrderedDict[tuple[int, Call], tuple[np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()

    def of(self, stack: np.ndarray, expr: Call) -> np.ndarray:
        """``expr``'s value on every grid of ``stack`` as int64, :data:`NO_VALUE` where it fails."""
        known = self._known(stack)
        if expr not in known.values:
            found = _batched(stack, expr)
            known.values[expr] = found if found is not None else self._per_grid(known, expr)
        return known.values[expr]

    def _known(self, stack: np.ndarray) -> _Known:
        known = self._stacks.get(id(stack))
        if known is None or known.stack is not stack:
            known = self._stacks[id(stack)] = _Known(stack)
            while len(self._stacks) > CACHED_STACKS:
                self._stacks.popitem(last=False)
        else:
            self._stacks.move_to_end(id(stack))
        return known

    def masks(self, stack: np.ndarray, expr: Call) -> tuple[np.ndarray, np.ndarray]:
        """The cells of the object ``expr`` picks in every grid of ``stack``: ``(masks, valid)``.

        Masks take a stack's worth of memory each, so only the last few are kept: the steps
        that share an object are neighbours in the step list.
        """
        key = (id(stack), expr)
        found = self._masks.get(key)
        if found is not None and found[0] is stack:
            self._masks.move_to_end(key)
        else:
            objects = self._evaluated(self._known(stack), expr)
            masks = np.zeros(stack.shape, dtype=bool)
            for k, obj in enumerate(objects):
                if obj is not None:
                    masks[k, obj.top : obj.top + obj.height, obj.left : obj.left + obj.width] = obj.patch >= 0
            found = self._masks[key] = (stack, masks, np.array([o is not None for o in objects], dtype=bool))
            while len(self._masks) > CACHED_MASKS:
                self._masks.popitem(last=False)
        return found[1], found[2]

    def _per_grid(self, known: _Known, expr: Call) -> np.ndarray:
        found = self._evaluated(known, expr)
        return np.array([NO_VALUE if v is None else int(v) for v in found], dtype=np.int64)

    def _evaluated(self, known: _Known, expr: Call) -> list[Any]:
        if known.memos is None:
            known.memos = [{} for _ in range(len(known.stack))]
        return [evaluate(expr, g, self.table, memo) for g, memo in zip(known.stack, known.memos, strict=True)]


@dataclass
class _Known:
    """What is known of one stack: argument values, and per grid the inner calls' values."""

    stack: np.ndarray
    values: dict[Call, np.ndarray] = field(default_factory=dict)
    memos: list[dict] | None = None


def _batched(stack: np.ndarray, expr: Call) -> np.ndarray | None:
    """``expr`` through its scalar kernel, if it has one and reads the state with literals only."""
    kernel = SCALAR_KERNELS.get(expr.name)
    rest = expr.args[1:]
    if (
        kernel is None
        or not expr.args
        or expr.args[0] != INPUT
        or not all(isinstance(a, Literal) for a in rest)
    ):
        return None
    values, valid = kernel(stack, *(a.value for a in rest))
    return values if valid is None else np.where(valid, values, NO_VALUE)


def run(plan: Plan, stack: np.ndarray, values: ArgumentValues) -> tuple[np.ndarray, list[np.ndarray]]:
    """The step on every grid of ``stack``: (per row the index of its output shape, -1 for
    no result; per shape, a stack with a grid for every row of that shape)."""
    n = len(stack)
    columns = [
        np.full(n, a.value, np.int64) if isinstance(a, Literal) else values.of(stack, a) for a in plan.scalars
    ]
    table = np.stack(columns, axis=1) if columns else np.zeros((n, 0), np.int64)
    usable = (table != NO_VALUE).all(axis=1)
    masks = None
    if plan.mask is not None:
        masks, found = values.masks(stack, plan.args[plan.mask])
        usable &= found
    if usable.all() and (table == table[0]).all():
        parts = [_group(plan, stack, masks, np.arange(n), table[0])]  # one group: the whole stack, as is
    else:
        rows_of = np.flatnonzero(usable)
        keys, inverse = np.unique(table[rows_of], axis=0, return_inverse=True)
        parts = [_group(plan, stack, masks, rows_of[inverse.ravel() == g], keys[g]) for g in range(len(keys))]
    return _by_shape(n, [p for found in parts for p in found])


def _group(
    plan: Plan, stack: np.ndarray, masks: np.ndarray | None, rows: np.ndarray, key: np.ndarray
) -> list[Part]:
    """The step on the rows whose arguments take the values ``key``: the parts with a result."""
    literals = [
        bool(v) if kind is T.BOOL else int(v) for v, kind in zip(key.tolist(), _kinds(plan), strict=True)
    ]
    if plan.kernel is None:
        out = _call(plan.prim, literals)
        return [] if out is None else [(rows, np.repeat(np.asarray(out)[None], len(rows), axis=0))]
    whole = len(rows) == len(stack)
    grids = stack if whole else stack[rows]
    if masks is not None:
        return [(rows, plan.kernel(grids, masks if whole else masks[rows], *literals))]
    if all(v in safe for v, safe in zip(literals, plan.safe, strict=True)):
        out, ok = plan.kernel(grids, *literals)
        return [(rows, out)] if ok is None else [(rows[ok], out[ok])] if ok.any() else []
    found = [(row, _call(plan.prim, [grid, *literals])) for row, grid in zip(rows, grids, strict=True)]
    return [(np.array([row]), np.asarray(out)[None]) for row, out in found if out is not None]


def _kinds(plan: Plan) -> tuple[T, ...]:
    """The types of the scalar arguments, in order."""
    kinds = plan.prim.args[1:] if plan.kernel is not None else plan.prim.args
    return tuple(kind for i, kind in enumerate(kinds) if i != plan.mask)


def _call(prim: Primitive, values: Sequence[Any]) -> Any:
    try:
        return prim.fn(*values)
    except Exception:  # noqa: BLE001 - as in steps.evaluate: a primitive bug costs this candidate only
        return None


def _by_shape(n: int, parts: list[Part]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Parts scattered into one full stack per output shape (the caller orders the shapes)."""
    shape_of = np.full(n, -1, dtype=np.intp)
    if len(parts) == 1 and len(parts[0][0]) == n:
        shape_of[:] = 0
        return shape_of, [parts[0][1]]
    shapes: dict[tuple[int, ...], int] = {}
    stacks: list[np.ndarray] = []
    for rows, out in parts:
        if out.shape[1:] not in shapes:
            shapes[out.shape[1:]] = len(stacks)
            stacks.append(np.zeros((n, *out.shape[1:]), dtype=np.int8))
        index = shapes[out.shape[1:]]
        stacks[index][rows] = out
        shape_of[rows] = index
    return shape_of, stacks
