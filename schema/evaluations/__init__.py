"""GraphQL surface of annual evaluations and the firms' standing (black/white lists)."""
