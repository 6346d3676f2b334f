"""The status report as an Excel workbook: the printed tables plus a machine-readable data sheet.

Cells carry the same Norwegian text as the HTML page rather than numbers with Excel number
formats, so decimal commas, thin-space separators and the minus sign survive any Excel locale.
The 'Data' sheet holds the unrounded numbers for analysts. No formulas are written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dagster_project.reports.status_tables import CHANGE_COLOURS, LEGEND, ReportTable, StatusReport

STATUS_SHEET = "Indikatorstatus"
DATA_SHEET = "Data"
DATA_COLUMNS = ("indicator_no", "table_id", "column", "kind", "value", "unit", "colour", "text")

# Fixed column layout for all tables, so years and changes line up down the sheet; tables
# without a type column leave column C empty.
_LEADING = ("Nr", "Indikator", "Type", "Kilde")
_LEADING_WIDTHS = (6, 70, 11, 22)
_YEAR_WIDTH = 10
_CHANGE_WIDTH = 18

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
_RIGHT = Alignment(horizontal="right", vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_HEADER_RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True)


def _fill(colour: str) -> PatternFill | None:
    hex_rgb = CHANGE_COLOURS[colour]
    if hex_rgb is None:
        return None
    argb = f"FF{hex_rgb}"
    return PatternFill(fill_type="solid", start_color=argb, end_color=argb)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a delivered text must never become a formula
    return cell


def _write_table(ws: Worksheet, report: StatusReport, table: ReportTable, row: int) -> tuple[int, int]:
    """Writes one table from `row`; returns (header row, next free row)."""
    _put(ws, row, 1, table.title).font = _BOLD
    header_row = row + 1
    headers = [*_LEADING, *(str(y) for y in report.years), *report.change_headers]
    if not table.has_type_column:
        headers[2] = ""
    for col, text in enumerate(headers, start=1):
        cell = _put(ws, header_row, col, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_RIGHT if col == 1 or col > len(_LEADING) else _WRAP

    row = header_row + 1
    first_value_col = len(_LEADING) + 1
    first_change_col = first_value_col + len(report.years)
    for data in table.rows:
        _put(ws, row, 1, data.indicator_no).alignment = _RIGHT
        _put(ws, row, 2, data.text_display).alignment = _WRAP
        if table.has_type_column:
            _put(ws, row, 3, data.type_label).alignment = _TOP
        _put(ws, row, 4, data.source).alignment = _WRAP
        for offset, value_cell in enumerate(data.values):
            _put(ws, row, first_value_col + offset, value_cell.display_text).alignment = _RIGHT
        for offset, change_cell in enumerate(data.changes):
            cell = _put(ws, row, first_change_col + offset, change_cell.text)
            cell.alignment = _RIGHT
            fill = _fill(change_cell.colour)
            if fill is not None:
                cell.fill = fill
        row += 1
    return header_row, row


def _write_status_sheet(ws: Worksheet, report: StatusReport) -> None:
    _put(ws, 1, 1, report.title).font = _TITLE_FONT
    _put(ws, 2, 1, report.intro)
    row = 4
    first_header_row = None
    for table in report.tables:
        header_row, row = _write_table(ws, report, table, row)
        first_header_row = first_header_row or header_row
        row += 1
    if first_header_row is not None:
        ws.freeze_panes = ws.cell(row=first_header_row + 1, column=1)

    if report.change_columns:
        _put(ws, row, 1, "Fargekoder").font = _BOLD
        row += 1
        for colour, text in LEGEND:
            swatch = _fill(colour)
            if swatch is not None:
                ws.cell(row=row, column=1).fill = swatch
            _put(ws, row, 2, text)
            row += 1
        row += 1
    if report.computed_note:
        _put(ws, row, 1, report.computed_note)
        row += 2
    if report.footnotes:
        _put(ws, row, 1, "Fotnoter").font = _BOLD
        row += 1
        for note in report.footnotes:
            _put(ws, row, 1, note.display_text)
            row += 1
        row += 1
    _put(ws, row, 1, "Uttrekksfiler:").font = _BOLD
    row += 1
    for extract in report.extract_files:
        _put(ws, row, 1, extract.display_text)
        row += 1
    if not report.extract_files:
        _put(ws, row, 1, "Ingen innlastede filer.")
        row += 1
    for line in report.sample_lines:
        _put(ws, row, 1, line).font = _BOLD
        row += 1
    _put(ws, row, 1, report.generated_text)

    widths = [
        *_LEADING_WIDTHS,
        *[_YEAR_WIDTH] * len(report.years),
        *[_CHANGE_WIDTH] * len(report.change_columns),
    ]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _data_rows(report: StatusReport):
    for table in report.tables:
        for row in table.rows:
            for value in row.values:
                yield (row.indicator_no, table.table_id, str(value.year), "value", value.value,
                       row.unit_kind, None, value.text)  # fmt: skip
            for change in row.changes:
                kind = "annualised_change" if change.column.is_annualised else "change"
                yield (row.indicator_no, table.table_id, change.column.label, kind, change.change,
                       change.change_unit, change.colour, change.text)  # fmt: skip


def _write_data_sheet(ws: Worksheet, report: StatusReport) -> None:
    for col, name in enumerate(DATA_COLUMNS, start=1):
        _put(ws, 1, col, name).font = _BOLD
    for row_no, values in enumerate(_data_rows(report), start=2):
        for col, value in enumerate(values, start=1):
            _put(ws, row_no, col, value)
    ws.freeze_panes = "A2"
    for col, width in enumerate((12, 9, 20, 18, 14, 18, 9, 16), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_xlsx(report: StatusReport, path: Path) -> None:
    workbook = Workbook()
    status = workbook.active
    status.title = STATUS_SHEET
    _write_status_sheet(status, report)
    _write_data_sheet(workbook.create_sheet(DATA_SHEET), report)
    workbook.save(path)
