"""The dbt project as Dagster assets: one translator, one @dbt_assets definition."""
