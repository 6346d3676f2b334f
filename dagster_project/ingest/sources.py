"""The registry of extract sources: what the generic ingest assets need to know about each one.

Adding a source means adding a module with its contract and reader, a suite in expectations/,
and an entry here; the Dagster assets, checks and raw table follow from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dagster_project.ingest import national_figures
from dagster_project.ingest.reference import national_figures_parameters
from dagster_project.ingest.tabular import Contract


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    description: str
    contract: Contract
    read: Callable[[Path], national_figures.Extract]
    suite: str
    suite_parameters: Callable[[int], dict[str, object]]


NATIONAL_FIGURES = Source(
    name=national_figures.SOURCE,
    title="Nasjonale indikatortall",
    description=(
        "Indicator values delivered once a year (registers, budgets, national statistics), one row per "
        "indicator and year; a delivery may restate earlier years."
    ),
    contract=national_figures.CONTRACT,
    read=national_figures.read_extract,
    suite="national_figures",
    suite_parameters=national_figures_parameters,
)

SOURCES: tuple[Source, ...] = (NATIONAL_FIGURES,)
