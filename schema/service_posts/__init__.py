"""GraphQL types, inputs, queries and mutations of service posts (服務崗位) and in-service party members' registrations."""
