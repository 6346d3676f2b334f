"""Source `national_figures`: indicator values as the evaluation team receives them each year.

One extract per delivery year, typed by a person or exported from a spreadsheet: a semicolon CSV
with decimal commas, or an XLSX with the data on its first sheet. One row per indicator and year
of the value; a delivery may restate earlier years (a revision), which becomes a new vintage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dagster_project.ingest.tabular import Column, Contract, read_table, to_frame

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


@dataclass(frozen=True)
class Extract:
    """A parsed delivery: the typed frame plus what the file says about itself."""

    frame: pd.DataFrame
    comments: tuple[str, ...]


def read_extract(path: Path) -> Extract:
    table = read_table(path, CONTRACT)
    return Extract(frame=to_frame(table, CONTRACT), comments=tuple(table.comments))
