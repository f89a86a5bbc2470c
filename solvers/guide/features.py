"""What the guide reads of a task: padded demonstration grids and features that need no learning.

A task becomes fixed-shape arrays so one compiled network serves every task:

- ``grids`` int8 ``(MAX_PAIRS, 2, 30, 30)``: each demonstration's input and output, padded
  with :data:`PAD` outside their true sizes (the encoder sees the sizes as a mask);
- ``features`` float32 ``(MAX_PAIRS, N_FEATURES)``: per pair, shapes and size ratios,
  colour histograms and their change, colours added and removed, symmetry flags, how
  many cells changed;
- ``mask`` bool ``(MAX_PAIRS,)``: which rows are real pairs.

Only demonstration pairs are read: a guide never sees a test output, and the test inputs
carry little the demonstrations do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIZE = 30
MAX_PAIRS = 5
NUM_COLORS = 10
PAD = NUM_COLORS  # one past the last colour: one-hot encodes it as all zeros


@dataclass(frozen=True)
class TaskArrays:
    """A task's demonstrations as the network's fixed-shape inputs (see the module docstring)."""

    grids: np.ndarray
    features: np.ndarray
    mask: np.ndarray


def pad(grid: np.ndarray) -> np.ndarray:
    """``grid`` in the top-left corner of a 30x30 int8 canvas filled with :data:`PAD`."""
    canvas = np.full((SIZE, SIZE), PAD, dtype=np.int8)
    h, w = grid.shape
    canvas[:h, :w] = grid
    return canvas


def _histogram(grid: np.ndarray) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=NUM_COLORS)[:NUM_COLORS] / grid.size


def _symmetries(grid: np.ndarray) -> list[float]:
    """Mirror left-right, up-down, 180-degree turn, transpose (square grids only)."""
    square = grid.shape[0] == grid.shape[1]
    return [
        float(np.array_equal(grid, grid[:, ::-1])),
        float(np.array_equal(grid, grid[::-1])),
        float(np.array_equal(grid, grid[::-1, ::-1])),
        float(square and np.array_equal(grid, grid.T)),
    ]


def _shape_features(inp: np.ndarray, out: np.ndarray) -> list[float]:
    (hi, wi), (ho, wo) = inp.shape, out.shape
    ratios = [ho / hi, wo / wi]
    return [
        hi / SIZE,
        wi / SIZE,
        ho / SIZE,
        wo / SIZE,
        *(np.log2(r) / 5 for r in ratios),
        float(inp.shape == out.shape),
        float(inp.shape == out.shape[::-1]),
        *(float(r == int(r) and r > 1) for r in ratios),  # whole-number growth: scaling, tiling
        *(float(r < 1) for r in ratios),  # shrinking: cropping, halves
    ]


def _content_features(inp: np.ndarray, out: np.ndarray) -> list[float]:
    same_shape = inp.shape == out.shape
    changed = float((inp != out).mean()) if same_shape else 1.0
    colours_in, colours_out = set(np.unique(inp).tolist()), set(np.unique(out).tolist())
    return [
        changed,
        float(same_shape and changed == 0.0),
        float(same_shape and bool(((inp != out) <= (inp == 0)).all())),  # only background changed
        float(same_shape and bool(((inp != out) <= (out == 0)).all())),  # only erased to background
        len(colours_in) / NUM_COLORS,
        len(colours_out) / NUM_COLORS,
        float(colours_out <= colours_in),
        float(colours_in <= colours_out),
        (inp != 0).mean(),
        (out != 0).mean(),
    ]


def pair_features(inp: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The learning-free features of one demonstration pair, float32 ``(N_FEATURES,)``."""
    hist_in, hist_out = _histogram(inp), _histogram(out)
    present_in, present_out = hist_in > 0, hist_out > 0
    values = [
        *_shape_features(inp, out),
        *_content_features(inp, out),
        *hist_in,
        *hist_out,
        *(hist_out - hist_in),
        *(present_out & ~present_in),  # colours added
        *(present_in & ~present_out),  # colours removed
        *_symmetries(inp),
        *_symmetries(out),
    ]
    return np.asarray(values, dtype=np.float32)


_BLANK = np.zeros((1, 1), np.int8)
N_FEATURES = len(pair_features(_BLANK, _BLANK))
# Where the colour-indexed columns start (histograms in, out and their change, colours added,
# removed: five blocks of NUM_COLORS after the shape and content features).
_COLOUR_BLOCKS = len(_shape_features(_BLANK, _BLANK)) + len(_content_features(_BLANK, _BLANK))


def task_arrays(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> TaskArrays:
    """The first :data:`MAX_PAIRS` demonstration pairs as fixed-shape arrays."""
    if not pairs:
        raise ValueError("a task needs at least one demonstration pair")
    grids = np.full((MAX_PAIRS, 2, SIZE, SIZE), PAD, dtype=np.int8)
    features = np.zeros((MAX_PAIRS, N_FEATURES), dtype=np.float32)
    mask = np.zeros(MAX_PAIRS, dtype=bool)
    for i, (inp, out) in enumerate(pairs[:MAX_PAIRS]):
        grids[i, 0], grids[i, 1] = pad(inp), pad(out)
        features[i] = pair_features(inp, out)
        mask[i] = True
    return TaskArrays(grids, features, mask)


def recolour(arrays: TaskArrays, perms: np.ndarray) -> TaskArrays:
    """Stacked tasks with colour ``c`` of task ``n`` renamed ``perms[n, c]``, as if their grids had
    been recoloured before :func:`task_arrays`: a label-preserving augmentation for training.

    The background keeps its name (``perms[:, 0] == 0``): some features, and many primitives,
    single it out.
    """
    perms = np.asarray(perms)
    if perms.shape != (len(arrays.grids), NUM_COLORS) or (perms[:, 0] != 0).any():
        raise ValueError("perms must hold one permutation of the colours per task, each fixing 0")
    lookup = np.concatenate([perms, np.full((len(perms), 1), PAD)], axis=1).astype(np.int8)
    grids = np.take_along_axis(lookup, arrays.grids.reshape(len(perms), -1).astype(np.intp), axis=1)
    features = arrays.features.copy()
    inverse = np.argsort(perms, axis=1)[:, None, :]  # new column c reads old column inverse[c]
    for start in range(_COLOUR_BLOCKS, _COLOUR_BLOCKS + 5 * NUM_COLORS, NUM_COLORS):
        block = arrays.features[..., start : start + NUM_COLORS]
        features[..., start : start + NUM_COLORS] = np.take_along_axis(block, inverse, axis=2)
    return TaskArrays(grids.reshape(arrays.grids.shape), features, arrays.mask)


def stack(tasks: Sequence[TaskArrays]) -> TaskArrays:
    """Many tasks' arrays stacked along a new leading axis (the batch for ``vmap``)."""
    return TaskArrays(
        np.stack([t.grids for t in tasks]),
        np.stack([t.features for t in tasks]),
        np.stack([t.mask for t in tasks]),
    )
