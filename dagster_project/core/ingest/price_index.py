"""Source `price_index`: the yearly deflator that restates NOK indicators in one year's kroner.

Delivered like the national figures: one extract per delivery year (semicolon CSV with decimal
commas, or XLSX), one row per year with the price growth from the year before in percent (e.g. the
municipal deflator of the state budget, or SSB's price index for public consumption). A delivery may
restate earlier years; the newest vintage of each year is used. Growth rates rather than index levels,
so that a restated or rebased series never mixes bases: the warehouse chains them itself.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest.tabular import Column, Contract, ParsedTable, read_frame

SOURCE = "price_index"

CONTRACT = Contract(
    source=SOURCE,
    columns=(
        Column("år", "year", "int", description="Year the price growth refers to"),
        Column(
            "prisvekst", "price_growth", "decimal", description="Price growth from the year before, percent"
        ),
        Column("kilde", "source_reference", "text", description="Where the deflator comes from"),
        Column("merknad", "note", "text", required=False, description="Optional remark"),
    ),
)


def read_extract(path: Path) -> ParsedTable:
    return read_frame(path, CONTRACT)


def suite_parameters(delivery_year: int) -> dict[str, object]:
    """Values for the ``$PARAMETER`` placeholders of expectations/price_index.json."""
    return {"delivery_year": delivery_year}
