"""Webhooks for partner units: endpoints, deliveries, and the dispatcher that sends them."""
