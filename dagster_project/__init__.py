"""Warehouse for the indicators of the Norwegian escalation plan for the substance-abuse field."""
