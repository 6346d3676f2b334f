"""Survey statistics as plain functions: disclosure control, percent bases, indices, reliability."""
