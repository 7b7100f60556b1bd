"""Strawberry object types, one module per concept."""
