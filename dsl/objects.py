"""Primitive family: objects (connected components, selecting, filtering, painting, gravity).

Background is colour 0. An object is a connected component of non-zero cells; the
``conn`` argument of the grid-level steps picks how cells connect (codes below).
Selectors answer NO_RESULT when their criterion does not single out one object, so a
tie never picks an arbitrary one. Directions follow :mod:`dsl.lines`: 0 up, 1 down,
2 left, 3 right. Labelling lives in :mod:`dsl.components` (array level, no primitives).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from dsl import components as cc
from dsl.grid import NO_RESULT, NUM_COLORS, Grid, make
from dsl.registry import primitive
from dsl.types import T

# conn codes: 0 one colour edge-connected, 1 one colour with corners, 2 any colours
# edge-connected, 3 any colours with corners (see dsl.components).
CONNS = (cc.SINGLE_4, cc.SINGLE_8, cc.MULTI_4, cc.MULTI_8)
DIRECTIONS = (0, 1, 2, 3)
SIZES = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Object:
    """A set of coloured cells placed on a grid at (top, left), its bounding box's corner.

    The box is stored as int8 bytes, row-major, -1 where the box holds no cell of the
    object. Bytes (rather than an array or a set of cells) give value equality and
    hashing for free, as the search's merging by hash needs, keep the value immutable,
    and turn back into a read-only array view for vectorised painting and cropping.
    """

    top: int
    left: int
    height: int
    width: int
    cells: bytes = field(repr=False)

    @cached_property
    def patch(self) -> np.ndarray:
        """The bounding box's colours, -1 off the object (read-only)."""
        return np.frombuffer(self.cells, dtype=np.int8).reshape(self.height, self.width)

    @cached_property
    def size(self) -> int:
        """Number of cells."""
        return int(np.count_nonzero(self.patch >= 0))

    @cached_property
    def colors(self) -> tuple[int, ...]:
        """The distinct colours, ascending."""
        return tuple(int(c) for c in np.unique(self.patch[self.patch >= 0]))

    @property
    def color(self) -> int:
        """The most common colour (ties: the smaller colour)."""
        counts = np.bincount(self.patch[self.patch >= 0], minlength=NUM_COLORS)
        return int(np.argmax(counts))

    @property
    def shape_key(self) -> tuple[int, int, bytes]:
        """The object's shape, whatever its colours and position."""
        return (self.height, self.width, (self.patch >= 0).tobytes())


Objects = tuple[Object, ...]


def _order(obj: Object) -> tuple:
    return (obj.top, obj.left, obj.height, obj.width, obj.cells)


@lru_cache(maxsize=2048)
def _cached_objects(data: bytes, h: int, w: int, mode: int) -> Objects:
    grid = np.frombuffer(data, dtype=np.int8).reshape(h, w)
    comps = cc.cached_components(grid, mode)
    boxes = zip(comps.tops, comps.lefts, comps.bottoms, comps.rights, strict=True)
    found = []
    for k, (t, l, b, r) in enumerate(boxes):  # one Python value per component is the output
        patch = np.where(comps.ids[t : b + 1, l : r + 1] == k, grid[t : b + 1, l : r + 1], -1)
        found.append(Object(int(t), int(l), int(b - t + 1), int(r - l + 1), patch.astype(np.int8).tobytes()))
    return tuple(sorted(found, key=_order))


def objects_of(grid: Grid, mode: int) -> Objects:
    """The grid's objects under connectivity ``mode`` (see dsl.components), by top-left corner."""
    return _cached_objects(grid.tobytes(), *grid.shape, mode)


def paint_into(out: np.ndarray, obj: Object, color: int | None = None) -> None:
    """Paint an object (all in ``color`` if given) onto a writable array in place, clipped."""
    h, w = out.shape
    t0, l0 = max(obj.top, 0), max(obj.left, 0)
    t1, l1 = min(obj.top + obj.height, h), min(obj.left + obj.width, w)
    if t0 < t1 and l0 < l1:
        patch = obj.patch[t0 - obj.top : t1 - obj.top, l0 - obj.left : l1 - obj.left]
        np.copyto(out[t0:t1, l0:l1], patch if color is None else np.int8(color), where=patch >= 0)


def _frozen(arr: np.ndarray) -> Grid | None:
    """``make`` for a fresh array built here from valid colours (freezing it saves a copy)."""
    arr.setflags(write=False)
    return make(arr)


def _found(objs: Objects) -> Objects | None:
    return objs if objs else NO_RESULT


def _the_one(picked: list[Object]) -> Object | None:
    """The single picked object, or NO_RESULT when none or several were picked."""
    return picked[0] if len(picked) == 1 else NO_RESULT


def _extreme(objs: Objects, key: Callable[[Object], int]) -> Object | None:
    """The unique object with the largest key."""
    k = cc.unique_best(np.array([key(o) for o in objs]))
    return NO_RESULT if k is None else objs[k]


# --- finding objects ------------------------------------------------------------------


@primitive(T.GRID, ret=T.OBJECTS)
def objects_by_color(grid: Grid) -> Objects | None:
    """One-colour objects, cells edge-connected (4 neighbours), background 0 left out."""
    return _found(objects_of(grid, cc.SINGLE_4))


@primitive(T.GRID, ret=T.OBJECTS)
def objects_by_color_diag(grid: Grid) -> Objects | None:
    """One-colour objects, cells connected by edges or corners (8 neighbours)."""
    return _found(objects_of(grid, cc.SINGLE_8))


@primitive(T.GRID, ret=T.OBJECTS)
def objects_multicolor(grid: Grid) -> Objects | None:
    """Objects of any non-zero colours together, cells edge-connected (4 neighbours)."""
    return _found(objects_of(grid, cc.MULTI_4))


@primitive(T.GRID, ret=T.OBJECTS)
def objects_multicolor_diag(grid: Grid) -> Objects | None:
    """Objects of any non-zero colours together, connected by edges or corners."""
    return _found(objects_of(grid, cc.MULTI_8))


@primitive(T.GRID, ret=T.OBJECTS)
def objects_with_background(grid: Grid) -> Objects | None:
    """One-colour edge-connected regions of every colour, background 0 regions included."""
    return _found(objects_of(grid, cc.WITH_BACKGROUND_4))


# --- choosing one object --------------------------------------------------------------


@primitive(T.OBJECTS, ret=T.OBJECT)
def largest_object(objs: Objects) -> Object | None:
    """The object with the most cells (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: o.size)


@primitive(T.OBJECTS, ret=T.OBJECT)
def smallest_object(objs: Objects) -> Object | None:
    """The object with the fewest cells (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: -o.size)


@primitive(T.OBJECTS, ret=T.OBJECT)
def object_most_colors(objs: Objects) -> Object | None:
    """The object with the most distinct colours (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: len(o.colors))


@primitive(T.OBJECTS, ret=T.OBJECT)
def topmost_object(objs: Objects) -> Object | None:
    """The object whose top edge is highest (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: -o.top)


@primitive(T.OBJECTS, ret=T.OBJECT)
def bottommost_object(objs: Objects) -> Object | None:
    """The object whose bottom edge is lowest (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: o.top + o.height)


@primitive(T.OBJECTS, ret=T.OBJECT)
def leftmost_object(objs: Objects) -> Object | None:
    """The object whose left edge is furthest left (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: -o.left)


@primitive(T.OBJECTS, ret=T.OBJECT)
def rightmost_object(objs: Objects) -> Object | None:
    """The object whose right edge is furthest right (NO_RESULT on a tie)."""
    return _extreme(objs, lambda o: o.left + o.width)


@primitive(T.OBJECTS, ret=T.OBJECT)
def object_unique_shape(objs: Objects) -> Object | None:
    """The one object whose shape no other object has (colours ignored)."""
    counts = Counter(o.shape_key for o in objs)
    return _the_one([o for o in objs if counts[o.shape_key] == 1])


@primitive(T.OBJECTS, ret=T.OBJECT)
def object_most_common_shape(objs: Objects) -> Object | None:
    """The first object of the shape that occurs most often (NO_RESULT on a tie)."""
    ranked = Counter(o.shape_key for o in objs).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return NO_RESULT
    return next(o for o in objs if o.shape_key == ranked[0][0])


@primitive(T.OBJECTS, ret=T.OBJECT)
def object_unique_color(objs: Objects) -> Object | None:
    """The one object holding a colour that no other object holds."""
    counts = Counter(c for o in objs for c in o.colors)
    return _the_one([o for o in objs if any(counts[c] == 1 for c in o.colors)])


# --- filtering and counting -----------------------------------------------------------


@primitive(T.OBJECTS, T.COLOR, ret=T.OBJECTS)
def objects_of_color(objs: Objects, c: int) -> Objects | None:
    """The objects whose cells are all colour c."""
    return _found(tuple(o for o in objs if o.colors == (c,)))


@primitive(T.OBJECTS, T.INT, ret=T.OBJECTS, domains={"k": SIZES})
def objects_of_size(objs: Objects, k: int) -> Objects | None:
    """The objects of exactly k cells."""
    return _found(tuple(o for o in objs if o.size == k))


@primitive(T.OBJECTS, ret=T.OBJECTS)
def objects_without_noise(objs: Objects) -> Objects | None:
    """The objects of more than one cell (single cells are noise)."""
    return _found(tuple(o for o in objs if o.size > 1))


@primitive(T.OBJECTS, ret=T.INT)
def count_objects(objs: Objects) -> int:
    """The number of objects."""
    return len(objs)


@primitive(T.OBJECT, ret=T.COLOR)
def object_color(obj: Object) -> int:
    """The object's most common colour (ties: the smaller colour)."""
    return obj.color


# --- objects and grids ----------------------------------------------------------------


@primitive(T.OBJECT, ret=T.GRID)
def object_grid(obj: Object) -> Grid | None:
    """The object's bounding box as a grid, 0 where the box has no object cell."""
    return _frozen(np.maximum(obj.patch, 0))


@primitive(T.GRID, T.OBJECT, ret=T.GRID)
def crop_to_object(grid: Grid, obj: Object) -> Grid | None:
    """The part of the grid under the object's bounding box (clipped to the grid)."""
    bottom, right = max(obj.top + obj.height, 0), max(obj.left + obj.width, 0)  # no wrap-around
    return make(grid[max(obj.top, 0) : bottom, max(obj.left, 0) : right])


@primitive(T.GRID, T.OBJECT, ret=T.GRID)
def paint_object(grid: Grid, obj: Object) -> Grid | None:
    """The grid with the object's cells painted over it (clipped to the grid)."""
    out = grid.copy()
    paint_into(out, obj)
    return _frozen(out)


@primitive(T.GRID, T.OBJECTS, ret=T.GRID)
def paint_objects(grid: Grid, objs: Objects) -> Grid | None:
    """The grid with every object painted over it in order (clipped to the grid)."""
    out = grid.copy()
    for obj in objs:  # one vectorised paint per object
        paint_into(out, obj)
    return _frozen(out)


def _erased(grid: Grid, obj: Object) -> np.ndarray:
    """A writable copy of the grid with the object's cells set to 0."""
    out = grid.copy()
    paint_into(out, obj, 0)
    return out


@primitive(T.GRID, T.OBJECT, ret=T.GRID)
def erase_object(grid: Grid, obj: Object) -> Grid | None:
    """The grid with the object's cells set to the background 0."""
    return _frozen(_erased(grid, obj))


@primitive(T.GRID, T.OBJECT, T.COLOR, ret=T.GRID)
def recolor_object(grid: Grid, obj: Object, c: int) -> Grid | None:
    """The grid with the object's cells painted colour c."""
    out = grid.copy()
    paint_into(out, obj, c)
    return _frozen(out)


@primitive(T.GRID, T.OBJECT, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def slide_object(grid: Grid, obj: Object, direction: int) -> Grid | None:
    """Move the object (0 up, 1 down, 2 left, 3 right) until it meets a cell or the border."""
    h, w = grid.shape
    fits = obj.top >= 0 and obj.left >= 0 and obj.top + obj.height <= h and obj.left + obj.width <= w
    if direction not in DIRECTIONS or not fits:
        return NO_RESULT
    rest = _erased(grid, obj)
    mask = np.zeros(grid.shape, dtype=bool)
    mask[obj.top : obj.top + obj.height, obj.left : obj.left + obj.width] = obj.patch >= 0
    rows, cols = np.nonzero(cc.toward(mask, direction))
    view = cc.toward(rest, direction)  # a view: writing to it writes to rest
    fall = cc.fall_distance(view != 0, rows, cols)
    view[rows + fall, cols] = cc.toward(grid, direction)[rows, cols]
    return _frozen(rest)


# --- grid-level steps -----------------------------------------------------------------
# Most work on labels and boxes straight from dsl.components, without building Objects.


Rule = Callable[[cc.Components], np.ndarray]  # picks components: a mask over them


def _largest(comps: cc.Components) -> np.ndarray:
    return cc.one_hot_best(comps.sizes)


def _smallest(comps: cc.Components) -> np.ndarray:
    return cc.one_hot_best(-comps.sizes)


def _picked(grid: Grid, conn: int, rule: Rule) -> np.ndarray | None:
    """Per cell, whether its object (under ``conn``) is one ``rule`` picks; None if none is."""
    if conn not in CONNS:
        return None
    comps = cc.cached_components(grid, conn)
    chosen = rule(comps)
    return cc.per_component(comps, chosen, False) if chosen.any() else None


def _crop_picked(grid: Grid, picked: np.ndarray | None) -> Grid | None:
    """Crop to the bounding box of the picked cells."""
    if picked is None:
        return NO_RESULT
    rows, cols = np.flatnonzero(picked.any(axis=1)), np.flatnonzero(picked.any(axis=0))
    return make(grid[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])


def _paint_picked(grid: Grid, picked: np.ndarray | None, c: int) -> Grid | None:
    return NO_RESULT if picked is None else _frozen(np.where(picked, np.int8(c), grid))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def crop_to_largest_object(grid: Grid, conn: int) -> Grid | None:
    """Crop to the largest object's box (conn: 0/1 one colour, 2/3 any colours; 1/3 corners too)."""
    return _crop_picked(grid, _picked(grid, conn, _largest))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def crop_to_smallest_object(grid: Grid, conn: int) -> Grid | None:
    """Crop to the smallest object's box (conn codes as crop_to_largest_object)."""
    return _crop_picked(grid, _picked(grid, conn, _smallest))


def _crop_selected(grid: Grid, conn: int, select: Callable[[Objects], Object | None]) -> Grid | None:
    obj = select(objects_of(grid, conn)) if conn in CONNS else NO_RESULT
    return NO_RESULT if obj is None else crop_to_object(grid, obj)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def crop_to_unique_color_object(grid: Grid, conn: int) -> Grid | None:
    """Crop to the one object holding a colour no other object holds (conn codes as above)."""
    return _crop_selected(grid, conn, object_unique_color)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def crop_to_unique_shape_object(grid: Grid, conn: int) -> Grid | None:
    """Crop to the one object whose shape no other object has (conn codes as above)."""
    return _crop_selected(grid, conn, object_unique_shape)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def keep_largest_object(grid: Grid, conn: int) -> Grid | None:
    """Keep only the largest object, the rest set to 0 (conn codes as crop_to_largest_object)."""
    picked = _picked(grid, conn, _largest)
    return NO_RESULT if picked is None else _frozen(np.where(picked, grid, np.int8(0)))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def remove_noise(grid: Grid, conn: int) -> Grid | None:
    """Set the single-cell objects to 0 (conn codes as crop_to_largest_object)."""
    return _paint_picked(grid, _picked(grid, conn, lambda comps: comps.sizes == 1), 0)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"conn": CONNS})
def recolor_largest_object(grid: Grid, conn: int, c: int) -> Grid | None:
    """Paint the largest object colour c (conn codes as crop_to_largest_object)."""
    return _paint_picked(grid, _picked(grid, conn, _largest), c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"conn": CONNS})
def recolor_smallest_object(grid: Grid, conn: int, c: int) -> Grid | None:
    """Paint the smallest object colour c (conn codes as crop_to_largest_object)."""
    return _paint_picked(grid, _picked(grid, conn, _smallest), c)


@primitive(T.GRID, T.INT, T.COLOR, ret=T.GRID, domains={"k": SIZES})
def recolor_objects_of_size(grid: Grid, k: int, c: int) -> Grid | None:
    """Paint colour c on every one-colour edge-connected object of exactly k cells."""
    return _paint_picked(grid, _picked(grid, cc.SINGLE_4, lambda comps: comps.sizes == k), c)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"conn": CONNS})
def recolor_by_size_rank(grid: Grid, conn: int) -> Grid | None:
    """Colour objects 1 for the largest size, 2 for the next size, and so on (at most 9 sizes)."""
    comps = cc.cached_components(grid, conn) if conn in CONNS else None
    sizes = np.unique(comps.sizes)[::-1] if comps is not None else ()
    if not 0 < len(sizes) < NUM_COLORS:
        return NO_RESULT
    rank = (np.searchsorted(-sizes, -comps.sizes) + 1).astype(np.int8)
    return _frozen(np.where(comps.ids >= 0, cc.per_component(comps, rank, 0), grid))


def _paint_boxes(grid: Grid, margin: int, c: int) -> Grid | None:
    comps = cc.cached_components(grid, cc.MULTI_8)
    if not len(comps.sizes):
        return NO_RESULT
    return _frozen(np.where(cc.box_mask(comps, grid.shape, margin) & (grid == 0), np.int8(c), grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def box_objects(grid: Grid, c: int) -> Grid | None:
    """Draw in c the ring just outside each object's box (objects: any colours, corners; on 0 only)."""
    return _paint_boxes(grid, 1, c)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def fill_object_boxes(grid: Grid, c: int) -> Grid | None:
    """Paint c on the 0 cells inside each object's box (objects: any colours, corners)."""
    return _paint_boxes(grid, 0, c)


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def fill_object_holes(grid: Grid, c: int) -> Grid | None:
    """Paint c on the empty holes of objects (enclosed 0 regions with nothing inside them)."""
    empty = cc.holes(grid).empty
    return _frozen(np.where(empty, np.int8(c), grid)) if empty.any() else NO_RESULT


@primitive(T.GRID, ret=T.GRID)
def fill_holes_own_color(grid: Grid) -> Grid | None:
    """Fill every hole of an object (enclosed 0 region) with that object's most common colour."""
    owner = cc.holes(grid).owner
    if not (owner >= 0).any():
        return NO_RESULT
    main = cc.main_colors(grid, cc.cached_components(grid, cc.MULTI_8))
    return _frozen(np.where(owner >= 0, main[owner], grid))


@primitive(T.GRID, T.COLOR, ret=T.GRID)
def recolor_objects_with_holes(grid: Grid, c: int) -> Grid | None:
    """Paint c on every object (any colours, corners) that encloses a hole."""
    owner = cc.holes(grid).owner

    def enclosing(comps: cc.Components) -> np.ndarray:
        return np.isin(np.arange(len(comps.sizes)), owner)

    return _paint_picked(grid, _picked(grid, cc.MULTI_8, enclosing), c)


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def gravity_objects(grid: Grid, direction: int) -> Grid | None:
    """Move all objects (any colours, corners) rigidly toward a side (0 up, 1 down, 2 left, 3 right)."""
    if direction not in DIRECTIONS:
        return NO_RESULT
    view = cc.toward(grid, direction)
    comps = cc.cached_components(view, cc.MULTI_8)
    return _frozen(cc.back_from(cc.drop_down(view, comps.ids, comps.bottoms), direction))


@primitive(T.GRID, T.INT, ret=T.GRID, domains={"direction": DIRECTIONS})
def gravity_cells(grid: Grid, direction: int) -> Grid | None:
    """Let every non-zero cell fall toward a side (0 up, 1 down, 2 left, 3 right), keeping order."""
    if direction not in DIRECTIONS:
        return NO_RESULT
    view = cc.toward(grid, direction)
    order = np.argsort(view != 0, axis=0, kind="stable")  # zeros first, cells keep their order
    return _frozen(cc.back_from(np.take_along_axis(view, order, axis=0), direction))
