"""The 2003 service mapping through the real pipeline: instruments, derived classifications, report."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from tests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def figure(warehouse: Warehouse, stream: str, table_id: str, row: str, column: str) -> tuple:
    rows = query(
        warehouse,
        "select n, base_n, percent_of_base from marts.mart_service_mapping_figures "
        "where form_stream = ? and table_id = ? and row_label = ? and column_label = ?",
        [stream, table_id, row, column],
    )
    assert len(rows) == 1, (stream, table_id, row, column)
    return rows[0]


def test_three_instruments_give_the_printed_numbers_of_forms(sample_warehouse: Warehouse) -> None:
    got = dict(
        query(
            sample_warehouse,
            "select instrument, n_respondents from marts.mart_survey_respondents "
            "where wave = 2003 and group_type = 'total'",
        )
    )
    assert got == {
        "service_mapping_consultations": 1700,
        "service_mapping_gp": 553,
        "service_mapping_institutions": 3390,
    }


def test_derived_classifications_reproduce_chapter_4(sample_warehouse: Warehouse) -> None:
    assert figure(sample_warehouse, "consultations", "Tabell 4-6", "alle tre", "Total")[:2] == (417, 1436)
    assert figure(sample_warehouse, "consultations", "Tabell 4-6", "Ubesvart", "Total")[0] == 264
    heavy = figure(
        sample_warehouse,
        "consultations",
        "Tekst 4.4",
        "Tunge rusmiddelmisbrukere (kommunal definisjon)",
        "Skjema med type misbruk",
    )
    assert heavy[:2] == (544, 1436) and round(heavy[2]) == 38
    assert figure(sample_warehouse, "consultations", "Tabell 4-8", "psykisk + somatisk", "Total")[0] == 284


def test_need_against_offered_uses_the_reports_rounding(sample_warehouse: Warehouse) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            sample_warehouse,
            "select measure, need_percent, offered_percent, ratio, ratio_text from "
            "marts.mart_service_mapping_need_offered",
        )
    }
    assert rows["Trygdeytelser"] == (22, 19, 86, "86")  # 323/366 from the counts would give 88
    assert rows["Behandling/rehabilitering"][2] == 70
    assert rows["Råd og veiledning"][3] == "> 100"
    assert rows["Støttekontakt"][2] == 29


def test_institution_heavy_use_definition_differs_from_the_municipal(sample_warehouse: Warehouse) -> None:
    n, base, _ = figure(
        sample_warehouse,
        "institutions",
        "Tekst 6.2",
        "Tunge rusmiddelmisbrukere (institusjonsdefinisjon)",
        "Alle klienter",
    )
    assert (n, base) == (1770, 3390)


def test_no_form_level_table_is_served(sample_warehouse: Warehouse) -> None:
    served = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    with duckdb.connect(str(served), read_only=True) as conn:
        tables = {r[0] for r in conn.execute("select table_name from information_schema.tables").fetchall()}
    assert "mart_service_mapping_figures" in tables
    assert not any(t.startswith(("int_", "stg_")) for t in tables)


def test_mapping_report_is_written_and_labelled_synthetic(sample_warehouse: Warehouse) -> None:
    folder = sample_warehouse.settings.reports_dir / "2003"
    html = (folder / "kartlegging_2003.html").read_text(encoding="utf-8")
    assert "SYNTETISKE DATA" in html
    assert "Tabell 4-13" in html and "Tabell 6-3" in html
    workbook = load_workbook(folder / "kartlegging_2003.xlsx", read_only=True)
    assert "Data" in workbook.sheetnames and len(workbook.sheetnames) >= 5
