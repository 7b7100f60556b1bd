"""Compiled reads: a root field's whole answer built as JSON by one SQL statement."""
