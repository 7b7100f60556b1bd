"""The demo city and synthetic city-scale data: above resolvers, beside schema, so they may use
the domain rules but never GraphQL."""
