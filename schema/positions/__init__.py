"""GraphQL types, inputs, queries and mutations of positions: who holds which title where, from when to when."""
