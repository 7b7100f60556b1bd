"""GraphQL types, inputs, queries and mutations of people, and the signed-in caller (me)."""
