"""A report made of printed tables (the 2003 mapping, the BrukerPlan booklet): model, HTML, XLSX.

The report builders (``mapping_report``, ``brukerplan_report``) turn mart rows into ``TableReport``;
this module renders it as one self-contained HTML page and an Excel workbook (one sheet per
section, cells as the same Norwegian text as the page, plus a data sheet with unrounded numbers),
and writes both atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dagster_project.core.reports.files import _atomic_write
from dagster_project.core.reports.formatting import format_number
from dagster_project.core.reports.render_html import _environment

SUPPRESSED = "\u2013"  # en dash: a cell held back (fewer than 5 persons/forms)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def pivot_cells(frame: pd.DataFrame, cell: Callable[[pd.Series], str]) -> tuple[list[str], list[list[str]]]:
    """One printed table from its mart cells: a row per (row_order, row_label), a column per
    column_label in column_order, each cell's text from ``cell`` (empty where a row has no cell)."""
    frame = frame.sort_values(["column_order", "column_label"])
    columns = list(dict.fromkeys(frame["column_label"]))
    rows = []
    for label, part in frame.sort_values(["row_order", "row_label"]).groupby(
        ["row_order", "row_label"], sort=False
    ):
        cells = {r["column_label"]: cell(r) for _, r in part.iterrows()}
        rows.append([label[1], *(cells.get(c, "") for c in columns)])
    return ["", *columns], rows


@dataclass(frozen=True)
class Table:
    table_id: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    tables: list[Table]


@dataclass
class TableReport:
    heading: str
    stem: str
    intro: list[str]
    sections: list[Section]
    generated_at: datetime
    files: list[dict[str, str]] = field(default_factory=list)
    sample_lines: list[str] = field(default_factory=list)
    #: (table_id, row, column, value) with unrounded numbers, for the data sheet.
    data: list[tuple[str, str, str, float | None]] = field(default_factory=list)

    @property
    def is_sample(self) -> bool:
        return bool(self.sample_lines)


def percent_text(value: float | None, decimals: int = 0) -> str:
    return SUPPRESSED if value is None or value != value else f"{format_number(value, decimals)} %"


def count_text(value: float | None, decimals: int = 0) -> str:
    return SUPPRESSED if value is None or value != value else format_number(value, decimals)


def sample_lines(comments: list[str]) -> list[str]:
    """File comments that say the data are synthetic (every synthetic sample file carries one)."""
    return [c for c in comments if c and re.search(r"SYNTETISK|SYNTHETIC", c, re.IGNORECASE)]


def render_table_html(report: TableReport) -> str:
    return _environment().get_template("table_report.html.j2").render(report=report, suppressed=SUPPRESSED)


def _text(value: object) -> object:
    return f"'{value}" if isinstance(value, str) and value.startswith("=") else value


def write_table_xlsx(report: TableReport, path: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    top = [report.heading, *(["SYNTETISKE DATA - ikke virkelige tall."] if report.is_sample else [])]
    for number, section in enumerate(report.sections, start=1):
        ws = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", f"{number} {section.title}")[:31])
        for line in top:
            ws.append([line])
        for table in section.tables:
            ws.append([])
            ws.append([f"{table.table_id}: {table.title}"])
            ws[ws.max_row][0].font = _BOLD
            ws.append(table.headers)
            for cell in ws[ws.max_row]:
                cell.font = _BOLD
                cell.fill = _HEADER_FILL
            for row in table.rows:
                ws.append([_text(v) for v in row])
            if table.note:
                ws.append([table.note])
        ws.column_dimensions["A"].width = 48
        for cell in ws["A"]:
            cell.alignment = _WRAP
    data = workbook.create_sheet("Data")
    data.append(["table_id", "row", "column", "value"])
    for row in report.data:
        data.append([_text(v) for v in row])
    files = workbook.create_sheet("Uttrekk")
    files.append(["Fil", "sha256", "Lastet"])
    for f in report.files:
        files.append([_text(f["file_name"]), f["sha256"], f["loaded_at"]])
    workbook.properties.created = report.generated_at.replace(tzinfo=None)
    workbook.save(path)


def write_table_report(report: TableReport, out_dir: Path) -> list[Path]:
    """Writes <stem>.html and <stem>.xlsx into out_dir (rendered first, so an error leaves no file)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_table_html(report)
    html_path = _atomic_write(out_dir / f"{report.stem}.html", lambda p: p.write_text(html, encoding="utf-8"))
    xlsx_path = _atomic_write(out_dir / f"{report.stem}.xlsx", lambda p: write_table_xlsx(report, p))
    return [html_path, xlsx_path]
