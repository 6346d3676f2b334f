"""The warehouse engine as a Dagster resource, and publication on PostgreSQL."""
