"""Stacking partial answers: overlays of programs, each right where it shows through.

When no single program reproduces the demonstrations, the output is often what two or
three programs draw, one over another (a shape kept from the input, and lines the input
implies painted over it, say). A *layer* is a state whose demonstration grids have the
output sizes; its cells at 0 are transparent. Layers overlaid top to bottom reproduce a
demonstration exactly when every non-zero output cell is painted, and the top-most layer
painting each cell paints it right: so the top layer must be right wherever it paints,
and each layer below may be wrong only where those above it already paint. Such an
overlay is a program like any other (nested ``overlay(base, top)``), checked exactly on
every demonstration, not an approximation. As in the 2020 ARC winner's greedy stacking,
covers are built greedily: among the layers allowed next, the one painting most of what
is still unpainted goes next (the cheapest on ties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dsl.masks import overlay

Stacks = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Layer:
    node: int
    cost: float
    right: np.ndarray  # bool over every demonstration output cell: painted and equal to the output
    wrong: np.ndarray  # painted and different from the output (a cell the output leaves at 0 included)
    tests: tuple[np.ndarray, ...]  # the layer's grids on the test inputs


@dataclass(frozen=True)
class Stack:
    """A cover: layers from top to bottom, with the overlaid test outputs."""

    layers: tuple[Layer, ...]
    outputs: tuple[np.ndarray, ...]

    @property
    def cost(self) -> float:
        # One overlay call joins each further layer.
        return sum(layer.cost for layer in self.layers) + len(self.layers) - 1


def painted_cells(train: Stacks, targets: Sequence[np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """(right, wrong) painted-cell masks of the given states, demonstrations concatenated per row."""
    right, wrong = [], []
    for stack, target in zip(train, targets, strict=True):
        grids = stack[rows].reshape(len(rows), -1)
        painted, equal = grids != 0, grids == target.ravel()
        right.append(painted & equal)
        wrong.append(painted & ~equal)
    return np.concatenate(right, axis=1), np.concatenate(wrong, axis=1)


class Layers:
    """States that could serve as layers, one per distinct painting (the cheapest), capped in number.

    Tops (never wrong) and bases (wrong somewhere, but right more often than wrong) are kept
    apart, so that the many imperfect states cannot crowd out the few perfect ones.
    """

    def __init__(self, targets: Sequence[np.ndarray], capacity: int = 2000) -> None:
        self.targets = list(targets)
        self.needed = np.concatenate([(t != 0).ravel() for t in targets])
        self.capacity = capacity
        self.tops: dict[bytes, Layer] = {}
        self.bases: dict[bytes, Layer] = {}

    def add(self, train: Stacks, test: Stacks, nodes: np.ndarray, cost: float) -> None:
        """Keep the layers among a batch of states whose demonstration grids have the output sizes."""
        if not self.needed.any() or min(len(self.tops), len(self.bases)) >= self.capacity:
            return
        rows = np.arange(len(nodes))
        right, wrong = painted_cells(train, self.targets, rows)
        n_right, n_wrong = right.sum(axis=1), wrong.sum(axis=1)
        wanted = (n_right > 0) & (n_right > n_wrong)
        if len(self.tops) >= self.capacity:
            wanted &= n_wrong > 0
        if len(self.bases) >= self.capacity:
            wanted &= n_wrong == 0
        useful = np.flatnonzero(wanted)
        if not len(useful):
            return
        keys = np.packbits(np.concatenate([right[useful], wrong[useful]], axis=1), axis=1)
        for i, k in enumerate(useful.tolist()):
            kept = self.bases if n_wrong[k] else self.tops
            key = keys[i].tobytes()
            if len(kept) < self.capacity and key not in kept:
                tests = tuple(np.array(g[k]) for g in test)
                kept[key] = Layer(int(nodes[k]), cost, right[k].copy(), wrong[k].copy(), tests)

    def stacks(self, max_layers: int = 3, starts: int = 3) -> list[Stack]:
        """Greedy covers of every non-zero output cell, from each of the ``starts`` best top layers."""
        tops = sorted(self.tops.values(), key=lambda layer: layer.cost)
        layers = tops + sorted(self.bases.values(), key=lambda layer: layer.cost)
        if len(layers) < 2 or not tops:
            return []
        right = np.stack([layer.right for layer in layers])
        wrong = np.stack([layer.wrong for layer in layers])
        found: list[Stack] = []
        for first in np.argsort(-right[: len(tops)].sum(axis=1), kind="stable")[:starts].tolist():
            chosen = _greedy_cover(right, wrong, self.needed, first, max_layers)
            if chosen is not None:
                picked = tuple(layers[i] for i in chosen)
                found.append(Stack(picked, _overlay_tests(picked)))
        return found


def _greedy_cover(
    right: np.ndarray, wrong: np.ndarray, needed: np.ndarray, first: int, max_layers: int
) -> list[int] | None:
    """Layers top to bottom, from ``first``, whose overlay paints every needed cell right."""
    chosen = [first]
    painted = right[first].copy()
    while not painted[needed].all():
        if len(chosen) == max_layers:
            return None
        allowed = ~(wrong & ~painted).any(axis=1)
        gains = np.where(allowed, (right & ~painted).sum(axis=1), 0)
        best = int(np.argmax(gains))  # first of the largest: the cheapest
        if gains[best] == 0:
            return None
        chosen.append(best)
        painted |= right[best] | wrong[best]
    return chosen if len(chosen) > 1 else None


def _overlay_tests(layers: tuple[Layer, ...]) -> tuple[np.ndarray, ...]:
    """Test outputs of the overlay, the first layer on top; () where shapes disagree."""
    outputs = []
    for i in range(len(layers[0].tests)):
        out = layers[-1].tests[i]
        for layer in reversed(layers[:-1]):
            out = overlay(out, layer.tests[i])
            if out is None:
                return ()
        outputs.append(out)
    return tuple(outputs)
