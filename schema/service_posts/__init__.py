"""GraphQL surface of service posts (服務崗位) and registrations."""
