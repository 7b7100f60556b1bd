"""GraphQL types, inputs, queries and mutations of stations and their duty rosters."""
