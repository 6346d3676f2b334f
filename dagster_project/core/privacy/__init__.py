"""Disclosure control for served tables (this is health data about vulnerable people)."""
