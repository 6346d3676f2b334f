"""Reader-facing status reports built from the warehouse marts."""
