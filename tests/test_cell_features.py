from __future__ import annotations

import numpy as np
from grid_strategies import grids, small_grids
from hypothesis import given, settings

from arc_harness.tasks import as_grid
from solvers import cell_features as cf

# Background 5 (the most common colour), a red L of three cells, a blue ring with one hole.
GRID = as_grid(
    [
        [5, 5, 5, 5, 5, 5],
        [5, 2, 5, 1, 1, 1],
        [5, 2, 2, 1, 5, 1],
        [5, 5, 5, 1, 1, 1],
    ]
)


def plane(name: str, grid: np.ndarray = GRID) -> np.ndarray:
    return cf.feature_planes(grid)[cf.NAMES.index(name)].reshape(grid.shape)


def test_background_is_the_most_common_colour_and_ties_go_to_the_smaller():
    assert plane("is_background").sum() == (GRID == 5).sum()
    tie = as_grid([[3, 1], [1, 3]])
    assert plane("is_background", tie).tolist() == [[0, 1], [1, 0]]


def test_neighbours_read_the_cell_at_their_offset_and_outside_beyond_the_border():
    assert plane("up")[0].tolist() == [cf.OUTSIDE] * 6
    assert plane("up")[2, 1] == 2
    assert plane("down_right")[1, 1] == 2
    assert plane("left")[2, 0] == cf.OUTSIDE
    assert plane("right")[2, 2] == 1


def test_rays_see_the_first_colour_other_than_the_background_strictly_beyond_the_cell():
    assert plane("ray_right")[1].tolist() == [2, 1, 1, 1, 1, cf.OUTSIDE]
    assert plane("ray_left")[2].tolist() == [cf.OUTSIDE, cf.OUTSIDE, 2, 2, 1, 1]
    assert plane("ray_down")[:, 4].tolist() == [1, 1, 1, cf.OUTSIDE]
    assert plane("ray_up")[:, 1].tolist() == [cf.OUTSIDE, cf.OUTSIDE, 2, 2]


def test_colour_sets_hold_one_bit_per_colour_among_the_neighbours():
    assert plane("edge_colours")[2, 4] == (1 << 1)  # the hole sees only blue
    assert plane("edge_colours")[2, 2] == (1 << 2) | (1 << 1) | (1 << 5)
    assert plane("corner_colours")[0, 0] == (1 << 2)


def test_sizes_holes_and_enclosure():
    sizes = plane("component_size")
    assert sizes[1, 1] == 3 and sizes[1, 3] == 8 and sizes[2, 4] == 1
    assert plane("object_size")[1, 1] == 11  # red and blue touch: one object of any colours
    assert plane("object_size")[0, 0] == 0
    holes = plane("holes")
    assert holes[1, 3] == 1 and holes[1, 1] == 0 and holes[0, 0] == 0
    enclosed = plane("enclosed")
    assert enclosed[2, 4] == 1 and enclosed.sum() == 1  # the hole; (1, 2) opens upward


def test_line_counts_and_parities():
    assert plane("row_count")[:, 0].tolist() == [0, 4, 4, 3]
    assert plane("column_count")[0].tolist() == [0, 2, 1, 3, 2, 3]
    assert plane("row_parity")[:, 5].tolist() == [0, 1, 0, 1]
    assert plane("column_parity")[3].tolist() == [0, 1, 0, 1, 0, 1]


def test_neighbour_counts_and_line_colours():
    counts = plane("neighbour_count")
    assert counts[0, 0] == 1 and counts[2, 4] == 8 and counts[3, 0] == 1
    assert plane("row_colours")[3, 0] == (1 << 5) | (1 << 1)
    assert plane("column_colours")[0, 1] == (1 << 5) | (1 << 2)


def test_sizes_are_capped():
    big = as_grid(np.ones((10, 10), dtype=np.int8))
    assert plane("component_size", big).max() == cf.SIZE_CAP


@settings(max_examples=60, deadline=None)
@given(grids())
def test_every_value_fits_its_bits_and_the_grid_is_untouched(grid):
    before = grid.copy()
    planes = cf.feature_planes(grid)
    assert planes.shape == (len(cf.NAMES), grid.size)
    assert planes.min() >= 0 and planes.max() < cf.VALUE_LIMIT
    assert np.array_equal(grid, before)


@settings(max_examples=60, deadline=None)
@given(small_grids())
def test_features_turn_with_the_grid(grid):
    """A ray or neighbour read on a grid turned a quarter is the turned one of its partner."""
    turned = np.rot90(grid)  # up becomes left, right becomes up, ...
    pairs = {
        "ray_up": "ray_left",
        "ray_right": "ray_up",
        "up": "left",
        "down_right": "up_right",
        "row_colours": "column_colours",
    }
    for name, partner in pairs.items():
        assert np.array_equal(np.rot90(plane(name, grid)), plane(partner, turned))
    for name in (
        "component_size",
        "object_size",
        "holes",
        "enclosed",
        "edge_colours",
        "corner_colours",
        "neighbour_count",
    ):
        assert np.array_equal(np.rot90(plane(name, grid)), plane(name, turned))
