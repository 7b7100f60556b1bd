"""Mobilisation (一聲令下, 應急動員): calls to action sent to a subtree, and their answers."""
