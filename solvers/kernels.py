"""Batched numpy kernels: search-facing DSL primitives applied to a stack of equal-shape grids.

The search holds many states whose grids share a shape, and most primitives cost only a
few microseconds of numpy work per grid, so per-call overhead dominates when they run one
grid at a time. A kernel runs one primitive over a whole ``(K, H, W)`` stack in a handful
of numpy calls, paying that overhead once per stack instead of once per grid.

Contract, for the primitive ``name`` registered with ``@kernel(name)``:

- ``k(batch, *literals)``: ``batch`` an int8 array ``(K, H, W)``, K >= 1, every grid
  valid; ``literals`` the primitive's literal arguments in order. ``batch`` is never
  written to (it may be read-only).
- It returns ``(out, valid)``: ``out`` int8 ``(K, H2, W2)``, one output shape for the
  whole stack; ``valid`` None when every item has a result, else a bool ``(K,)`` array
  (the content of ``out`` at invalid items means nothing). When the primitive has no
  result for any grid of this shape, ``out`` is ``(K, 1, 1)`` zeros and ``valid`` all False.
- ``out`` may share memory with ``batch``, as DSL grids may share memory with their input.
- Item by item it equals the primitive, ``NO_RESULT`` cases included (a differential test
  checks this). Only primitives whose output shape follows from the input shape and the
  literals get a kernel, and only where numpy vectorises over the stack with no Python
  loop over its items; :data:`NO_KERNEL` says why the other search-facing ones have none.

This module holds the table, the helpers the kernel modules share and the geometry kernels;
:data:`KERNEL_MODULES` hold the rest and are imported at the end, so importing this module
registers every kernel.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

import numpy as np

from dsl import registry
from dsl.grid import NUM_COLORS
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T

__all__ = [
    "KERNELS",
    "KERNEL_MODULES",
    "NO_KERNEL",
    "and_not",
    "Kernel",
    "Result",
    "check_kernels",
    "color_counts",
    "is_search_facing",
    "kernel",
    "no_result",
    "nor",
    "register_in",
    "swap_rc",
]

Result = tuple[np.ndarray, np.ndarray | None]


class Kernel(Protocol):
    """A primitive batched over a stack of equal-shape grids (the contract above)."""

    def __call__(self, batch: np.ndarray, *literals: int | bool) -> Result:
        """The primitive applied to every grid of ``batch``: ``(out, valid)``."""
        ...


KERNELS: dict[str, Kernel] = {}

# Modules registering the other kernels: sizing and tiling; colour and masks; lines and gravity;
# objects (connected components); symmetry and period repairs.
KERNEL_MODULES = (
    "solvers.kernels_sizing",
    "solvers.kernels_colour",
    "solvers.kernels_lines",
    "solvers.kernels_objects",
    "solvers.kernels_patterns",
)

# Search-facing primitives with no kernel here, by reason. The crops and patches among them
# (output cut to a box found from the cells) run batched all the same, through the box
# kernels of :mod:`solvers.kernels_crops`; the rest run grid by grid.
_CONTENT_SHAPE = "output shape depends on the grid's content"
_COMPONENTS = "crops to a chosen object: output shape depends on the grid's content"
NO_KERNEL: dict[str, str] = {
    **dict.fromkeys(
        (
            "crop_to_content",
            "crop_to_content_majority",
            "crop_to_color",
            "dedupe_rows",
            "dedupe_cols",
            "remove_empty_lines",
            "downscale_blocks",
            "palette_column",
            "periodic_tile",
            "symmetry_blank_patch",
            "periodic_blank_patch",
        ),
        _CONTENT_SHAPE,
    ),
    **dict.fromkeys(
        (
            "crop_to_largest_object",
            "crop_to_smallest_object",
            "crop_to_unique_color_object",
            "crop_to_unique_shape_object",
        ),
        _COMPONENTS,
    ),
}


def is_search_facing(prim: Primitive) -> bool:
    """Whether ``prim`` maps a grid and literal arguments to a grid (a batchable step)."""
    literals = set(prim.args[1:]) <= LITERAL_TYPES
    return prim.ret is T.GRID and bool(prim.args) and prim.args[0] is T.GRID and literals


def _problem(name: str, fn: Callable[..., Result]) -> str | None:
    """Why ``fn`` cannot be the kernel of primitive ``name``, or None if it can."""
    table = registry.primitives()
    if name not in table:
        return f"{name!r} is not a registered primitive"
    prim = table[name]
    if not is_search_facing(prim):
        return f"{name!r} is not search-facing: {prim.signature}"
    if len(inspect.signature(fn).parameters) != len(prim.args):
        return f"kernel {name!r} takes a different number of arguments than {prim.signature}"
    return None


def kernel(name: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Register a function as the batched kernel of the primitive ``name``."""
    return register_in(KERNELS, "kernel", name)


Fn = TypeVar("Fn", bound=Callable)


def register_in(table: dict[str, Fn], kind: str, name: str) -> Callable[[Fn], Fn]:
    """A decorator putting a function in ``table`` under primitive ``name``; a taken name raises."""

    def register(fn: Fn) -> Fn:
        if name in table:
            raise ValueError(f"{kind} {name!r} is registered twice")
        table[name] = fn
        return fn

    return register


def check_kernels() -> None:
    """Raise ValueError unless every kernel belongs to a registered search-facing primitive.

    Run by the test suite rather than at each registration, which only refuses a taken
    name: importing the kernels then never has to load the whole primitive table.
    """
    problems = [p for name, fn in KERNELS.items() if (p := _problem(name, fn)) is not None]
    problems += [f"{name!r} has a kernel and a NO_KERNEL reason" for name in NO_KERNEL if name in KERNELS]
    if problems:
        raise ValueError("bad kernels: " + "; ".join(problems))


# --- shared helpers -----------------------------------------------------------------


Found = TypeVar("Found", bound=tuple)


class StackCache:
    """Values computed from a read-only stack, reused while the same stack comes back.

    The search applies dozens of steps (every colour, rule, direction, conn) to one batch
    in a row, and many share work on it (views, labellings). Entries hold the stack
    itself, so its id cannot be reused by another array while the entry lives; a writable
    stack could change under the cache and is never cached.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[tuple[int, Hashable], tuple[np.ndarray, tuple]] = {}

    def get(self, batch: np.ndarray, key: Hashable, build: Callable[[np.ndarray], Found]) -> Found:
        """``build(batch)``, from the cache when this stack was seen under ``key``."""
        hit = self.entries.get((id(batch), key))
        if hit is not None and hit[0] is batch and not batch.flags.writeable:
            return hit[1]
        found = build(batch)
        if not batch.flags.writeable:
            for arr in found:
                if isinstance(arr, np.ndarray):
                    arr.setflags(write=False)  # shared between steps
            if len(self.entries) >= self.size:
                del self.entries[next(iter(self.entries))]
            self.entries[(id(batch), key)] = (batch, found)
        return found


def no_result(batch: np.ndarray) -> Result:
    """The answer for a shape on which the primitive never has a result."""
    return np.zeros((len(batch), 1, 1), dtype=np.int8), np.zeros(len(batch), dtype=bool)


def nor(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where both masks are false."""
    return ~(a | b)


def and_not(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where the first mask holds and the second does not."""
    return a & ~b


def swap_rc(batch: np.ndarray) -> np.ndarray:
    """Every grid of the stack transposed (a view)."""
    return batch.transpose(0, 2, 1)


def color_counts(batch: np.ndarray) -> np.ndarray:
    """Cells per colour for every grid, shape (K, 10)."""
    k = len(batch)
    # One bincount over the stack: offsetting each grid by 10 * its index keeps counts apart.
    keys = batch.reshape(k, -1) + (NUM_COLORS * np.arange(k))[:, None]
    return np.bincount(keys.ravel(), minlength=NUM_COLORS * k).reshape(k, NUM_COLORS)


# --- geometry: the square group --------------------------------------------------------


@kernel("rot90")
def rot90(batch: np.ndarray) -> Result:
    """Batched rot90."""
    return swap_rc(batch[:, :, ::-1]), None


@kernel("rot180")
def rot180(batch: np.ndarray) -> Result:
    """Batched rot180."""
    return batch[:, ::-1, ::-1], None


@kernel("rot270")
def rot270(batch: np.ndarray) -> Result:
    """Batched rot270."""
    return swap_rc(batch[:, ::-1]), None


@kernel("flip_horizontal")
def flip_horizontal(batch: np.ndarray) -> Result:
    """Batched flip_horizontal."""
    return batch[:, :, ::-1], None


@kernel("flip_vertical")
def flip_vertical(batch: np.ndarray) -> Result:
    """Batched flip_vertical."""
    return batch[:, ::-1], None


@kernel("transpose")
def transpose(batch: np.ndarray) -> Result:
    """Batched transpose."""
    return swap_rc(batch), None


@kernel("antitranspose")
def antitranspose(batch: np.ndarray) -> Result:
    """Batched antitranspose."""
    return swap_rc(batch[:, ::-1, ::-1]), None


# --- geometry: shifts and rolls --------------------------------------------------------


def _shifted(batch: np.ndarray, dr: int, dc: int) -> Result:
    """Every grid moved by (dr, dc) cells, cells moved in from outside set to 0."""
    _, h, w = batch.shape
    out = np.zeros_like(batch)
    out[:, max(dr, 0) : h + min(dr, 0), max(dc, 0) : w + min(dc, 0)] = batch[
        :, max(-dr, 0) : h + min(-dr, 0), max(-dc, 0) : w + min(-dc, 0)
    ]
    return out, None


@kernel("shift_up")
def shift_up(batch: np.ndarray) -> Result:
    """Batched shift_up."""
    return _shifted(batch, -1, 0)


@kernel("shift_down")
def shift_down(batch: np.ndarray) -> Result:
    """Batched shift_down."""
    return _shifted(batch, 1, 0)


@kernel("shift_left")
def shift_left(batch: np.ndarray) -> Result:
    """Batched shift_left."""
    return _shifted(batch, 0, -1)


@kernel("shift_right")
def shift_right(batch: np.ndarray) -> Result:
    """Batched shift_right."""
    return _shifted(batch, 0, 1)


def _rolled(batch: np.ndarray, k: int, axis: int) -> Result:
    """Every grid rolled by k along ``axis`` (1: rows, 2: columns) with wrap-around."""
    k %= batch.shape[axis]
    if not k:
        return batch, None
    head = batch[:, -k:] if axis == 1 else batch[:, :, -k:]
    tail = batch[:, :-k] if axis == 1 else batch[:, :, :-k]
    return np.concatenate((head, tail), axis=axis), None


@kernel("roll_down")
def roll_down(batch: np.ndarray, k: int) -> Result:
    """Batched roll_down."""
    return _rolled(batch, k, 1)


@kernel("roll_right")
def roll_right(batch: np.ndarray, k: int) -> Result:
    """Batched roll_right."""
    return _rolled(batch, k, 2)


# --- geometry: one half mirrored onto the other ----------------------------------------


def _reflect_rows(batch: np.ndarray, from_top: bool) -> Result:
    """Overwrite one half of the rows with the mirror image of the other half."""
    h = batch.shape[1]
    if h < 2:
        return no_result(batch)
    out = batch.copy()
    half = h // 2
    if from_top:
        out[:, h - half :] = batch[:, half - 1 :: -1]
    else:
        out[:, :half] = batch[:, : h - half - 1 : -1]
    return out, None


@kernel("reflect_top_half")
def reflect_top_half(batch: np.ndarray) -> Result:
    """Batched reflect_top_half."""
    return _reflect_rows(batch, from_top=True)


@kernel("reflect_bottom_half")
def reflect_bottom_half(batch: np.ndarray) -> Result:
    """Batched reflect_bottom_half."""
    return _reflect_rows(batch, from_top=False)


@kernel("reflect_left_half")
def reflect_left_half(batch: np.ndarray) -> Result:
    """Batched reflect_left_half."""
    out, valid = _reflect_rows(swap_rc(batch), from_top=True)
    return swap_rc(out), valid


@kernel("reflect_right_half")
def reflect_right_half(batch: np.ndarray) -> Result:
    """Batched reflect_right_half."""
    out, valid = _reflect_rows(swap_rc(batch), from_top=False)
    return swap_rc(out), valid


@kernel("symmetrize_half")
def symmetrize_half(batch: np.ndarray, side: int) -> Result:
    """Batched symmetrize_half (patterns): mirror one half onto the other, middle line kept."""
    if side not in (0, 1, 2, 3):
        return no_result(batch)
    src = batch if side in (2, 3) else swap_rc(batch)
    if side in (1, 3):
        src = src[:, ::-1]
    h = src.shape[1]
    out = np.concatenate((src[:, : (h + 1) // 2], src[:, : h // 2][:, ::-1]), axis=1)
    if side in (1, 3):
        out = out[:, ::-1]
    return (out if side in (2, 3) else swap_rc(out)), None


def _load_modules() -> None:
    """Import the other kernel modules so that their kernels register."""
    # Called at the end of this module, once ``kernel`` and the helpers they import exist.
    for module in KERNEL_MODULES:
        importlib.import_module(module)


_load_modules()
