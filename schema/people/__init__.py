"""GraphQL surface of people, and the signed-in caller (me)."""
