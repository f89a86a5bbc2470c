"""The DSL's value types. The search composes primitives by these names only."""

from __future__ import annotations

from enum import StrEnum


class T(StrEnum):
    """A DSL type. Values at run time:

    - GRID: read-only 2-D int8 array, values 0-9, 1x1..30x30 (see :mod:`dsl.grid`)
    - GRIDS: tuple of grids (cells of a split grid, halves, ...)
    - COLOR: int 0-9
    - INT: small int
    - BOOL: bool
    - OBJECT: :class:`dsl.objects.Object` (a connected component placed on a grid)
    - OBJECTS: tuple of objects
    """

    GRID = "Grid"
    GRIDS = "Grids"
    COLOR = "Color"
    INT = "Int"
    BOOL = "Bool"
    OBJECT = "Object"
    OBJECTS = "Objects"


# Types whose values are small literals in program text (bound from a finite set by the search).
LITERAL_TYPES = frozenset({T.COLOR, T.INT, T.BOOL})
