"""Local rules: each output cell read off a few features of its input cell, fitted from the demonstrations.

Many tasks whose outputs have their inputs' sizes recolour or draw by a rule each cell can
read from its surroundings: "a background cell between two red cells of its row turns
red", "an object's cells take the colour of its hole count". A local rule is a choice of
at most three features from :mod:`solvers.cell_features`, or four of which one is the
cell's colour, and a table from their values to an output colour, built from every cell of
every demonstration.

Both conditions keep it exact, like every other fit of the search:
- it fits only when the table is a function: no two demonstration cells with the same
  feature values want different colours;
- it answers only when every test cell's values appear in the table: nothing is guessed.

Fewer features come first (a rule on one feature is tried before any on two), and among
rules on as many features, the smaller table. A rule ranks as a program of one call per
feature, with one chosen constant per table entry: a program as cheap with fewer
constants comes first.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Task
from solvers.cell_features import NAMES, VALUE_LIMIT, feature_planes

MAX_FEATURES = 4
# Up to this many features any subset of the pool is tried; beyond, only subsets holding
# the cell's colour: all four-feature subsets would take seven times as long, and the
# colour is the feature that the rules answering training tasks read most often.
FREE_FEATURES = 3
# Bits per packed feature value (VALUE_LIMIT is a power of two) and per colour in a key.
_FEATURE_BITS = VALUE_LIMIT.bit_length() - 1
_COLOUR_BITS = 4


@dataclass(frozen=True)
class LocalRule:
    """A fitted rule and its outputs on the test inputs."""

    features: tuple[str, ...]
    cases: int  # entries of its table
    outputs: tuple[np.ndarray, ...]

    @property
    def text(self) -> str:
        return f"local rule on {', '.join(self.features)} ({self.cases} cases)"


def applicable(task: Task) -> bool:
    """Whether every demonstration output has its input's size (a local rule keeps sizes)."""
    return all(p.input.shape == p.output.shape for p in task.train)


def fit(task: Task, deadline: float, limit: int = 2, max_features: int = MAX_FEATURES) -> list[LocalRule]:
    """Up to ``limit`` rules with distinct test outputs, on the fewest features that give any.

    Stops at ``deadline`` (``time.time()``) with the rules found so far.
    """
    if not applicable(task):
        return []
    train = np.concatenate([feature_planes(p.input) for p in task.train], axis=1)
    targets = np.concatenate([p.output.ravel() for p in task.train]).astype(np.int64)
    first = task.train[0].input.size  # the first demonstration's cells lead ``train``
    tests = [feature_planes(p.input) for p in task.test]
    for size in range(1, max_features + 1):
        found = []
        for chosen in _subsets(size):
            if time.time() > deadline:
                return _distinct(found, limit)
            rule = _fit_one(chosen, train, targets, first, tests, [p.input.shape for p in task.test])
            if rule is not None:
                found.append(rule)
        if found:
            return _distinct(found, limit)
    return []


def _subsets(size: int) -> Iterator[tuple[int, ...]]:
    """Feature subsets of ``size`` in pool order; past FREE_FEATURES, those with the colour."""
    if size <= FREE_FEATURES:
        return itertools.combinations(range(len(NAMES)), size)
    colour = NAMES.index("colour")
    others = [i for i in range(len(NAMES)) if i != colour]
    return (tuple(sorted((colour, *rest))) for rest in itertools.combinations(others, size - 1))


def _table(keys: np.ndarray, colours: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Sorted distinct keys and the colour each wants, or None if a key wants two colours."""
    pairs = np.unique((keys << _COLOUR_BITS) | colours)
    keys, colours = pairs >> _COLOUR_BITS, pairs & ((1 << _COLOUR_BITS) - 1)
    if (keys[1:] == keys[:-1]).any():  # sorted: a key twice means two colours for it
        return None
    return keys, colours


def _pack(planes: np.ndarray, chosen: tuple[int, ...]) -> np.ndarray:
    """One integer key per cell from the chosen features' values."""
    keys = np.zeros(planes.shape[1], dtype=np.int64)
    for k, index in enumerate(chosen):
        keys |= planes[index] << (_FEATURE_BITS * k)
    return keys


def _fit_one(
    chosen: tuple[int, ...],
    train: np.ndarray,
    targets: np.ndarray,
    first: int,
    tests: list[np.ndarray],
    test_shapes: list[tuple[int, ...]],
) -> LocalRule | None:
    """The rule on the ``chosen`` features, if its table is a function covering every test cell.

    Most subsets already fail on the ``first`` cells (one demonstration's): a table of
    those alone is checked first, which is several times cheaper than the whole one.
    """
    packed = _pack(train, chosen)
    if first < len(packed) and _table(packed[:first], targets[:first]) is None:
        return None
    table = _table(packed, targets)
    if table is None:
        return None
    keys, colours = table
    outputs = []
    for planes, shape in zip(tests, test_shapes, strict=True):
        wanted = _pack(planes, chosen)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        if (keys[at] != wanted).any():
            return None  # a test cell the demonstrations say nothing about
        outputs.append(colours[at].astype(np.int8).reshape(shape))
    return LocalRule(tuple(NAMES[i] for i in chosen), len(keys), tuple(outputs))


def _distinct(rules: list[LocalRule], limit: int) -> list[LocalRule]:
    """The smallest tables first, each set of test outputs once, at most ``limit``."""
    chosen: list[LocalRule] = []
    seen: set[tuple] = set()
    for rule in sorted(rules, key=lambda r: r.cases):  # stable: feature order on ties
        key = tuple((o.shape, o.tobytes()) for o in rule.outputs)
        if key not in seen and len(chosen) < limit:
            seen.add(key)
            chosen.append(rule)
    return chosen
