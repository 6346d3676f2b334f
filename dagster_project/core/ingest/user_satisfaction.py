"""Source `user_satisfaction`: the national user-satisfaction survey, microdata as SPSS .sav per wave.

The survey (KoRus for Helsedirektoratet; 2017, repeated 2019 and 2021) asks users of municipal
services for substance-use problems about the help they get. The data-entry firm delivers one SPSS
file per wave; its value labels are checked against the codebook of that wave (see survey_microdata).
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest import survey_microdata

SOURCE = "user_satisfaction"
CONTRACT = survey_microdata.survey_contract(SOURCE)


def read_extract(path: Path) -> survey_microdata.Extract:
    return survey_microdata.read_sav(path, SOURCE)


#: Plausible long rows (respondents x answered variables) of one wave.
MAX_ROWS = 200_000


def suite_parameters(wave: int) -> dict[str, object]:
    return survey_microdata.suite_parameters(SOURCE, wave, MAX_ROWS)
