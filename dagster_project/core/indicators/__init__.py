"""Indicator rules of the status report: year-on-year and annualised changes and their colours."""
