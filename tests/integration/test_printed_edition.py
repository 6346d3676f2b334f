"""The 2018 status report against Fafo-rapport 2019:33: every computed indicator's printed levels and
change cells come out of the sample microdata through the real pipeline."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import duckdb
import pytest

from dagster_project.core.indicators.rules import round_half_up
from dagster_project.sample.national_figures import (
    PRINTED_CHANGE_COLUMNS,
    PRINTED_CHANGES,
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
            # NOK amounts (24) in constant 2018-kroner, as printed; nominal in fct_indicator_values
            "select indicator_no, year, value from marts.mart_indicator_values_constant_prices "
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


def _sample_report(warehouse: Warehouse, year: int = 2018):
    from dagster_project.core.reports.status_tables import build_status_report
    from dagster_project.defs.reports.assets import MART_QUERIES

    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        frames = {name: conn.execute(sql).df() for name, sql in MART_QUERIES.items()}
    return build_status_report(**frames, report_year=year, generated_at=datetime(2019, 11, 1, tzinfo=UTC))


#: Printed with the wrong unit: a percent-point change of 42 - 41 printed as "1,0 %" (METHOD.md).
PRINTED_UNIT_SLIPS = {(43, (2017, 2018))}


def test_the_report_prints_the_printed_change_cells(sample_warehouse: Warehouse) -> None:
    report = _sample_report(sample_warehouse)
    rows = {row.indicator_no: row for table in report.tables for row in table.rows}
    with PRINTED_CHANGES.open(encoding="utf-8", newline="") as handle:
        printed = list(csv.DictReader(handle))
    compared = 0
    for line in printed:
        row = rows[int(line["indicator_no"])]
        cells = {(c.column.from_year, c.column.to_year): c.text for c in row.changes}
        for column, span in PRINTED_CHANGE_COLUMNS.items():
            expected = line[column]
            if (row.indicator_no, span) in PRINTED_UNIT_SLIPS:
                expected = expected.replace(" %", " %-poeng")
            assert cells[span] == expected, (row.indicator_no, span)
            compared += 1
    assert compared == 153


def test_the_tables_are_laid_out_as_printed(sample_warehouse: Warehouse) -> None:
    report = _sample_report(sample_warehouse)
    tables = {t.table_id: t for t in report.tables}
    assert tables["7.1"].headers == ("#", "Type", "Indikator", "Kilde")
    assert tables["5.1"].headers == ("#", "Indikator", "Kilde")
    assert all(t.title.endswith(", tredje statusmåling") for t in report.tables)
    assert report.change_headers == ("2016\u20132017", "2017\u20132018", "2016\u20132018")
    # Type merged per group: spans cover every row once
    for table in report.tables:
        if table.has_type_column:
            assert sum(r.type_rowspan for r in table.rows) == len(table.rows)
    spans = [(r.indicator_no, r.type_rowspan) for r in tables["7.1"].rows if r.type_rowspan]
    assert spans[0] == (24, 3)  # 24-26 innsats
    six = next(r for r in tables["5.1"].rows if r.indicator_no == 6)
    assert [c.text for c in six.changes] == ["", "", "N/A"]
    notes_71 = " ".join(tables["7.1"].notes)
    assert "BU = " in notes_71 and "TSB = " in notes_71 and "BP = " in notes_71
    assert any("BP = BrukerPlan" in n for n in tables["6.1"].notes)
    footnotes = {f.indicator_no: f.text for t in report.tables for f in t.footnotes}
    assert "Konfliktrådet" in footnotes[92]
    assert "gylne regel" in footnotes[6]
    for source in ("IS-24/8", "BrukerPlan", "brukertilfredshetsundersøkelsen (BU)"):
        assert source in report.computed_note
    assert "user_satisfaction" not in report.computed_note
