"""The privacy marts as assets (written outside dbt, from the registry in core.privacy.marts)."""
