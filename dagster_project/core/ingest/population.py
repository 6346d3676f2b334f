"""Source `population`: inhabitants per municipality on 1 January, one extract per year.

Needed for the municipality size classes (under 5 000, 5 000-19 999, 20 000 and over) that the
indicators are broken down by. Delivered like any other extract (SSB table 07459 or similar,
exported as semicolon CSV or XLSX): one row per municipality code valid on 1 January of that year.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest.tabular import Column, Contract, ParsedTable, read_frame

SOURCE = "population"

CONTRACT = Contract(
    source=SOURCE,
    columns=(
        Column("kommunenr", "municipality_code", "text", description="Municipality code, 4 digits"),
        Column("år", "year", "int", description="Year (population on 1 January)"),
        Column("folkemengde", "population", "int", description="Inhabitants on 1 January"),
    ),
)


def read_extract(path: Path) -> ParsedTable:
    return read_frame(path, CONTRACT)
