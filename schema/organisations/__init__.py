"""GraphQL surface of the organisation tree and the links between organisations."""
