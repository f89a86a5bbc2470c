"""Decision lists: ordered one-feature conditions that recolour cells, the rest kept or blanked.

Some tasks recolour a few cells by conditions a table on a handful of features cannot cover:
"a cell with a blue edge neighbour turns orange, one with a red corner neighbour turns
yellow". A local rule (:mod:`solvers.local_rules`) keyed on both neighbour sets meets test
cells with combinations no demonstration showed, and declines. A decision list reads one
condition at a time: the first of its literals ("feature = value -> colour") that a cell
meets gives its colour, and a cell that meets none keeps its own; or, if no such list
fits, takes the background colour (the input's most common), for tasks that draw a few
things and wipe the rest.

Literals test one feature of :mod:`solvers.cell_features` for one value, or a colour-set
feature (a cell's neighbours, its row) for holding one colour. The list is fitted greedily:
each literal, of all whose cells not yet matched want a single colour, explains the most
cells whose wanted colour is not the default; ties go to the literal that more test-input
cells meet (the more general reading), then to the one fewer demonstration cells meet.

It reproduces every demonstration by construction, so that alone proves little. The list
must also generalise between the demonstrations: fitted again to all of them but one, it
must reproduce the one left out, for each one. A list that memorises fails this, and
there is no answer. With one demonstration nothing can be checked, and nothing is fitted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Task
from dsl.colour import background_color
from solvers.cell_features import COLOUR_SET_FEATURES, NAMES, VALUE_LIMIT, feature_planes

MAX_LITERALS = 6

# Literal planes: every feature of the pool, then one plane per colour-set feature and colour
# (1 where the set holds the colour).
HAS_FEATURES = tuple((name, c) for name in COLOUR_SET_FEATURES for c in range(10))
# A cell no literal meets keeps its colour, or else (tried second) takes the background's.
DEFAULTS = ("keep", "background")


@dataclass(frozen=True)
class Literal:
    """Cells whose ``plane`` (of :func:`literal_planes`) equals ``value`` turn ``colour``."""

    plane: int
    value: int
    colour: int

    def __str__(self) -> str:
        if self.plane < len(NAMES):
            return f"{NAMES[self.plane]} = {self.value} -> {self.colour}"
        name, c = HAS_FEATURES[self.plane - len(NAMES)]
        return f"{name} {'has' if self.value else 'lacks'} {c} -> {self.colour}"


@dataclass(frozen=True)
class DecisionList:
    """A fitted list and its outputs on the test inputs."""

    literals: tuple[Literal, ...]
    default: str  # one of DEFAULTS: what a cell no literal meets becomes
    outputs: tuple[np.ndarray, ...]

    @property
    def text(self) -> str:
        return f"decision list: {'; '.join(map(str, self.literals))}; else {self.default}"


def literal_planes(grid: np.ndarray) -> np.ndarray:
    """(literal planes, cells) int64: the feature pool, then the colour-set membership bits."""
    planes = feature_planes(grid)
    bits = [(planes[NAMES.index(name)] >> c) & 1 for name, c in HAS_FEATURES]
    return np.concatenate([planes, np.stack(bits)])


def apply(literals: tuple[Literal, ...], planes: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Per cell, the colour of the first literal it meets, or its ``base`` colour."""
    out = base.copy()
    free = np.ones(out.shape, dtype=bool)
    for literal in literals:
        hit = free & (planes[literal.plane] == literal.value)
        out[hit] = literal.colour
        free &= ~hit
    return out


def base_colours(grid: np.ndarray, default: str) -> np.ndarray:
    """Per cell, the colour a cell no literal meets takes: its own, or the grid's background."""
    if default == "keep":
        return grid.ravel().astype(np.int64)
    return np.full(grid.size, background_color(grid), dtype=np.int64)


def fit(task: Task, deadline: float, max_literals: int = MAX_LITERALS) -> DecisionList | None:
    """The first list, keeping unmet cells or else blanking them, that passes leave-one-out.

    None past ``deadline`` (``time.time()``), for outputs of other sizes than their inputs,
    and for a task with one demonstration.
    """
    train = task.train
    if len(train) < 2 or any(p.input.shape != p.output.shape for p in train):
        return None
    demos = [literal_planes(p.input) for p in train]
    targets = [p.output.ravel().astype(np.int64) for p in train]
    tests = [literal_planes(p.input) for p in task.test]
    for default in DEFAULTS:
        bases = [base_colours(p.input, default) for p in train]
        literals = _checked(demos, bases, targets, tests, max_literals, deadline)
        if literals is not None:
            outputs = tuple(
                apply(literals, planes, base_colours(p.input, default)).reshape(p.input.shape).astype(np.int8)
                for planes, p in zip(tests, task.test, strict=True)
            )
            return DecisionList(literals, default, outputs)
    return None


def _checked(
    demos: list[np.ndarray],
    bases: list[np.ndarray],
    targets: list[np.ndarray],
    tests: list[np.ndarray],
    max_literals: int,
    deadline: float,
) -> tuple[Literal, ...] | None:
    """The greedy list of all demonstrations, if each one left out is reproduced by the list
    of the others."""
    literals = greedy(demos, bases, targets, np.concatenate(tests, axis=1), max_literals, deadline)
    if literals is None:
        return None
    for i in range(len(demos)):
        rest = [k for k in range(len(demos)) if k != i]
        pick = [demos[k] for k in rest], [bases[k] for k in rest], [targets[k] for k in rest]
        held_out = greedy(*pick, demos[i], max_literals, deadline)
        if held_out is None or not np.array_equal(apply(held_out, demos[i], bases[i]), targets[i]):
            return None
    return literals


def greedy(
    demos: list[np.ndarray],
    bases: list[np.ndarray],
    targets: list[np.ndarray],
    tests: np.ndarray,
    max_literals: int,
    deadline: float,
) -> tuple[Literal, ...] | None:
    """Literals until every demonstration cell that wants other than its base colour is
    explained, or None if that cannot be done.

    ``tests``: the literal planes of the inputs whose cells break ties (more met first).
    """
    planes = np.concatenate(demos, axis=1)
    # how many test cells take each value of each plane: the same for every literal chosen
    test_counts = np.stack([np.bincount(values, minlength=VALUE_LIMIT) for values in tests])
    base = np.concatenate(bases)
    wanted = np.concatenate(targets)
    remaining = np.ones(len(wanted), dtype=bool)
    literals: list[Literal] = []
    while (remaining & (wanted != base)).any():
        if len(literals) == max_literals or time.time() > deadline:
            return None
        best = _best_literal(planes[:, remaining], base[remaining], wanted[remaining], test_counts)
        if best is None:
            return None
        literals.append(best)
        remaining &= planes[best.plane] != best.value
    return tuple(literals) or None


def _best_literal(
    planes: np.ndarray, base: np.ndarray, wanted: np.ndarray, test_counts: np.ndarray
) -> Literal | None:
    """Of the literals whose cells all want one colour, the one that explains the most cells
    wanting other than their base colour."""
    changed = wanted != base
    best: tuple[tuple[int, int, int], Literal] | None = None
    for plane, values in enumerate(planes):
        distinct, which = np.unique(values, return_inverse=True)
        colours_per_value = np.bincount(np.unique(which * 16 + wanted) // 16, minlength=len(distinct))
        n_changed = np.bincount(which, weights=changed, minlength=len(distinct)).astype(np.int64)
        n_cells = np.bincount(which, minlength=len(distinct))
        n_tests = test_counts[plane, distinct]
        usable = np.flatnonzero((colours_per_value == 1) & (n_changed > 0))
        if len(usable) == 0:
            continue
        # lexsort's last key leads: most changed, then most test cells, then fewest cells
        k = usable[np.lexsort((n_cells[usable], -n_tests[usable], -n_changed[usable]))[0]]
        score = (int(n_changed[k]), int(n_tests[k]), -int(n_cells[k]))
        if best is None or score > best[0]:
            colour = int(wanted[np.argmax(which == k)])
            best = (score, Literal(plane, int(distinct[k]), colour))
    return best[1] if best else None
