"""GraphQL surface of bearer and partner tokens."""
