"""Mobilisation (一聲令下, 應急動員) in GraphQL."""
