"""The GraphQL surface: strawberry types, inputs, enums, the Schema and its extensions."""

# Attach GraphQL names and descriptions to the domain enums before any type uses them.
import schema.enums  # noqa: F401
