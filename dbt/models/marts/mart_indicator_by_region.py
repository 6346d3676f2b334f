"""Drill-down: each computed indicator by county and size class per year, suppressed.

A dbt Python model so that the suppression is the tested pure function
(dagster_project.privacy.tables.indicator_by_region), not a SQL re-implementation of it.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from dagster_project.privacy.tables import indicator_by_region

    cells = dbt.ref("int_indicator_cells__by_region").df()
    return indicator_by_region(cells)
