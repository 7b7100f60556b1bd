"""GraphQL surface of co-building lists (共建清單): needs and the projects partners commit to."""
