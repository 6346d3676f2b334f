"""Final disclosure of every served survey group: primary rule plus complementary suppression.

A dbt Python model so that the suppression is the tested pure function
(dagster_project.privacy.tables.survey_disclosure), not a SQL re-implementation of it; the survey
marts join it and show what it allows.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from dagster_project.privacy.tables import survey_disclosure

    return survey_disclosure(dbt.ref("int_survey_group_sizes").df())
