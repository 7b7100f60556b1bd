"""GraphQL types, inputs, queries and mutations of compound and subtree indicators."""
