"""GraphQL surface of stations and their duty rosters."""
