"""Tests for dsl.objects and dsl.components: one test per primitive, laws, totality."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
from grid_strategies import grids, small_grids
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness.tasks import as_grid
from dsl import components as cc
from dsl import masks, objects
from dsl.grid import is_grid
from dsl.interpreter import conforms
from dsl.objects import Object
from dsl.registry import literal_domain, primitives
from dsl.types import LITERAL_TYPES, T

G = as_grid  # hand-made grids below are written as nested lists

# 1s, a 5 and 2s touch by edges; the 3s touch the 1s and each other only by corners.
A = G(
    [
        [1, 1, 0, 2],
        [0, 1, 5, 2],
        [3, 0, 0, 0],
        [0, 3, 3, 3],
    ]
)
# three single cells, one vertical domino
C = G([[1, 0, 1, 0, 2], [0, 0, 0, 0, 2], [3, 0, 1, 0, 0]])
# one cell in each direction's extreme: 2 top, 5 bottom, 4 left, 3 right
SPREAD = G(
    [
        [0, 0, 0, 0, 0],
        [0, 2, 0, 0, 0],
        [0, 0, 0, 0, 3],
        [4, 0, 0, 0, 0],
        [0, 0, 5, 0, 0],
    ]
)
RING = G(
    [
        [0, 0, 0, 0, 0, 0],
        [0, 4, 4, 4, 0, 0],
        [0, 4, 0, 4, 0, 1],
        [0, 4, 4, 4, 0, 0],
    ]
)


def obj(top: int, left: int, rows: list[list[int]]) -> Object:
    """An object from its box, -1 where the box has no cell."""
    patch = np.array(rows, dtype=np.int8)
    return Object(top, left, patch.shape[0], patch.shape[1], patch.tobytes())


def same(result: np.ndarray | None, expected: list[list[int]]) -> bool:
    """True when result is a valid grid equal to expected, shape included."""
    return result is not None and is_grid(result) and np.array_equal(result, expected)


def boxes(objs) -> list[tuple[int, int, int, int]]:
    return [(o.top, o.left, o.height, o.width) for o in objs]


# --- the Object value ---------------------------------------------------------------


def test_object_equality_and_hash_by_value():
    first = objects.objects_by_color(A)
    again = objects.objects_by_color(G(A.tolist()))  # another array, same content
    assert first == again and hash(first) == hash(again)
    assert len({*first, *again}) == len(first)
    moved = obj(1, 0, [[1, 1], [-1, 1]])
    assert first[0] == obj(0, 0, [[1, 1], [-1, 1]]) and first[0] != moved


def test_object_properties():
    o = obj(2, 3, [[4, -1], [4, 1]])
    assert (o.size, o.colors, o.color) == (3, (1, 4), 4)
    assert not o.patch.flags.writeable
    assert o.shape_key == obj(0, 0, [[7, -1], [7, 7]]).shape_key != obj(0, 0, [[7, 7], [7, -1]]).shape_key
    assert obj(0, 0, [[1, 2]]).color == 1  # ties go to the smaller colour


# --- finding objects ------------------------------------------------------------------


def test_objects_by_color():
    found = objects.objects_by_color(A)
    assert boxes(found) == [(0, 0, 2, 2), (0, 3, 2, 1), (1, 2, 1, 1), (2, 0, 1, 1), (3, 1, 1, 3)]
    assert found[0] == obj(0, 0, [[1, 1], [-1, 1]])
    assert objects.objects_by_color(G([[0, 0]])) is None


def test_objects_by_color_diag():
    found = objects.objects_by_color_diag(A)
    assert boxes(found) == [(0, 0, 2, 2), (0, 3, 2, 1), (1, 2, 1, 1), (2, 0, 2, 4)]
    assert found[3] == obj(2, 0, [[3, -1, -1, -1], [-1, 3, 3, 3]])


def test_objects_multicolor():
    found = objects.objects_multicolor(A)
    assert found[0] == obj(0, 0, [[1, 1, -1, 2], [-1, 1, 5, 2]])
    assert boxes(found) == [(0, 0, 2, 4), (2, 0, 1, 1), (3, 1, 1, 3)]


def test_objects_multicolor_diag():
    (whole,) = objects.objects_multicolor_diag(A)
    assert (whole.top, whole.left, whole.size) == (0, 0, 10)
    assert same(objects.object_grid(whole), A.tolist())


def test_objects_with_background():
    found = objects.objects_with_background(A)
    assert len(found) == 9  # the five coloured objects and four regions of 0
    assert obj(2, 1, [[0, 0, 0]]) in found
    assert sum(o.size for o in found) == A.size


def test_components_with_background_and_corners():
    # no primitive uses this mode yet; the labelling offers it for completeness
    labels = cc.components(G([[1, 0], [0, 1]]), cc.WITH_BACKGROUND_8)
    assert labels.sizes.tolist() == [2, 2]


def test_cached_components_are_shared_read_only():
    first = cc.cached_components(A, cc.SINGLE_4)
    assert first is cc.cached_components(G(A.tolist()), cc.SINGLE_4)
    assert not any(arr.flags.writeable for arr in first)
    assert not any(arr.flags.writeable for arr in cc.holes(A))


# --- choosing one object --------------------------------------------------------------


def test_largest_object():
    assert objects.largest_object(objects.objects_by_color_diag(A)) == obj(
        2, 0, [[3, -1, -1, -1], [-1, 3, 3, 3]]
    )
    assert objects.largest_object(objects.objects_by_color(A)) is None  # 1s and 3s tie at 3
    assert objects.largest_object(()) is None


def test_smallest_object():
    assert objects.smallest_object(objects.objects_by_color_diag(A)) == obj(1, 2, [[5]])
    assert objects.smallest_object(objects.objects_by_color(A)) is None  # two single cells


def test_object_most_colors():
    assert objects.object_most_colors(objects.objects_multicolor(A)).colors == (1, 2, 5)
    assert objects.object_most_colors(objects.objects_by_color(A)) is None


def test_topmost_object():
    assert objects.topmost_object(objects.objects_by_color(SPREAD)) == obj(1, 1, [[2]])
    assert objects.topmost_object(objects.objects_by_color(A)) is None  # two start on row 0


def test_bottommost_object():
    assert objects.bottommost_object(objects.objects_by_color(SPREAD)) == obj(4, 2, [[5]])


def test_leftmost_object():
    assert objects.leftmost_object(objects.objects_by_color(SPREAD)) == obj(3, 0, [[4]])


def test_rightmost_object():
    assert objects.rightmost_object(objects.objects_by_color(SPREAD)) == obj(2, 4, [[3]])


def test_object_unique_shape():
    assert objects.object_unique_shape(objects.objects_by_color(C)) == obj(0, 4, [[2], [2]])
    assert objects.object_unique_shape(objects.objects_by_color(SPREAD)) is None


def test_object_most_common_shape():
    assert objects.object_most_common_shape(objects.objects_by_color(C)) == obj(0, 0, [[1]])
    two = objects.objects_by_color(G([[1, 0, 2], [0, 0, 2]]))
    assert objects.object_most_common_shape(two) is None  # one of each: a tie


def test_object_unique_color():
    found = objects.objects_by_color(G([[1, 0, 1], [0, 0, 0], [1, 0, 6]]))
    assert objects.object_unique_color(found) == obj(2, 2, [[6]])
    assert objects.object_unique_color(objects.objects_by_color(C)) is None  # 2 and 3 both unique


# --- filtering and counting -----------------------------------------------------------


def test_objects_of_color():
    assert boxes(objects.objects_of_color(objects.objects_by_color(C), 1)) == [
        (0, 0, 1, 1),
        (0, 2, 1, 1),
        (2, 2, 1, 1),
    ]
    assert objects.objects_of_color(objects.objects_by_color(C), 7) is None
    assert objects.objects_of_color(objects.objects_multicolor(A), 1) is None  # 1 mixed with 2, 5


def test_objects_of_size():
    assert objects.objects_of_size(objects.objects_by_color(C), 2) == (obj(0, 4, [[2], [2]]),)
    assert objects.objects_of_size(objects.objects_by_color(C), 3) is None
    assert objects.objects_of_size(objects.objects_by_color(C), -1) is None


def test_objects_without_noise():
    assert objects.objects_without_noise(objects.objects_by_color(C)) == (obj(0, 4, [[2], [2]]),)
    assert objects.objects_without_noise(objects.objects_by_color(SPREAD)) is None


def test_count_objects():
    assert objects.count_objects(objects.objects_by_color(C)) == 5
    assert objects.count_objects(objects.objects_with_background(A)) == 9
    assert objects.count_objects(()) == 0


def test_object_color():
    assert objects.object_color(obj(0, 0, [[2, 2], [-1, 3]])) == 2
    assert objects.object_color(obj(0, 0, [[4, 4], [1, 1]])) == 1


# --- objects and grids ----------------------------------------------------------------


def test_object_grid():
    assert same(objects.object_grid(obj(5, 5, [[1, -1], [1, 1]])), [[1, 0], [1, 1]])


def test_crop_to_object():
    assert same(objects.crop_to_object(A, obj(2, 0, [[3, -1], [-1, 3]])), [[3, 0], [0, 3]])
    assert same(objects.crop_to_object(A, obj(-1, 3, [[9, 9], [9, 9]])), [[2]])  # clipped
    assert objects.crop_to_object(A, obj(-5, 0, [[1], [1]])) is None  # wholly outside
    assert objects.crop_to_object(A, obj(0, 4, [[1]])) is None


def test_paint_object():
    blank = G([[0, 0, 0], [0, 0, 0]])
    assert same(objects.paint_object(blank, obj(0, 1, [[7, -1], [7, 7]])), [[0, 7, 0], [0, 7, 7]])
    assert same(objects.paint_object(blank, obj(1, 2, [[7, 7], [7, 7]])), [[0, 0, 0], [0, 0, 7]])
    assert same(objects.paint_object(blank, obj(5, 5, [[7]])), blank.tolist())


def test_paint_objects():
    blank = G([[0, 0, 0]])
    painted = objects.paint_objects(blank, (obj(0, 0, [[1, 1]]), obj(0, 1, [[2, 2]])))
    assert same(painted, [[1, 2, 2]])  # later objects on top
    assert same(objects.paint_objects(A, ()), A.tolist())


def test_erase_object():
    ones = objects.objects_by_color(A)[0]
    assert same(objects.erase_object(A, ones), [[0, 0, 0, 2], [0, 0, 5, 2], [3, 0, 0, 0], [0, 3, 3, 3]])


def test_recolor_object():
    ones = objects.objects_by_color(A)[0]
    assert same(objects.recolor_object(A, ones, 8), [[8, 8, 0, 2], [0, 8, 5, 2], [3, 0, 0, 0], [0, 3, 3, 3]])


def test_slide_object():
    grid = G([[0, 2, 0], [0, 0, 0], [0, 0, 0], [4, 4, 4]])
    two, fours = objects.objects_by_color(grid)
    assert same(objects.slide_object(grid, two, 1), [[0, 0, 0], [0, 0, 0], [0, 2, 0], [4, 4, 4]])
    assert same(objects.slide_object(grid, fours, 0), [[0, 2, 0], [4, 4, 4], [0, 0, 0], [0, 0, 0]])
    assert same(objects.slide_object(grid, two, 2), [[2, 0, 0], [0, 0, 0], [0, 0, 0], [4, 4, 4]])
    assert same(objects.slide_object(grid, two, 3), [[0, 0, 2], [0, 0, 0], [0, 0, 0], [4, 4, 4]])
    assert objects.slide_object(grid, two, 4) is None
    assert objects.slide_object(grid, obj(3, 2, [[1, 1]]), 0) is None  # does not fit the grid


# --- grid-level steps -----------------------------------------------------------------


def test_crop_to_largest_object():
    assert objects.crop_to_largest_object(A, 0) is None  # tie
    assert same(objects.crop_to_largest_object(A, 1), A[2:].tolist())
    assert same(objects.crop_to_largest_object(A, 2), A[:2].tolist())
    assert same(objects.crop_to_largest_object(A, 3), A.tolist())
    assert objects.crop_to_largest_object(A, 9) is None


def test_crop_to_smallest_object():
    assert same(objects.crop_to_smallest_object(A, 1), [[5]])
    assert objects.crop_to_smallest_object(A, 0) is None


def test_crop_to_unique_color_object():
    assert same(objects.crop_to_unique_color_object(G([[1, 0, 1], [0, 0, 0], [1, 0, 6]]), 0), [[6]])
    assert objects.crop_to_unique_color_object(C, 0) is None
    assert objects.crop_to_unique_color_object(C, -1) is None


def test_crop_to_unique_shape_object():
    assert same(objects.crop_to_unique_shape_object(C, 0), [[2], [2]])


def test_keep_largest_object():
    assert same(objects.keep_largest_object(A, 1), [[0] * 4, [0] * 4, [3, 0, 0, 0], [0, 3, 3, 3]])
    assert objects.keep_largest_object(A, 0) is None


def test_remove_noise():
    assert same(objects.remove_noise(A, 0), [[1, 1, 0, 2], [0, 1, 0, 2], [0, 0, 0, 0], [0, 3, 3, 3]])
    assert same(objects.remove_noise(A, 1), [[1, 1, 0, 2], [0, 1, 0, 2], [3, 0, 0, 0], [0, 3, 3, 3]])
    assert objects.remove_noise(A, 3) is None  # no single cells: nothing to remove


def test_recolor_largest_object():
    assert same(
        objects.recolor_largest_object(A, 2, 7), [[7, 7, 0, 7], [0, 7, 7, 7], [3, 0, 0, 0], [0, 3, 3, 3]]
    )


def test_recolor_smallest_object():
    assert same(
        objects.recolor_smallest_object(A, 1, 7), [[1, 1, 0, 2], [0, 1, 7, 2], [3, 0, 0, 0], [0, 3, 3, 3]]
    )


def test_recolor_objects_of_size():
    assert same(objects.recolor_objects_of_size(C, 1, 7), [[7, 0, 7, 0, 2], [0, 0, 0, 0, 2], [7, 0, 7, 0, 0]])
    assert objects.recolor_objects_of_size(C, 4, 7) is None


def test_recolor_by_size_rank():
    grid = G([[5, 5, 5, 0, 5], [0, 0, 0, 0, 5], [5, 0, 5, 5, 0]])
    assert same(objects.recolor_by_size_rank(grid, 0), [[1, 1, 1, 0, 2], [0, 0, 0, 0, 2], [3, 0, 2, 2, 0]])
    assert objects.recolor_by_size_rank(G([[0]]), 0) is None


def test_box_objects():
    grid = G([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    assert same(objects.box_objects(grid, 3), [[3, 3, 3, 0], [3, 1, 3, 0], [3, 3, 3, 0]])
    corner = G([[1, 0], [0, 0]])
    assert same(objects.box_objects(corner, 3), [[1, 3], [3, 3]])  # clipped at the border


def test_fill_object_boxes():
    grid = G([[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert same(objects.fill_object_boxes(grid, 2), [[1, 2, 0], [2, 1, 0], [0, 0, 0]])
    assert objects.fill_object_boxes(G([[0]]), 2) is None


def test_fill_object_holes():
    assert same(
        objects.fill_object_holes(RING, 2),
        [[0] * 6, [0, 4, 4, 4, 0, 0], [0, 4, 2, 4, 0, 1], [0, 4, 4, 4, 0, 0]],
    )
    assert objects.fill_object_holes(A, 2) is None


def test_fill_object_holes_leaves_holes_with_something_inside():
    framed = G([[4, 4, 4, 4, 4], [4, 0, 0, 0, 4], [4, 0, 1, 0, 4], [4, 0, 0, 0, 4], [4, 4, 4, 4, 4]])
    assert objects.fill_object_holes(framed, 2) is None
    assert same(objects.fill_holes_own_color(framed), np.where(framed == 1, 1, 4).tolist())


def test_fill_holes_own_color():
    expected = [[0] * 6, [0, 4, 4, 4, 0, 0], [0, 4, 4, 4, 0, 1], [0, 4, 4, 4, 0, 0]]
    assert same(objects.fill_holes_own_color(RING), expected)
    assert objects.fill_holes_own_color(A) is None


def test_recolor_objects_with_holes():
    assert same(objects.recolor_objects_with_holes(RING, 6), np.where(RING == 4, 6, RING).tolist())
    assert objects.recolor_objects_with_holes(A, 6) is None


def test_gravity_objects():
    grid = G([[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 0, 0, 0]])
    assert same(objects.gravity_objects(grid, 1), [[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0], [0, 1, 0, 2]])
    assert same(objects.gravity_objects(grid, 2), [[1, 1, 0, 0], [0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0]])
    # the pair of 3s moves as one piece and rests on the 2 once that has reached the floor
    stacked = G([[0, 3, 3], [0, 0, 0], [0, 0, 2], [0, 0, 0]])
    assert same(objects.gravity_objects(stacked, 1), [[0, 0, 0], [0, 0, 0], [0, 3, 3], [0, 0, 2]])
    assert objects.gravity_objects(grid, 7) is None


def test_gravity_cells():
    grid = G([[1, 0, 3], [0, 2, 0], [4, 0, 0]])
    assert same(objects.gravity_cells(grid, 1), [[0, 0, 0], [1, 0, 0], [4, 2, 3]])
    assert same(objects.gravity_cells(grid, 0), [[1, 2, 3], [4, 0, 0], [0, 0, 0]])
    assert same(objects.gravity_cells(grid, 2), [[1, 3, 0], [2, 0, 0], [4, 0, 0]])
    assert same(objects.gravity_cells(grid, 3), [[0, 1, 3], [0, 0, 2], [0, 0, 4]])
    assert objects.gravity_cells(grid, -1) is None


# --- laws -------------------------------------------------------------------------------

FAST = settings(max_examples=80, deadline=None)
LABELLED_MODES = {
    # mode: (cells taking part, colours must match, corner neighbours)
    cc.SINGLE_4: (lambda g: g != 0, True, False),
    cc.SINGLE_8: (lambda g: g != 0, True, True),
    cc.MULTI_4: (lambda g: g != 0, False, False),
    cc.MULTI_8: (lambda g: g != 0, False, True),
    cc.WITH_BACKGROUND_4: (lambda g: np.ones(g.shape, bool), True, False),
    cc.WITH_BACKGROUND_8: (lambda g: np.ones(g.shape, bool), True, True),
}


def reference_labels(grid: np.ndarray, mode: int) -> np.ndarray:
    """Per cell, the smallest flat index in its component, by breadth-first search (slow, obvious)."""
    included, same_color, diag = LABELLED_MODES[mode]
    inside = included(grid)
    h, w = grid.shape
    labels = np.full((h, w), h * w)
    steps = [
        (dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0) and (diag or 0 in (dr, dc))
    ]
    for start in zip(*np.nonzero(inside), strict=True):
        if labels[start] < h * w:
            continue
        seen, queue = [start], deque([start])
        labels[start] = 0  # mark; fixed below
        while queue:
            r, c = queue.popleft()
            for dr, dc in steps:
                n = (r + dr, c + dc)
                if not (0 <= n[0] < h and 0 <= n[1] < w) or not inside[n] or labels[n] < h * w:
                    continue
                if same_color and grid[n] != grid[r, c]:
                    continue
                labels[n] = 0
                seen.append(n)
                queue.append(n)
        first = min(r * w + c for r, c in seen)
        for cell in seen:
            labels[cell] = first
    return labels


@FAST
@given(small_grids(), st.sampled_from(sorted(LABELLED_MODES)))
def test_labelling_matches_breadth_first_search(grid, mode):
    included, same_color, diag = LABELLED_MODES[mode]
    got = cc.label_cells(grid, included(grid), same_color, diag)
    assert np.array_equal(got, reference_labels(grid, mode))


def test_labelling_follows_a_long_snake():
    snake = np.zeros((30, 30), dtype=np.int8)
    snake[::2] = 1
    snake[1::4, -1] = 1
    snake[3::4, 0] = 1
    assert cc.components(G(snake), cc.SINGLE_4).sizes.tolist() == [int(snake.sum())]


@FAST
@given(grids(max_side=12, max_color=3), st.sampled_from(sorted(LABELLED_MODES)))
def test_objects_partition_the_grid(grid, mode):
    found = objects.objects_of(grid, mode)
    counted = grid.size if mode in (cc.WITH_BACKGROUND_4, cc.WITH_BACKGROUND_8) else np.count_nonzero(grid)
    assert sum(o.size for o in found) == counted
    assert [(o.top, o.left) for o in found] == sorted((o.top, o.left) for o in found)
    canvas = G(np.zeros_like(grid) if counted < grid.size else np.full(grid.shape, 9))
    assert same(objects.paint_objects(canvas, found), grid.tolist())
    assert found == objects.objects_of(G(grid.copy()), mode)  # equal by value, not identity


@FAST
@given(small_grids())
def test_erase_then_paint_restores_the_grid(grid):
    for o in objects.objects_of(grid, cc.SINGLE_8):
        assert same(objects.paint_object(objects.erase_object(grid, o), o), grid.tolist())
        crop = objects.crop_to_object(grid, o)
        assert crop.shape == (o.height, o.width)
        assert np.array_equal(np.where(o.patch >= 0, crop, 0), objects.object_grid(o))


@FAST
@given(small_grids(), st.sampled_from(objects.DIRECTIONS))
def test_gravity_cells_keeps_each_line_in_order_and_is_idempotent(grid, direction):
    out = objects.gravity_cells(grid, direction)
    assert same(objects.gravity_cells(out, direction), out.tolist())
    lines, fallen = cc.toward(grid, direction).T, cc.toward(out, direction).T
    for line, after in zip(lines, fallen, strict=True):
        kept = line[line != 0]
        assert np.array_equal(after[len(after) - len(kept) :], kept)


@FAST
@given(small_grids(), st.sampled_from(objects.DIRECTIONS))
def test_gravity_objects_keeps_colours_and_is_idempotent(grid, direction):
    out = objects.gravity_objects(grid, direction)
    assert np.array_equal(np.bincount(out.ravel(), minlength=10), np.bincount(grid.ravel(), minlength=10))
    assert same(objects.gravity_objects(out, direction), out.tolist())


@FAST
@given(small_grids())
def test_holes_are_the_enclosed_background_and_their_owner_encloses_them(grid):
    found = cc.holes(grid)
    enclosed = masks.fill_enclosed_background(grid, 1) != grid
    assert np.array_equal(found.owner >= 0, enclosed)
    ids = cc.components(grid, cc.MULTI_8).ids
    for k in np.unique(found.owner[found.owner >= 0]):
        alone_outside = masks.outside_mask(ids != k)  # the owner alone still closes the hole
        assert not alone_outside[found.owner == k].any()
    filled = objects.fill_object_holes(grid, 7)
    if filled is not None:
        assert np.all(enclosed[filled != grid])


@FAST
@given(small_grids(), st.sampled_from(objects.CONNS))
def test_recolor_by_size_rank_colours_objects_only(grid, conn):
    out = objects.recolor_by_size_rank(grid, conn)
    if out is not None:
        assert np.array_equal(out == 0, grid == 0)
        sizes = cc.components(grid, conn).sizes
        assert set(np.unique(out[out != 0])) == set(range(1, len(np.unique(sizes)) + 1))


# --- totality ---------------------------------------------------------------------------

FAMILY = {name: p for name, p in primitives().items() if p.family == "objects"}
# literals beyond the declared domains: totality must hold for any int
EXTRA_INTS = (-1, 0, 7, 31)
SOME_COLORS = (0, 1, 5, 9)


def _pool(grid: np.ndarray) -> dict[T, list]:
    """Values of every non-literal type made from one grid by the family's own primitives."""
    pool: dict[T, list] = {T.GRID: [grid], T.OBJECTS: [()], T.OBJECT: []}
    for p in FAMILY.values():
        if p.args == (T.GRID,) and p.ret is T.OBJECTS and (found := p.fn(grid)) is not None:
            pool[T.OBJECTS].append(found)
            pool[T.OBJECT] += [found[0], found[-1]]
    for found in pool[T.OBJECTS][1:3]:
        pool[T.OBJECT] += [o for p in FAMILY.values() if p.ret is T.OBJECT and (o := p.fn(found)) is not None]
    pool[T.OBJECT].append(obj(-2, 1, [[3, -1], [3, 3]]))  # partly off the grid
    return pool


def _literals(p, index: int) -> tuple:
    kind = p.args[index]
    if kind is T.COLOR:
        return SOME_COLORS
    return tuple(dict.fromkeys(literal_domain(p, index, SOME_COLORS) + EXTRA_INTS))


@settings(max_examples=300, deadline=None)
@given(st.one_of(small_grids(), grids()))
def test_every_objects_primitive_is_total(grid):
    pool = _pool(grid)
    for name, p in FAMILY.items():
        choices = [_literals(p, i) if kind in LITERAL_TYPES else pool[kind] for i, kind in enumerate(p.args)]
        for args in itertools.product(*choices):
            value = p.fn(*args)
            assert value is None or conforms(value, p.ret), f"{name}{args!r} gave {value!r}"
            if p.ret is T.GRID and value is not None:
                assert not value.flags.writeable, name


def test_family_size():
    assert len(FAMILY) >= 30
