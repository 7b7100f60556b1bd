"""Storage: SQLModel tables, engine and sessions, the audit store, migrations, demo data."""
