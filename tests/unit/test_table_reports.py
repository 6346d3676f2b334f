"""The 2003 mapping and BrukerPlan booklet reports: built from mart rows, rendered, written, labelled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from dagster_project.core.reports.brukerplan_report import build_brukerplan_report
from dagster_project.core.reports.figure_tables import write_table_report
from dagster_project.core.reports.mapping_report import build_mapping_report

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LOADS = pd.DataFrame(
    [
        {
            "file_name": "f.csv",
            "file_sha256": "ab" * 32,
            "loaded_at": "2026-01-01",
            "file_comment": "SYNTETISKE DATA",
        }
    ]
)


def _figure(table_id, row, column, n, base, percent, suppressed=False, mean=None):
    return {
        "form_stream": "consultations",
        "table_id": table_id,
        "row_label": row,
        "row_order": 1,
        "column_label": column,
        "column_order": 0,
        "n": None if suppressed else n,
        "base_n": base,
        "percent_of_base": None if suppressed else percent,
        "mean_value": mean,
        "sd_value": None,
        "max_value": None,
        "is_suppressed": suppressed,
    }


def test_mapping_report_shows_counts_shares_and_suppressed_cells(tmp_path: Path) -> None:
    figures = pd.DataFrame(
        [
            _figure("Tabell 4-6", "alle tre", "Total", 417, 1436, 29.04),
            _figure("Tabell 4-6", "medikamenter alene", "bykommuner", None, 441, None, suppressed=True),
        ]
    )
    need = pd.DataFrame(
        [
            {
                "wave": 2003,
                "measure": "Trygdeytelser",
                "need_n": 366,
                "need_percent": 22,
                "offered_n": 323,
                "offered_percent": 19,
                "ratio": 86,
                "ratio_text": "86",
                "match_class": "stort samsvar",
            }
        ]
    )
    report = build_mapping_report(2003, figures, need, LOADS, NOW)
    html_path, xlsx_path = write_table_report(report, tmp_path)
    html = html_path.read_text(encoding="utf-8")
    assert "417 (29 %)" in html and "\u2013" in html and "SYNTETISKE" in html
    assert "Trygdeytelser" in html and ">86<" in html
    assert "Data" in load_workbook(xlsx_path, read_only=True).sheetnames


def test_booklet_report_prints_weighted_counts_rounded(tmp_path: Path) -> None:
    booklet = pd.DataFrame(
        [
            {
                "year": 2015,
                "table_id": "Tabell 2",
                "row_label": "rød",
                "row_order": 3,
                "column_label": "Alle brukere",
                "column_order": 1,
                "is_suppressed": False,
                "n_registrations": 7187,
                "base_registrations": 18913,
                "weighted_n": 10569.0,
                "base_weighted_n": 27813.0,
                "share_percent": 38.0,
                "weighted_mean": None,
            }
        ]
    )
    report = build_brukerplan_report(2015, booklet, LOADS, NOW)
    html = write_table_report(report, tmp_path)[0].read_text(encoding="utf-8")
    assert "10 569 (38 %)" in html and report.stem == "brukerplan_2015"
