"""The municipality list per year, derived from the two defective reference files."""

from __future__ import annotations

import csv
from functools import cache

from dagster_project.core.municipalities.history import (
    SEED_FILE,
    START_CORRECTIONS,
    counts_by_year,
    derive,
    read_klass,
    read_long,
    split_validity,
)
from dagster_project.settings import SEEDS_DIR


@cache
def derived():
    return derive(read_klass(), read_long())


def official_counts() -> dict[int, int]:
    with (SEEDS_DIR / "official_municipality_counts.csv").open(encoding="utf-8") as handle:
        return {int(r["year"]): int(r["official_count"]) for r in csv.DictReader(handle)}


def test_validity_suffix_is_split_from_names_with_their_own_parentheses() -> None:
    assert split_validity("Halden (-2019)") == ("Halden", None, 2019, True)
    assert split_validity("Halden (2020-2023)") == ("Halden", 2020, 2023, True)
    assert split_validity("Våler (Østfold) (-2019)") == ("Våler (Østfold)", None, 2019, True)
    assert split_validity("Våler (Østfold)") == ("Våler (Østfold)", None, None, False)
    assert split_validity("Kristiansund  (-2007)") == ("Kristiansund", None, 2007, True)


def test_derived_counts_equal_the_official_counts() -> None:
    assert counts_by_year(derived()) == official_counts()


def test_without_the_documented_corrections_the_mismatch_shows() -> None:
    uncorrected = counts_by_year(derive(read_klass(), read_long(), corrections={}))
    assert uncorrected != official_counts()
    assert set(START_CORRECTIONS) == {"1103", "1580"}


def test_reforms_renumberings_and_successors() -> None:
    rows = {(r.year, r.municipality_code): r for r in derived()}
    assert rows[(2017, "1601")].merged_into_code == "5001"  # Trondheim renumbered in 2018
    assert (2018, "1601") not in rows and (2018, "5001") in rows
    assert rows[(2019, "0101")].merged_into_code == "3001"  # Halden in Viken 2020
    assert rows[(2016, "0706")].merged_into_code == "0710" and (2017, "0706") not in rows  # Sandefjord 2017
    assert (2018, "1805") in rows and (2020, "1805") not in rows  # Narvik, filed under 'Rest'
    assert rows[(2016, "0301")].county_code == "03" and rows[(2016, "0301")].merged_into_code is None
    assert all(len(code) == 4 and code.isdigit() for _, code in rows)


def test_the_committed_seed_is_the_derivation() -> None:
    with SEED_FILE.open(encoding="utf-8") as handle:
        seed = [tuple(r.values()) for r in csv.DictReader(handle)]
    expected = [
        (str(r.year), r.municipality_code, r.municipality_name, r.county_code, r.merged_into_code or "")
        for r in derived()
    ]
    assert seed == expected
