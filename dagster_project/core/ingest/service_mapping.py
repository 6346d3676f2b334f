"""Sources `service_mapping_*`: the 2003 national mapping of services to people with substance-use problems.

SINTEF Unimed / Rogalandsforskning for Sosial- og helsedirektoratet, autumn 2003: the baseline before
the 2004 reform. Three registration streams, each one form per consultation or client and no person
identifier: Skjema 3 (one form per social-service consultation in week 46), the GP form (one per GP
consultation in week 46) and the institution client form (one per client on the census day or in
weeks 47-48). Each stream is an instrument of the survey model: a semicolon CSV of codes per wave,
loaded long and checked against the wave's codebook (dbt/seeds/survey_items.csv). The office and
caseworker forms (Skjema 1 and 2) describe offices, not consultations, and are not loaded here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dagster_project.core.ingest import survey_microdata

CONSULTATIONS = "service_mapping_consultations"
GP = "service_mapping_gp"
INSTITUTIONS = "service_mapping_institutions"

#: Plausible long rows (forms x delivered variables) of one wave, per stream.
MAX_ROWS = {CONSULTATIONS: 250_000, GP: 30_000, INSTITUTIONS: 250_000}

CONTRACTS = {name: survey_microdata.survey_contract(name) for name in MAX_ROWS}


def reader(instrument: str) -> Callable[[Path], survey_microdata.Extract]:
    def read_extract(path: Path) -> survey_microdata.Extract:
        return survey_microdata.read_csv(path, instrument)

    return read_extract


def suite_parameters(instrument: str) -> Callable[[int], dict[str, object]]:
    def parameters(wave: int) -> dict[str, object]:
        return survey_microdata.suite_parameters(instrument, wave, MAX_ROWS[instrument])

    return parameters
