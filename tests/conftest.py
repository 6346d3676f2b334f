"""Shared pytest setup for the test suite."""
