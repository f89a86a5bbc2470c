"""Batched kernels for two-grid steps: a primitive on the state and the task's input.

Steps such as ``mask_and(I, original_input(), 3)`` combine every state with the task's
input of the same example. The input is one grid per example, so a kernel sees the
state stack ``(K, H, W)`` and the input broadcast as ``(1, H, W)``: one numpy call per
example for the whole stack, where the per-grid path would make K calls. The contract is
that of :mod:`solvers.kernels`, with two grid operands ``a`` and ``b`` in the
primitive's argument order; either may be the broadcast input.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsl.grid import MAX_SIDE
from dsl.program import INPUT, Call, Literal
from solvers.kernels import Result, and_not, no_result, nor, register_in
from solvers.steps import ORIGINAL, Step

PairKernel = Callable[..., Result]
PAIR_KERNELS: dict[str, PairKernel] = {}


def pair_kernel(name: str) -> Callable[[PairKernel], PairKernel]:
    """Register a function as the batched kernel of the two-grid primitive ``name``."""
    return register_in(PAIR_KERNELS, "pair kernel", name)


def pair_operands(step: Step) -> tuple[str, bool, tuple] | None:
    """For a two-grid step with a pair kernel: (primitive, whether the input comes first, literals)."""
    expr = step.expr
    if not isinstance(expr, Call) or expr.name not in PAIR_KERNELS or len(expr.args) < 2:
        return None
    first, second, rest = expr.args[0], expr.args[1], expr.args[2:]
    if {first, second} != {INPUT, ORIGINAL} or not all(isinstance(a, Literal) for a in rest):
        return None
    return expr.name, first == ORIGINAL, tuple(a.value for a in rest)


def pair_runner(step: Step) -> Callable[[np.ndarray, np.ndarray], Result] | None:
    """For a two-grid step with a pair kernel, ``run(stack, original)`` on one example's stack.

    ``original`` is the task input, or a stack of one input per state (a joined batch).
    """
    operands = pair_operands(step)
    if operands is None:
        return None
    name, original_first, literals = operands
    kern = PAIR_KERNELS[name]

    def run(stack: np.ndarray, original: np.ndarray) -> Result:
        other = original if original.ndim == 3 else original[None]  # one input per state, or one for all
        a, b = (other, stack) if original_first else (stack, other)
        out, valid = kern(a, b, *literals)
        # Broadcasting may leave a single row when the stack has one state; give every state its own.
        return np.broadcast_to(out, (len(stack), *out.shape[1:])), valid

    return run


def _same_shape(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape[1:] == b.shape[1:]


def _stack_size(a: np.ndarray, b: np.ndarray) -> int:
    return max(len(a), len(b))


def _nothing(a: np.ndarray, b: np.ndarray) -> Result:
    return no_result(a if len(a) >= len(b) else b)


def _painted(mask: np.ndarray, c: int) -> Result:
    return np.where(mask, np.int8(c), np.int8(0)), None


def _masks_op(op: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> PairKernel:
    def kern(a: np.ndarray, b: np.ndarray, c: int) -> Result:
        if not _same_shape(a, b):
            return _nothing(a, b)
        return _painted(op(a != 0, b != 0), c)

    return kern


for _name, _op in {
    "mask_and": np.logical_and,
    "mask_or": np.logical_or,
    "mask_xor": np.logical_xor,
    "mask_nor": nor,
    "mask_and_not": and_not,
}.items():
    pair_kernel(_name)(_masks_op(_op))


@pair_kernel("diff_mask")
def diff_mask(a: np.ndarray, b: np.ndarray, c: int) -> Result:
    if not _same_shape(a, b):
        return _nothing(a, b)
    return _painted(a != b, c)


@pair_kernel("overlay")
def overlay(base: np.ndarray, top: np.ndarray) -> Result:
    if not _same_shape(base, top):
        return _nothing(base, top)
    return np.where(top != 0, top, base), None


@pair_kernel("keep_where")
def keep_where(grid: np.ndarray, mask: np.ndarray) -> Result:
    if not _same_shape(grid, mask):
        return _nothing(grid, mask)
    return np.where(mask != 0, grid, np.int8(0)), None


@pair_kernel("paint_where")
def paint_where(grid: np.ndarray, mask: np.ndarray, c: int) -> Result:
    if not _same_shape(grid, mask):
        return _nothing(grid, mask)
    return np.where(mask != 0, np.int8(c), grid), None


def _concat(axis: int) -> PairKernel:
    other = 3 - axis  # the side that must match: widths when stacked, heights when side by side

    def kern(a: np.ndarray, b: np.ndarray) -> Result:
        if a.shape[other] != b.shape[other] or a.shape[axis] + b.shape[axis] > MAX_SIDE:
            return _nothing(a, b)
        n = _stack_size(a, b)
        a, b = np.broadcast_to(a, (n, *a.shape[1:])), np.broadcast_to(b, (n, *b.shape[1:]))
        return np.concatenate((a, b), axis=axis), None

    return kern


pair_kernel("concat_vertical")(_concat(1))
pair_kernel("concat_horizontal")(_concat(2))
