"""Hypothesis strategies shared by the tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def grids(min_side: int = 1, max_side: int = 30, max_color: int = 9) -> st.SearchStrategy[np.ndarray]:
    """Valid read-only int8 ARC grids."""
    shapes = st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side))

    def build(shape: tuple[int, int]) -> st.SearchStrategy[np.ndarray]:
        return hnp.arrays(np.int8, shape, elements=st.integers(0, max_color))

    def freeze(arr: np.ndarray) -> np.ndarray:
        arr.setflags(write=False)
        return arr

    return shapes.flatmap(build).map(freeze)


def small_grids() -> st.SearchStrategy[np.ndarray]:
    """Grids up to 8x8 with few colours: where structure (objects, symmetry) shows up."""
    return grids(1, 8, 4)
