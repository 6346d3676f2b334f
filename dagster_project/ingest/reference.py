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


@cache
def municipality_codes(year: int) -> tuple[str, ...]:
    """Municipality codes valid on 1 January of the year (derived seed; dagster_project/municipalities)."""
    return tuple(r["municipality_code"] for r in _rows("municipality_years") if int(r["year"]) == year)


@cache
def bydel_codes(year: int) -> tuple[str, ...]:
    return tuple(
        r["bydel_code"]
        for r in _rows("oslo_bydeler")
        if int(r["valid_from"]) <= year and (not r["valid_to"] or year <= int(r["valid_to"]))
    )


@cache
def expected_row_counts() -> dict[tuple[str, int], tuple[int, int]]:
    """Per source and delivery year: the plausible row-count range (seed expected_row_counts)."""
    return {
        (r["source"], int(r["delivery_year"])): (int(r["min_rows"]), int(r["max_rows"]))
        for r in _rows("expected_row_counts")
    }


def row_count_range(source: str, delivery_year: int) -> tuple[int, int]:
    """The range for the year, else the widest range known for the source (a new year is no error)."""
    ranges = expected_row_counts()
    if (source, delivery_year) in ranges:
        return ranges[(source, delivery_year)]
    known = [r for (s, _), r in ranges.items() if s == source]
    return (min(lo for lo, _ in known), max(hi for _, hi in known)) if known else (1, 10_000_000)


def population_parameters(delivery_year: int) -> dict[str, object]:
    low, high = row_count_range("population", delivery_year)
    return {
        "delivery_year": delivery_year,
        "municipality_codes": list(municipality_codes(delivery_year)),
        "min_rows": low,
        "max_rows": high,
    }


def is24_8_parameters(delivery_year: int) -> dict[str, object]:
    low, high = row_count_range("is24_8", delivery_year)
    units = [c for c in municipality_codes(delivery_year) if c != "0301"] + list(bydel_codes(delivery_year))
    return {"delivery_year": delivery_year, "unit_codes": units, "min_rows": low, "max_rows": high}


def brukerplan_parameters(delivery_year: int) -> dict[str, object]:
    low, high = row_count_range("brukerplan", delivery_year)
    return {
        "delivery_year": delivery_year,
        "municipality_codes": list(municipality_codes(delivery_year)),
        "min_rows": low,
        "max_rows": high,
    }
