"""Composition root: settings, ASGI app factory, middleware, CLI and logging."""
