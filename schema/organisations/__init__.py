"""GraphQL types, inputs, queries and mutations of the organisation tree and the links between organisations."""
