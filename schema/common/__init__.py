"""GraphQL helpers every domain's GraphQL types share (Relay connections)."""
