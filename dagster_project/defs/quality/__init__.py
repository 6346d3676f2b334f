"""Check results from GE validations and the reconciliation check against published values."""
