"""The whole graph materialised from the bundled sample: real Dagster runs, GE, dbt and DuckDB."""

from __future__ import annotations

import hashlib

import duckdb
import pytest
from openpyxl import load_workbook

from dagster_project.core.indicators.rules import indicator_changes
from dagster_project.sample.municipal import round_half_up
from tests.integration.conftest import Warehouse, run
from tests.unit.test_status_report import excel_display

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def test_every_delivery_loaded_with_its_file_and_hash(sample_warehouse: Warehouse) -> None:
    loads = query(
        sample_warehouse,
        "select delivery_year, file_name, row_count, file_sha256 from marts.fct_extract_loads "
        "where source = 'national_figures' order by 1",
    )
    assert [(y, f, n) for y, f, n, _ in loads] == [
        (2016, "nasjonale_tall_2016.csv", 53),
        (2017, "nasjonale_tall_2017.xlsx", 84),
        (2018, "nasjonale_tall_2018.csv", 64),
    ]
    landing = sample_warehouse.settings.landing_dir / "national_figures"
    for year, name, _, sha in loads:
        assert sha == hashlib.sha256((landing / str(year) / name).read_bytes()).hexdigest()


def test_current_values_equal_the_published_figures(sample_warehouse: Warehouse) -> None:
    import csv

    from dagster_project.sample.national_figures import DATA, delivered_values

    with DATA.open(encoding="utf-8") as handle:
        published = {
            (int(r["indicator_no"]), int(r["year"])): float(r["value"]) for r in csv.DictReader(handle)
        }
    rows = query(
        sample_warehouse,
        "select v.indicator_no, v.year, c.value, v.value_origin, v.published_value, d.value_decimals, "
        "c.is_price_adjusted "
        "from marts.fct_indicator_values v join marts.dim_indicator d using (indicator_no) "
        "join marts.mart_indicator_values_constant_prices c using (indicator_no, year)",
    )
    # Computed values are unrounded, NOK amounts restated from current prices in 2018-kroner (as
    # printed): after the report's rounding they are the published figures.
    current = {
        (no, year): (round_half_up(value, decimals) if origin == "computed" or adjusted else value)
        for no, year, value, origin, _, decimals, adjusted in rows
    }
    assert current == published
    assert len(current) == 195
    delivered = delivered_values()  # NOK amounts in current prices, as a delivery states them
    assert all(p == delivered[(no, y)] for no, y, _, _, p, _, _ in rows)


def test_indicator_4_changes_in_the_mart(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        """
        select from_year, to_year, is_annualised, round(change, 4), change_unit, colour
        from marts.mart_indicator_changes where indicator_no = 4 order by is_annualised, from_year, to_year
        """,
    )
    assert rows == [
        (2016, 2017, False, 5.0014, "percent", "green"),  # 14633 / 13936 - 1
        (2017, 2018, False, 8.6175, "percent", "green"),  # 15894 / 14633 - 1
        (2016, 2017, True, 5.0014, "percent", "green"),  # one year: the same as year-on-year
        (2016, 2018, True, 6.7942, "percent", "green"),  # sqrt(15894 / 13936) - 1: "6,8 prosent per år"
    ]


def test_percent_indicator_and_threshold_in_the_mart(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        """
        select from_year, to_year, is_annualised, round(change, 6), change_unit, colour
        from marts.mart_indicator_changes where indicator_no = 45 and to_year = 2018 order by is_annualised
        """,
    )
    # 77, 74, 73 %: -1.0 pp is exactly at the threshold, so yellow; (73 - 77) / 2 = -2.0 pp red.
    assert rows == [
        (2017, 2018, False, -1.0, "percentage_points", "yellow"),
        (2016, 2018, True, -2.0, "percentage_points", "red"),
    ]


def test_mart_agrees_with_the_python_rules_for_every_indicator(sample_warehouse: Warehouse) -> None:
    """The SQL macros and the pure Python rules are two implementations checked against each other."""
    indicators = query(
        sample_warehouse,
        "select indicator_no, unit_kind, desired_direction, change_rule "
        "from marts.dim_indicator where is_active",
    )
    values: dict[int, dict[int, float]] = {}
    for no, year, value in query(
        sample_warehouse, "select indicator_no, year, value from marts.mart_indicator_values_constant_prices"
    ):
        values.setdefault(no, {})[year] = value
    mart = {
        (no, f, t, a): (c, u, col, r)
        for no, f, t, a, c, u, col, r in query(
            sample_warehouse,
            "select indicator_no, from_year, to_year, is_annualised, change, change_unit, colour, na_reason "
            "from marts.mart_indicator_changes",
        )
    }
    compared = 0
    for no, unit_kind, direction, change_rule in indicators:
        for report_year in (2017, 2018):
            for expected in indicator_changes(
                values.get(no, {}),
                unit_kind=unit_kind,
                desired_direction=direction,
                change_rule=change_rule,
                report_year=report_year,
            ):
                key = (no, expected.from_year, expected.to_year, expected.is_annualised)
                change, unit, colour, reason = mart[key]
                assert unit == expected.change_unit, key
                assert colour == expected.colour, key
                assert reason == expected.na_reason, key
                if expected.change is None:
                    assert change is None, key
                else:
                    assert change == pytest.approx(expected.change, rel=1e-12), key
                compared += 1
    assert compared == 85 * (2 + 3)


def test_no_change_indicators_and_unclear_direction(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select distinct indicator_no, colour, na_reason, change is null from marts.mart_indicator_changes "
        "where indicator_no in (1, 2, 6) order by 1",
    )
    assert rows == [
        (1, "none", "no_change_rule", True),
        (2, "none", "no_change_rule", True),
        (6, "none", "no_change_rule", True),
    ]
    (row,) = query(
        sample_warehouse,
        "select round(change, 3), colour from marts.mart_indicator_changes "
        "where indicator_no = 44 and from_year = 2016 and to_year = 2017 and not is_annualised",
    )
    assert row == (19.728, "none")  # 1499 / 1252 - 1, direction unclear: no colour


def test_revision_of_indicator_91_is_kept_and_flagged(sample_warehouse: Warehouse) -> None:
    history = query(
        sample_warehouse,
        "select year, delivery_year, value, is_current_vintage from marts.fct_indicator_value_history "
        "where indicator_no = 91 order by year, delivery_year",
    )
    assert history == [
        (2016, 2016, 35.0, False),
        (2016, 2018, 32.0, True),
        (2017, 2017, 135.0, False),
        (2017, 2018, 132.0, True),
        (2018, 2018, 163.0, True),
    ]
    revised = query(
        sample_warehouse,
        "select indicator_no, year, previous_value, previous_delivery_year from marts.fct_indicator_values "
        "where is_revised order by 1, 2",
    )
    # 2 and 6 were restated with unchanged values: a restatement, not a revision.
    assert revised == [(91, 2016, 35.0, 2016), (91, 2017, 135.0, 2017)]


def test_status_report_2018_html_and_xlsx(sample_warehouse: Warehouse) -> None:
    folder = sample_warehouse.settings.reports_dir / "2018"
    page = (folder / "indikatorstatus_2018.html").read_text(encoding="utf-8")
    for table in ("5.1", "6.1", "7.1", "8.1", "9.1", "10.1", "11.1"):
        assert f"Tabell {table}" in page
    assert "13 936" in page and "15 894" in page
    assert "6,8 %" in page  # ind. 4 annualised
    assert "\u22123,1" in page  # ind. 6, 2017, with U+2212
    assert "\u22122,0 %-poeng" in page  # ind. 45 annualised
    assert "nasjonale_tall_2018.csv" in page and "Eksempeldata" in page
    assert "Revidert verdi: tidligere levert 35" in page
    # computed from microdata: marked, and the marker explained
    assert "15 894\u1d47" in page and "Beregnet i lageret fra mikrodata" in page
    assert "2 152\u1d47" not in page  # ind. 3 is published only
    workbook = load_workbook(folder / "indikatorstatus_2018.xlsx")
    sheet = workbook["Indikatorstatus"]
    shown = {excel_display(cell): cell for row in sheet.iter_rows() for cell in row}
    assert shown["15 894\u1d47"].value == 15894  # a number, its marker in the display format
    assert any(text.startswith("\u1d47 Beregnet i lageret") for text in shown)
    fills = {
        cell.fill.fgColor.rgb
        for row in sheet.iter_rows()
        for cell in row
        if excel_display(cell) in ("6,8 %", "\u22122,0 %-poeng")
    }
    assert fills == {"FF92D050", "FFFF5B5B"}


def test_publication_holds_marts_only(sample_warehouse: Warehouse) -> None:
    serving = sample_warehouse.settings.serving_dir
    with duckdb.connect(str(serving / "warehouse.duckdb"), read_only=True) as conn:
        schemas = {r[0] for r in conn.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        files = conn.execute("select count(*) from marts.publication").fetchone()[0]
        described = conn.execute(
            "select count(*) from duckdb_columns() "
            "where table_name = 'mart_indicator_changes' and comment is not null"
        ).fetchone()[0]
    assert schemas == {"marts"}
    assert files == 21  # the current file of each delivery of the ten sources
    assert described == 12
    assert sorted(p.name for p in (serving / "parquet").glob("*.parquet")) == [
        "dim_indicator.parquet",
        "dim_municipality_year.parquet",
        "dim_price_index.parquet",
        "dim_reporting_unit_year.parquet",
        "fct_extract_loads.parquet",
        "fct_indicator_value_history.parquet",
        "fct_indicator_values.parquet",
        "mart_brukerplan_booklet.parquet",
        "mart_brukerplan_distribution.parquet",
        "mart_indicator_by_region.parquet",
        "mart_indicator_changes.parquet",
        "mart_indicator_values_constant_prices.parquet",
        "mart_published_figure_checks.parquet",
        "mart_service_mapping_figures.parquet",
        "mart_service_mapping_need_offered.parquet",
        "mart_survey_index_summary.parquet",
        "mart_survey_item_distribution.parquet",
        "mart_survey_item_summary.parquet",
        "mart_survey_respondents.parquet",
        "publication.parquet",
    ]


def test_loading_the_same_files_again_changes_nothing(sample_warehouse: Warehouse, tmp_path) -> None:
    from tests.integration.conftest import copy_warehouse

    copy = copy_warehouse(sample_warehouse, tmp_path / "again")
    before = query(copy, "select * from marts.fct_indicator_value_history order by all")
    summary = run(copy.root)
    assert summary.success, summary.failures
    assert all("unchanged, not read again" in line for line in summary.loaded)
    assert query(copy, "select * from marts.fct_indicator_value_history order by all") == before


def test_bi_client_reads_the_published_copy_read_only(sample_warehouse: Warehouse) -> None:
    """What Superset and other SQLAlchemy-based tools do, through duckdb-engine."""
    import sqlalchemy as sa

    serving_db = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    engine = sa.create_engine(f"duckdb:///{serving_db}?access_mode=read_only")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select colour, count(*) from marts.mart_indicator_changes where to_year = 2018 group by 1"
            )
        ).fetchall()
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            conn.execute(sa.text("create table marts.scratch (a integer)"))
    engine.dispose()
    assert sum(n for _, n in rows) == 85 * 2
