"""GraphQL types, inputs, queries and mutations of the audit log: entries, filters, the trail shown on records."""
