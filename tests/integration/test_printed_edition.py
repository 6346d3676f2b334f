"""The 2018 status report against Fafo-rapport 2019:33: every computed indicator's printed levels and
change cells come out of the sample microdata through the real pipeline."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project.indicators.rules import round_half_up
from dagster_project.sample.national_figures import (
    PRINTED_CHANGE_COLUMNS,
    parse_printed_change,
    printed_changes,
    published_values,
)
from tests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_every_computed_indicator_matches_its_printed_change_cells(sample_warehouse: Warehouse) -> None:
    changes = {
        (no, first, last): change
        for no, first, last, annualised, change in query(
            sample_warehouse,
            "select indicator_no, from_year, to_year, is_annualised, change "
            "from marts.mart_indicator_changes where to_year <= 2018",
        )
        if annualised == (last - first > 1)
    }
    origins = dict(
        query(sample_warehouse, "select distinct indicator_no, value_origin from marts.fct_indicator_values")
    )
    printed = printed_changes()
    assert len(printed) == 51
    mismatches = []
    for indicator, cells in printed.items():
        assert origins[indicator] == "computed", indicator
        for span, cell in cells.items():
            got = changes.get((indicator, *span))
            if cell is None:
                if got is not None:
                    mismatches.append((indicator, span, "N/A", got))
                continue
            target, decimals = cell
            if got is None or round_half_up(got, decimals) != round_half_up(target, decimals):
                mismatches.append((indicator, span, cell, got))
    assert mismatches == []
    assert len(PRINTED_CHANGE_COLUMNS) * 51 == sum(len(c) for c in printed.values())


def test_every_computed_indicator_matches_its_printed_levels(sample_warehouse: Warehouse) -> None:
    values = {
        (no, year): value
        for no, year, value in query(
            sample_warehouse,
            "select indicator_no, year, value from marts.fct_indicator_values "
            "where value_origin = 'computed'",
        )
    }
    published = published_values()
    decimals = dict(query(sample_warehouse, "select indicator_no, value_decimals from marts.dim_indicator"))
    checked = 0
    for indicator in printed_changes():
        for year in (2016, 2017, 2018):
            if (indicator, year) in published:
                expected = published[(indicator, year)]
                assert round_half_up(values[(indicator, year)], decimals[indicator]) == round_half_up(
                    expected, decimals[indicator]
                ), (indicator, year)
                checked += 1
    assert checked > 100


def test_printed_change_cells_parse_as_printed() -> None:
    assert parse_printed_change("\u22122,0 %-poeng") == (-2.0, 1)
    assert parse_printed_change("42 %") == (42.0, 0)
    assert parse_printed_change("N/A") is None
