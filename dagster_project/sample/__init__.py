"""Deterministic sample landing data (real published figures; what is reconstructed says so)."""
