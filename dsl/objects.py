"""Primitive family: objects (being written)."""
