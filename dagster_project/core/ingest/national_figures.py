"""Source `national_figures`: indicator values as the evaluation team receives them each year.

One extract per delivery year, typed by a person or exported from a spreadsheet: a semicolon CSV
with decimal commas, or an XLSX with the data on its first sheet. One row per indicator and year
of the value; a delivery may restate earlier years (a revision), which becomes a new vintage.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest.tabular import Column, Contract, ParsedTable, read_frame

SOURCE = "national_figures"

CONTRACT = Contract(
    source=SOURCE,
    columns=(
        Column("indikator", "indicator_no", "int", description="Indicator number in the catalogue"),
        Column("år", "year", "int", description="Year the value refers to"),
        Column("verdi", "value", "decimal", description="The value, decimal comma"),
        Column("enhet", "unit", "text", description="Unit code, see extract_units"),
        Column("kilde", "source_reference", "text", description="Where the figure comes from"),
        Column("merknad", "note", "text", required=False, description="Optional remark"),
    ),
)


def read_extract(path: Path) -> ParsedTable:
    return read_frame(path, CONTRACT)
