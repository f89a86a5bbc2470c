"""Primitive family: geometry (being written)."""
