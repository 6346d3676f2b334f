"""Reference data the ingest checks need before dbt has run: read straight from the dbt seeds.

The seeds are the single copy of the catalogue; dbt loads the same files into the warehouse.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from dagster_project.settings import SEEDS_DIR


def _rows(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    with (seeds_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def active_indicators() -> dict[int, dict[str, str]]:
    return {int(r["indicator_no"]): r for r in _rows("indicator_catalogue") if r["is_active"] == "true"}


@cache
def unit_codes() -> tuple[str, ...]:
    return tuple(r["unit"] for r in _rows("extract_units"))


def national_figures_parameters(delivery_year: int) -> dict[str, object]:
    """Values for the ``$PARAMETER`` placeholders of expectations/national_figures.json."""
    indicators = active_indicators()
    return {
        "active_indicator_numbers": sorted(indicators),
        "delivery_year": delivery_year,
        "units": list(unit_codes()),
        "indicator_units": [[no, row["extract_unit"]] for no, row in sorted(indicators.items())],
    }
