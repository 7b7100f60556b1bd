"""GraphQL surface of compound and subtree indicators."""
