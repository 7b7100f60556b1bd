"""GraphQL types, inputs, queries and mutations of bearer and partner tokens."""
