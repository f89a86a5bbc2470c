"""Primitive family: tiling (being written)."""
