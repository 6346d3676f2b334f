"""The status report as an Excel workbook: the printed tables plus a machine-readable data sheet.

Values and changes are numeric cells, rounded as printed, whose number formats show them as the
page does: the unit (' %', ' %-poeng'), the computed-value marker and footnote superscripts are
literal text inside the format, and negatives carry the typographic minus. Format codes are
stored locale-neutral, so a Norwegian Excel shows the decimal comma and space-separated thousands.
N/A stays text. The 'Data' sheet holds the unrounded numbers for analysts. No formulas are written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dagster_project.core.indicators.rules import round_half_up
from dagster_project.core.reports.figures import figure_series
from dagster_project.core.reports.formatting import MINUS
from dagster_project.core.reports.status_tables import (
    CHANGE_COLOURS,
    LEGEND,
    ChangeCell,
    ReportTable,
    StatusReport,
    ValueCell,
)

STATUS_SHEET = "Indikatorstatus"
DATA_SHEET = "Data"
FIGURES_SHEET = "Figurer"
_CHART_ROWS = 18  # rows one chart takes on the figures sheet
DATA_COLUMNS = ("indicator_no", "table_id", "column", "kind", "value", "unit", "colour", "text")

# One column layout for all tables, so years and changes line up down the sheet and one header row
# can repeat on every printed page; tables 5.1 and 6.1 leave the Type column empty.
_LEADING = ("#", "Type", "Indikator", "Kilde")
_LEADING_WIDTHS = (5, 11, 70, 16)
_YEAR_WIDTH = 10
_CHANGE_WIDTH = 14

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
_RIGHT = Alignment(horizontal="right", vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TYPE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True)
_THIN = Side(style="thin", color="FF8C8C8C")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CHANGE_SUFFIX = {"percent": " %", "percentage_points": " %-poeng"}


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


def _literal(text: str) -> str:
    return f'"{text}"' if text else ""


def number_format(decimals: int, suffix: str) -> str:
    """'#,##0.0" %-poeng"' with a negative section using the typographic minus, as the page prints."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    positive = digits + _literal(suffix)
    return f'{positive};"{MINUS}"{positive};{positive}'


def _rounded(value: float, decimals: int) -> float | int:
    """The printed number; a value that rounds to zero is plain zero (no minus zero)."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = Decimal(0)
    return int(rounded) if decimals == 0 else float(rounded)


def _value_cell(ws: Worksheet, row: int, col: int, cell_data: ValueCell) -> Cell:
    if cell_data.value is None:
        cell = _put(ws, row, col, cell_data.display_text)
    else:
        cell = _put(ws, row, col, _rounded(cell_data.value, cell_data.decimals))
        unit = " %" if cell_data.unit_kind == "percent" else ""
        cell.number_format = number_format(cell_data.decimals, unit + cell_data.marker_text)
    cell.alignment = _RIGHT
    return cell


def _change_cell(ws: Worksheet, row: int, col: int, change: ChangeCell) -> Cell:
    if change.change is None:
        cell = _put(ws, row, col, change.text or None)
    else:
        cell = _put(ws, row, col, _rounded(change.change, change.decimals))
        cell.number_format = number_format(change.decimals, _CHANGE_SUFFIX.get(change.change_unit, ""))
    cell.alignment = _RIGHT
    fill = _fill(change.colour)
    if fill is not None:
        cell.fill = fill
    return cell


def _header(report: StatusReport) -> list[str | int]:
    return [*_LEADING, *report.years, *report.change_headers]


def _write_header(ws: Worksheet, report: StatusReport, row: int) -> None:
    for col, text in enumerate(_header(report), start=1):
        cell = _put(ws, row, col, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _GRID
        cell.alignment = _HEADER_RIGHT if col == 1 or col > len(_LEADING) else _WRAP
        if isinstance(text, int):
            cell.number_format = "0"


def _write_table(ws: Worksheet, report: StatusReport, table: ReportTable, row: int) -> tuple[int, int]:
    """Writes one table from `row`; returns (header row, next free row)."""
    _put(ws, row, 1, table.title).font = _BOLD
    header_row = row + 1
    _write_header(ws, report, header_row)
    row = header_row + 1
    first_value_col = len(_LEADING) + 1
    first_change_col = first_value_col + len(report.years)
    last_col = first_change_col + len(report.change_columns) - 1
    for data in table.rows:
        _put(ws, row, 1, data.indicator_no).alignment = _RIGHT
        if table.has_type_column and data.type_rowspan:
            _put(ws, row, 2, data.type_label).alignment = _TYPE
            ws.cell(row=row, column=2).font = _BOLD
            if data.type_rowspan > 1:
                ws.merge_cells(
                    start_row=row, start_column=2, end_row=row + data.type_rowspan - 1, end_column=2
                )
        _put(ws, row, 3, data.text_display).alignment = _WRAP
        _put(ws, row, 4, data.source).alignment = _WRAP
        for offset, value_cell in enumerate(data.values):
            _value_cell(ws, row, first_value_col + offset, value_cell)
        for offset, change_cell in enumerate(data.changes):
            _change_cell(ws, row, first_change_col + offset, change_cell)
        for col in range(1, max(last_col, first_change_col - 1) + 1):
            ws.cell(row=row, column=col).border = _GRID
        row += 1
    for note in (*table.notes, *(f.display_text for f in table.footnotes)):
        _put(ws, row, 1, note)
        row += 1
    return header_row, row


def _page_setup(ws: Worksheet, title_row: int | None) -> None:
    """A4 landscape, one page wide, the column header repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"


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
            _put(ws, row, 3, text)
            row += 1
        row += 1
    if report.computed_note:
        _put(ws, row, 1, report.computed_note)
        row += 2
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
    if report.edition:
        _put(ws, row, 1, report.edition)
        row += 1
    _put(ws, row, 1, report.generated_text)

    widths = [
        *_LEADING_WIDTHS,
        *[_YEAR_WIDTH] * len(report.years),
        *[_CHANGE_WIDTH] * len(report.change_columns),
    ]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _page_setup(ws, first_header_row)


def _data_rows(report: StatusReport):
    for table in report.tables:
        for row in table.rows:
            for value in row.values:
                yield (row.indicator_no, table.table_id, value.year, "value", value.value,
                       row.unit_kind, None, value.text)  # fmt: skip
            for change in row.changes:
                kind = "annualised_change" if change.column.is_annualised else "change"
                yield (row.indicator_no, table.table_id, change.column.data_label, kind, change.change,
                       change.change_unit, change.colour, change.text)  # fmt: skip


def _write_data_sheet(ws: Worksheet, report: StatusReport) -> None:
    for col, name in enumerate(DATA_COLUMNS, start=1):
        _put(ws, 1, col, name).font = _BOLD
    last_row = 1
    for row_no, values in enumerate(_data_rows(report), start=2):
        for col, value in enumerate(values, start=1):
            _put(ws, row_no, col, value)
        last_row = row_no
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(DATA_COLUMNS))}{last_row}"
    for col, width in enumerate((12, 9, 20, 18, 14, 18, 9, 16), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _page_setup(ws, 1)


def _write_figures_sheet(ws: Worksheet, report: StatusReport) -> None:
    """Each figure as a native Excel chart beside the numbers it plots (the values of the tables)."""
    row = 1
    for figure, series in figure_series(report):
        title = f"Figur {figure.number} {figure.title}"
        _put(ws, row, 1, title).font = _BOLD
        header_row = row + 1
        _put(ws, header_row, 1, "År").font = _BOLD
        for col, (label, _) in enumerate(series, start=2):
            _put(ws, header_row, col, label).font = _BOLD
        for offset, year in enumerate(report.years, start=1):
            _put(ws, header_row + offset, 1, year)
            for col, (_, values) in enumerate(series, start=2):
                value = values[offset - 1]
                cell = _put(ws, header_row + offset, col, None if value is None else round(value, 1))
                cell.number_format = "#,##0"
        last_row = header_row + len(report.years)
        categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row)
        chart = BarChart()
        chart.title = title
        chart.y_axis.title = figure.axis
        first_bar_cols = (2, 2) if figure.kind == "bars_line" else (2, len(series) + 1)
        chart.add_data(
            Reference(
                ws, min_col=first_bar_cols[0], max_col=first_bar_cols[1], min_row=header_row, max_row=last_row
            ),
            titles_from_data=True,
        )
        chart.set_categories(categories)
        if figure.kind == "levels":
            chart.grouping, chart.overlap = "stacked", 100
        if figure.kind == "bars_line":
            line = LineChart()
            line.add_data(
                Reference(ws, min_col=3, min_row=header_row, max_row=last_row), titles_from_data=True
            )
            line.y_axis.axId = 200
            line.y_axis.title = figure.right_axis
            line.y_axis.crosses = "max"
            chart += line
        chart.width, chart.height = 18, 8
        ws.add_chart(chart, f"{get_column_letter(len(series) + 3)}{row}")
        row = max(last_row, row + _CHART_ROWS) + 2
    ws.column_dimensions["A"].width = 8
    for col in range(2, 9):
        ws.column_dimensions[get_column_letter(col)].width = 16


def write_xlsx(report: StatusReport, path: Path) -> None:
    workbook = Workbook()
    status = workbook.active
    status.title = STATUS_SHEET
    _write_status_sheet(status, report)
    _write_data_sheet(workbook.create_sheet(DATA_SHEET), report)
    if figure_series(report):
        _write_figures_sheet(workbook.create_sheet(FIGURES_SHEET), report)
    workbook.save(path)
