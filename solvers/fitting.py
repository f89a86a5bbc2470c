"""Checking candidate states against the demonstrations, exactly, for a whole batch at once.

Two ways a state can answer a task: its demonstration grids equal the outputs cell for
cell, or they do after one colour mapping fitted from the demonstrations themselves (a
function from colours to colours, the same for every pair). Both are exact: a mapping
that fails any cell of any pair is not a fit. Colours the demonstrations never show keep
their value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NUM_COLORS = 10


def pair_matches(train: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> np.ndarray:
    """(K, pairs) bool: which demonstration grids of each state equal their output, shape included."""
    matches = np.zeros((len(train[0]), len(train)), dtype=bool)
    for e, (stack, target) in enumerate(zip(train, targets, strict=True)):
        if stack.shape[1:] == target.shape:
            matches[:, e] = (stack == target).all(axis=(1, 2))
    return matches


def sizes_match(train: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> bool:
    """Whether a batch's demonstration grids have the output sizes (one shape per batch)."""
    return all(stack.shape[1:] == target.shape for stack, target in zip(train, targets, strict=True))


def exact_fits(train: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> np.ndarray:
    """Per state, whether every demonstration grid equals its output (shape included)."""
    return pair_matches(train, targets).all(axis=1)


def color_map_fits(
    train: Sequence[np.ndarray], targets: Sequence[np.ndarray], allow_identity: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Per state, whether one colour mapping turns every demonstration grid into its output.

    Returns ``(fits, maps)``: ``maps[k]`` is a length-10 lookup table (identity where the
    demonstrations say nothing). Identity mappings are not reported as fits unless
    ``allow_identity``: those states fit exactly or not at all.
    """
    k = len(train[0])
    seen = np.zeros((k, NUM_COLORS * NUM_COLORS), dtype=bool)
    for stack, target in zip(train, targets, strict=True):
        if stack.shape[1:] != target.shape:
            return np.zeros(k, dtype=bool), np.zeros((k, NUM_COLORS), dtype=np.int8)
        codes = stack.reshape(k, -1).astype(np.intp) * NUM_COLORS + target.reshape(-1).astype(np.intp)
        seen[np.arange(k)[:, None], codes] = True
    pairs = seen.reshape(k, NUM_COLORS, NUM_COLORS)
    functional = (pairs.sum(axis=2) <= 1).all(axis=1)
    maps = np.tile(np.arange(NUM_COLORS, dtype=np.int8), (k, 1))
    has_image = pairs.any(axis=2)
    maps[has_image] = pairs.argmax(axis=2)[has_image].astype(np.int8)
    if allow_identity:
        return functional, maps
    not_identity = (maps != np.arange(NUM_COLORS)).any(axis=1)
    return functional & not_identity, maps


def apply_color_map(grid: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Recolour one grid through a length-10 lookup table."""
    return table[grid]


def describe_color_map(table: np.ndarray) -> str:
    """``1->2 3->4``: the colours a fitted mapping changes."""
    return " ".join(f"{a}->{int(b)}" for a, b in enumerate(table) if a != b)
