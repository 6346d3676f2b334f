"""Source `municipal_sample_survey`: the 2011 sample survey of municipalities (one respondent per unit).

Rambøll for Helsedirektoratet (2011): 48 municipalities and 3 Oslo districts, one respondent each,
the person responsible for substance-abuse work. Delivered as a semicolon CSV of codes; the codebook
(dbt/seeds/survey_items.csv, survey_response_options.csv) gives the labels and «vet ikke» codes.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest import survey_microdata

SOURCE = "municipal_sample_survey"
CONTRACT = survey_microdata.survey_contract(SOURCE)


def read_extract(path: Path) -> survey_microdata.Extract:
    return survey_microdata.read_csv(path, SOURCE)


#: Plausible long rows (respondents x answered variables) of one wave.
MAX_ROWS = 50_000


def suite_parameters(wave: int) -> dict[str, object]:
    return survey_microdata.suite_parameters(SOURCE, wave, MAX_ROWS)
