"""The BrukerPlan booklet's distribution tables (areas and levekårsindeks by size class, gender and
age group), as served: aggregated, with small cells suppressed by the tested pure function."""


def model(dbt, session):
    dbt.config(materialized="table")
    from dagster_project.privacy.tables import distribution_tables

    cells = dbt.ref("int_brukerplan__distribution_cells").df()
    return distribution_tables(cells)
