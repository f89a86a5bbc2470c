"""Primitive family: patterns (being written)."""
