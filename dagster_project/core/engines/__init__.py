"""The database engine the warehouse builds on: DuckDB (default, one file) or PostgreSQL (a server)."""
