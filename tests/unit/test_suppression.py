"""Small-cell suppression: naive suppression leaks through the totals, the secondary pattern does not."""

from __future__ import annotations

import pandas as pd

from dagster_project.core.privacy.suppression import (
    primary_suppressed,
    protect_table,
    recoverable_cells,
    secondary_suppressed,
)
from dagster_project.core.privacy.tables import distribution_tables, indicator_by_region

#: Recipients by county (rows) and size class (columns); the row and column totals are served too.
CRAFTED = {
    ("03", "small"): 0,
    ("03", "medium"): 0,
    ("03", "large"): 640,
    ("11", "small"): 3,
    ("11", "medium"): 48,
    ("11", "large"): 210,
    ("15", "small"): 27,
    ("15", "medium"): 61,
    ("15", "large"): 95,
    ("18", "small"): 35,
    ("18", "medium"): 2,
    ("18", "large"): 77,
}


def test_naive_suppression_of_small_cells_leaks_through_the_totals() -> None:
    primary = primary_suppressed(CRAFTED)
    assert primary == {("11", "small"), ("18", "medium")}
    # hiding only the small cells: each is the only unknown in its row, so row total minus the rest
    assert recoverable_cells(CRAFTED, primary) == primary


def test_secondary_suppression_leaves_nothing_recoverable() -> None:
    primary = primary_suppressed(CRAFTED)
    hidden = secondary_suppressed(CRAFTED, primary)
    assert primary < hidden
    assert recoverable_cells(CRAFTED, hidden) == set()
    for line in [[c for c in CRAFTED if c[0] == r] for r in {r for r, _ in CRAFTED}] + [
        [c for c in CRAFTED if c[1] == k] for k in {k for _, k in CRAFTED}
    ]:
        assert sum(c in hidden for c in line) != 1, line
    # the smallest partners were chosen: least information lost
    assert ("11", "medium") in hidden or ("15", "small") in hidden


def test_a_small_total_hides_its_line_and_a_partner_total() -> None:
    counts = {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 40, ("b", "y"): 50, ("c", "x"): 30, ("c", "y"): 20}
    cells, rows, columns = protect_table(counts, primary_suppressed(counts), primary_rows={"a"})
    assert rows == {"a", "c"}  # c has the smaller total of the others
    assert {("a", "x"), ("a", "y")} <= cells
    assert columns == set()
    assert recoverable_cells(counts, cells) == set()


def test_municipality_threshold_applies_even_to_many_persons() -> None:
    counts = {("a", "x"): 400}
    assert primary_suppressed(counts, {("a", "x"): 2}) == {("a", "x")}
    assert primary_suppressed(counts, {("a", "x"): 3}) == set()


def test_region_table_serves_no_recoverable_cell_and_correct_values() -> None:
    rows = []
    for (county, size), n in CRAFTED.items():
        if n:
            rows.append(
                {
                    "indicator_no": 77,
                    "year": 2018,
                    "computed_from": "brukerplan",
                    "measure": "share",
                    "count_kind": "persons",
                    "county_code": county,
                    "size_class": size,
                    "n_denominator": n,
                    "n_positive": n // 2,
                    "amount": None,
                    "n_municipalities": 4,
                }
            )
    table = indicator_by_region(pd.DataFrame(rows))
    cells = table[table.region_level == "county_by_size_class"]
    hidden = {(r.county_code, r.size_class) for r in cells.itertuples() if r.is_suppressed}
    assert {("11", "small"), ("18", "medium")} < hidden
    shown = {k: v for k, v in CRAFTED.items() if v}
    assert recoverable_cells(shown, hidden) == set()
    assert cells[cells.is_suppressed].value.isna().all() and cells[cells.is_suppressed].n_units.isna().all()
    national = table[table.region_level == "national"].iloc[0]
    assert national.n_units == sum(shown.values())
    assert national.value == 100 * sum(n // 2 for n in shown.values()) / sum(shown.values())


def test_distribution_table_suppresses_a_small_group_entirely() -> None:
    def cell(group_type, value, category, n):
        return {
            "year": 2018,
            "group_type": group_type,
            "group_value": value,
            "measure": "area_bolig",
            "category": category,
            "n_persons": n,
            "n_municipalities": 10,
        }

    frame = pd.DataFrame(
        [
            cell("total", "alle", "green", 103),
            cell("total", "alle", "yellow", 52),
            cell("total", "alle", "red", 23),
            cell("age_group", "16-17", "green", 2),
            cell("age_group", "16-17", "yellow", 1),
            cell("age_group", "16-17", "red", 1),
            cell("age_group", "18-23", "green", 41),
            cell("age_group", "18-23", "yellow", 21),
            cell("age_group", "18-23", "red", 2),
            cell("age_group", "24-29", "green", 60),
            cell("age_group", "24-29", "yellow", 30),
            cell("age_group", "24-29", "red", 20),
        ]
    )
    table = distribution_tables(frame)
    ages = table[table.group_type == "age_group"]
    hidden = {(r.group_value, r.category) for r in ages.itertuples() if r.is_suppressed}
    assert {("16-17", c) for c in ("green", "yellow", "red")} <= hidden
    counts = {
        (r["group_value"], r["category"]): r["n_persons"]
        for r in frame[frame.group_type == "age_group"].to_dict("records")
    }
    assert recoverable_cells(counts, hidden) == set()
    shares = ages[~ages.is_suppressed & (ages.group_value == "24-29")].set_index("category").share
    assert shares["green"] == 100 * 60 / 110
