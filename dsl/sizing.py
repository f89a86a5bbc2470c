"""Primitive family: sizing (being written)."""
