"""The operations, one module per domain: GraphQL-free async functions taking (context, input)."""
