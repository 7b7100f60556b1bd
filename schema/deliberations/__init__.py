"""GraphQL surface of compound meetings (小區黨支部先議)."""
