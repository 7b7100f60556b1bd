"""GraphQL surface of mentoring (導師幫帶) and commendations (兩優一先)."""
