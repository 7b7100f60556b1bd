"""GraphQL types, inputs, queries and mutations of annual evaluations and the firms' standing (black/white lists)."""
