"""GraphQL types, inputs, queries and mutations of the love bank (愛心銀行): volunteer services, points, rewards."""
