"""The GraphQL surface: strawberry types, inputs, enums, the Schema and its extensions."""

# Attach GraphQL names and descriptions to the domain enums before any type uses them.
import schema.audit.enums
import schema.co_building.enums
import schema.issues.enums
import schema.love_bank.enums
import schema.organisations.enums
import schema.people.enums
import schema.positions.enums
import schema.service_posts.enums
import schema.stations.enums
import schema.tokens.enums
import schema.webhooks.enums  # noqa: F401
