"""Primitive family: colour (being written)."""
