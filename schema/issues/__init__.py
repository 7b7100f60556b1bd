"""GraphQL surface of the resident problem list (居民問題清單) and joint meetings."""
