"""Tasks, pairs and the one grid type, validated once at the boundary.

A grid is a read-only 2-D ``int8`` numpy array with values 0-9 and a shape
between 1x1 and 30x30. Everything past :func:`as_grid` may rely on that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_SIDE = 30
NUM_COLORS = 10

Grid = np.ndarray
"""A read-only 2-D int8 array, values 0-9, shape 1x1 to 30x30."""


class GridError(ValueError):
    """A value that is not a valid ARC grid; the message says why."""


class TaskError(ValueError):
    """A task that is malformed; the message names its source and the problem."""


def grid_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid grid, or None when it is one."""
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype.kind not in "iu":  # bool is not a colour
            return f"dtype {arr.dtype} is not an integer type"
    else:
        if not isinstance(value, Sequence) or isinstance(value, str | bytes):
            return f"expected a list of rows, got {type(value).__name__}"
        if not value:
            return "grid has no rows"
        widths = set()
        for row in value:
            if not isinstance(row, Sequence) or isinstance(row, str | bytes):
                return f"expected rows to be lists, got {type(row).__name__}"
            widths.add(len(row))
            for cell in row:
                # bool is an int subclass; a grid of True/False is a mistake, not colours
                if isinstance(cell, bool) or not isinstance(cell, int | np.integer):
                    return f"cell {cell!r} is not an integer"
        if len(widths) > 1:
            return f"rows have different lengths {sorted(widths)} (grid is not rectangular)"
        arr = np.asarray(value, dtype=np.int64)
    if arr.ndim != 2:
        return f"expected 2 dimensions, got {arr.ndim}"
    h, w = arr.shape
    if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        return f"shape {h}x{w} is outside 1x1..{MAX_SIDE}x{MAX_SIDE}"
    if arr.size and (arr.min() < 0 or arr.max() >= NUM_COLORS):
        return f"values must be 0-9, found {int(arr.min())}..{int(arr.max())}"
    return None


def as_grid(value: Any) -> Grid:
    """Validate ``value`` and return it as a read-only int8 grid.

    >>> as_grid([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    problem = grid_problem(value)
    if problem is not None:
        raise GridError(problem)
    grid = np.array(value, dtype=np.int8)  # always a copy: callers keep their own array
    grid.setflags(write=False)
    return grid


@dataclass(frozen=True, eq=False)
class Pair:
    """One demonstration or test pair; ``output`` is None in a public view."""

    input: Grid
    output: Grid | None


@dataclass(frozen=True, eq=False)
class Task:
    """An ARC task. ``split`` is ``training``, ``evaluation`` or a custom name."""

    id: str
    train: tuple[Pair, ...]
    test: tuple[Pair, ...]
    split: str = "evaluation"

    def public(self) -> Task:
        """The view a solver gets: the same task with every test output removed."""
        test = tuple(Pair(pair.input, None) for pair in self.test)
        return Task(self.id, self.train, test, self.split)

    @property
    def test_outputs(self) -> tuple[Grid, ...]:
        outputs = tuple(pair.output for pair in self.test)
        if any(out is None for out in outputs):
            raise TaskError(f"task {self.id}: test outputs are not available in a public view")
        return outputs  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        """The ARC JSON form (test outputs included where present)."""

        def pair_json(pair: Pair) -> dict[str, Any]:
            out: dict[str, Any] = {"input": pair.input.tolist()}
            if pair.output is not None:
                out["output"] = pair.output.tolist()
            return out

        return {
            "train": [pair_json(p) for p in self.train],
            "test": [pair_json(p) for p in self.test],
        }


def _pair_from_json(raw: Any, where: str, need_output: bool) -> Pair:
    if not isinstance(raw, Mapping):
        raise TaskError(f"{where}: expected an object with 'input' and 'output'")
    if "input" not in raw:
        raise TaskError(f"{where}: missing key 'input'")
    if need_output and "output" not in raw:
        raise TaskError(f"{where}: missing key 'output'")
    grids = []
    for key in ("input", "output"):
        if key not in raw:
            grids.append(None)
            continue
        problem = grid_problem(raw[key])
        if problem is not None:
            raise TaskError(f"{where}.{key}: {problem}")
        grids.append(as_grid(raw[key]))
    return Pair(grids[0], grids[1])


def task_from_json(
    raw: Any, task_id: str, source: str, split: str = "evaluation", need_test_outputs: bool = True
) -> Task:
    """Build a validated :class:`Task` from ARC JSON; errors name ``source`` and the task."""
    where = f"{source}: task {task_id}"
    if not isinstance(raw, Mapping):
        raise TaskError(f"{where}: expected a JSON object with 'train' and 'test'")
    for key in ("train", "test"):
        if key not in raw:
            raise TaskError(f"{where}: missing key '{key}'")
        if not isinstance(raw[key], list) or not raw[key]:
            raise TaskError(f"{where}: '{key}' must be a non-empty list of pairs")
    train = tuple(
        _pair_from_json(p, f"{where} train[{i}]", need_output=True) for i, p in enumerate(raw["train"])
    )
    test = tuple(
        _pair_from_json(p, f"{where} test[{i}]", need_output=need_test_outputs)
        for i, p in enumerate(raw["test"])
    )
    return Task(task_id, train, test, split)
