"""GraphQL surface of positions: who holds which title where, from when to when."""
