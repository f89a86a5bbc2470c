"""Primitive family: masks (being written)."""
