"""Reference data the ingest checks need before dbt has run: read straight from the dbt seeds.

The seeds are the single copy of the catalogue; dbt loads the same files into the warehouse.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

from dagster_project.settings import SEEDS_DIR, row_count_scale


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
    """Municipality codes valid on 1 January of the year (derived seed; dagster_project/core/municipalities).

    A year after the newest list is checked against that list: codes change rarely, and when they
    do, the new codes are rejected until the seed is brought up to date (README, adding a year).
    """
    rows = _rows("municipality_years")
    years = {int(r["year"]) for r in rows}
    # A year before the oldest list (2016) is checked against it: no boundary changed on 1 January 2016.
    listed = max(min(year, max(years)), min(years))
    return tuple(r["municipality_code"] for r in rows if int(r["year"]) == listed)


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


#: Sources with one row per person: their plausible counts grow with a benchmark's scale factor.
PERSON_LEVEL_SOURCES = ("brukerplan",)
#: IS-24/8: nearly every municipality answers (380 of 442 possible units was the floor 2016-2018).
IS24_8_MIN_RESPONSE_SHARE = 0.86


def row_count_range(source: str, delivery_year: int) -> tuple[int, int]:
    """The seed's range for the year; for a year it lacks, one derived from the municipalities valid
    that year (population, IS-24/8), else the widest range known for the source."""
    ranges = expected_row_counts()
    known = [r for (s, _), r in ranges.items() if s == source]
    if (source, delivery_year) in ranges:
        low, high = ranges[(source, delivery_year)]
    elif source == "population":
        low = high = len(municipality_codes(delivery_year))
    elif source == "is24_8":
        high = len(is24_8_units(delivery_year))
        low = math.floor(IS24_8_MIN_RESPONSE_SHARE * high)
    elif known:
        low, high = min(lo for lo, _ in known), max(hi for _, hi in known)
    else:
        low, high = 1, 10_000_000
    scale = row_count_scale() if source in PERSON_LEVEL_SOURCES else 1
    return low * scale, high * scale


def is24_8_units(delivery_year: int) -> list[str]:
    """Units that answer IS-24/8: the municipalities, with Oslo answering by its bydeler."""
    return [c for c in municipality_codes(delivery_year) if c != "0301"] + list(bydel_codes(delivery_year))


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
    return {
        "delivery_year": delivery_year,
        "unit_codes": is24_8_units(delivery_year),
        "min_rows": low,
        "max_rows": high,
    }


def brukerplan_parameters(delivery_year: int) -> dict[str, object]:
    low, high = row_count_range("brukerplan", delivery_year)
    return {
        "delivery_year": delivery_year,
        "municipality_codes": list(municipality_codes(delivery_year)),
        "min_rows": low,
        "max_rows": high,
    }


@cache
def is24_8_questions_asked(year: int) -> tuple[str, ...]:
    """IS-24/8 questions with a version asked in the year (seed is24_8_question_versions): each
    must be a column of that year's file. A question deliberately not asked has no version for
    the year (its last_year before, or its first_year after), and may then be absent."""
    return tuple(
        r["question_code"]
        for r in _rows("is24_8_question_versions")
        if int(r["first_year"]) <= year and (not r["last_year"] or year <= int(r["last_year"]))
    )
