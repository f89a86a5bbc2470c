"""Primitive family: lines (being written)."""
