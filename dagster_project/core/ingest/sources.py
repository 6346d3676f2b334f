"""The registry of extract sources: what the generic ingest assets need to know about each one.

Adding a source means adding a module with its contract and reader, a suite in expectations/,
and an entry here; the Dagster assets, checks and raw table follow from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from dagster_project.core.ingest import (
    brukerplan,
    is24_8,
    municipal_sample_survey,
    national_figures,
    population,
    price_index,
    service_mapping,
    user_satisfaction,
)
from dagster_project.core.ingest.reference import (
    brukerplan_parameters,
    is24_8_parameters,
    national_figures_parameters,
    population_parameters,
)
from dagster_project.core.ingest.tabular import Contract


class ParsedExtract(Protocol):
    """What a source's reader returns: the typed frame and the file's own comment lines."""

    @property
    def frame(self) -> pd.DataFrame: ...

    @property
    def comments(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    description: str
    contract: Contract
    read: Callable[[Path], ParsedExtract]
    suite: str
    suite_parameters: Callable[[int], dict[str, object]]
    #: A CSV delivery's contract, when a plain CSV of the source is typed in DuckDB (``staging``)
    #: rather than by ``read``; and the reader's checks beyond typing, on the staged table.
    csv_contract: Callable[[Path], Contract] | None = None
    check_staged: Callable[[Path, object], None] | None = None


NATIONAL_FIGURES = Source(
    name=national_figures.SOURCE,
    title="Nasjonale indikatortall",
    description=(
        "Indicator values delivered once a year (registers, budgets, national statistics), one row per "
        "indicator and year; a delivery may restate earlier years."
    ),
    contract=national_figures.CONTRACT,
    read=national_figures.read_extract,
    csv_contract=lambda _: national_figures.CONTRACT,
    suite="national_figures",
    suite_parameters=national_figures_parameters,
)

POPULATION = Source(
    name=population.SOURCE,
    title="Folkemengde per kommune",
    description=(
        "Inhabitants per municipality on 1 January, one row per municipality code valid that year; "
        "gives the municipality size classes."
    ),
    contract=population.CONTRACT,
    read=population.read_extract,
    csv_contract=lambda _: population.CONTRACT,
    suite="population",
    suite_parameters=population_parameters,
)

IS24_8 = Source(
    name=is24_8.SOURCE,
    title="IS-24/8 kommunekartlegging",
    description=(
        "The municipal survey IS-24/8 (microdata): one row per responding municipality or Oslo bydel "
        "with its answers; 28 indicators are computed from it."
    ),
    contract=is24_8.CONTRACT,
    read=is24_8.read_extract,
    csv_contract=lambda _: is24_8.CONTRACT,
    check_staged=is24_8.check_staged,
    suite="is24_8",
    suite_parameters=is24_8_parameters,
)

BRUKERPLAN = Source(
    name=brukerplan.SOURCE,
    title="BrukerPlan-registreringer",
    description=(
        "BrukerPlan (microdata, person level): one row per registered service recipient with a "
        "pseudonymous key; 11 indicators and the distribution tables are computed from it."
    ),
    contract=brukerplan.CONTRACT,
    read=brukerplan.read_extract,
    csv_contract=brukerplan.contract_of,
    suite="brukerplan",
    suite_parameters=brukerplan_parameters,
)

USER_SATISFACTION = Source(
    name=user_satisfaction.SOURCE,
    title="Brukertilfredshetsundersøkelsen (mikrodata)",
    description=(
        "User-satisfaction survey microdata, one SPSS .sav per wave; loaded long (respondent x variable) "
        "and checked against the wave's codebook (dbt/seeds/survey_items.csv)."
    ),
    contract=user_satisfaction.CONTRACT,
    read=user_satisfaction.read_extract,
    suite="user_satisfaction",
    suite_parameters=user_satisfaction.suite_parameters,
)

MUNICIPAL_SAMPLE_SURVEY = Source(
    name=municipal_sample_survey.SOURCE,
    title="Utvalgsundersøkelse blant kommuner (mikrodata)",
    description=(
        "Sample survey of municipalities and Oslo districts (2011), one semicolon CSV of codes per wave; "
        "loaded long and checked against the wave's codebook."
    ),
    contract=municipal_sample_survey.CONTRACT,
    read=municipal_sample_survey.read_extract,
    suite="municipal_sample_survey",
    suite_parameters=municipal_sample_survey.suite_parameters,
)

SERVICE_MAPPING = tuple(
    Source(
        name=instrument,
        title=f"Kartlegging 2003: {title} (skjema)",
        description=(
            f"The 2003 national service mapping, {description}: one semicolon CSV of codes per wave, "
            "loaded long and checked against the wave's codebook."
        ),
        contract=service_mapping.CONTRACTS[instrument],
        read=service_mapping.reader(instrument),
        suite=instrument,
        suite_parameters=service_mapping.suite_parameters(instrument),
    )
    for instrument, title, description in (
        (
            service_mapping.CONSULTATIONS,
            "konsultasjoner i sosialtjenesten",
            "Skjema 3 (one form per consultation)",
        ),
        (service_mapping.GP, "konsultasjoner hos fastlege", "the GP form (one form per consultation)"),
        (
            service_mapping.INSTITUTIONS,
            "klienter i rusinstitusjoner",
            "the institution form (one per client)",
        ),
    )
)

PRICE_INDEX = Source(
    name=price_index.SOURCE,
    title="Prisindeks (deflator)",
    description=(
        "Yearly price growth in percent (deflator), one row per year; restates the NOK indicators "
        "in the report year's kroner. A delivery may restate earlier years."
    ),
    contract=price_index.CONTRACT,
    read=price_index.read_extract,
    csv_contract=lambda _: price_index.CONTRACT,
    suite="price_index",
    suite_parameters=price_index.suite_parameters,
)

SOURCES: tuple[Source, ...] = (
    NATIONAL_FIGURES,
    POPULATION,
    IS24_8,
    BRUKERPLAN,
    USER_SATISFACTION,
    MUNICIPAL_SAMPLE_SURVEY,
    *SERVICE_MAPPING,
    PRICE_INDEX,
)
