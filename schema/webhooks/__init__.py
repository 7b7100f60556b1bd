"""The GraphQL surface of webhooks: endpoints, deliveries, their mutations."""
