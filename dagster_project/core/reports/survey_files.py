"""Rendering and writing the survey report (HTML via Jinja, XLSX via openpyxl), atomically."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dagster_project.core.reports.files import _atomic_write
from dagster_project.core.reports.render_html import _environment
from dagster_project.core.reports.survey_report import HIDDEN, SurveyReport, file_stem

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def render_survey_html(report: SurveyReport) -> str:
    return _environment().get_template("survey_report.html.j2").render(report=report, hidden=HIDDEN)


def _text(value: object) -> object:
    # Texts from delivered files must never become formulas.
    return f"'{value}" if isinstance(value, str) and value.startswith("=") else value


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list[object]], top: list[str]
) -> None:
    ws = workbook.create_sheet(title)
    for line in top:
        ws.append([line])
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for row in rows:
        ws.append([_text(v) for v in row])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 60
    for cell in ws["B"]:
        cell.alignment = _WRAP


def write_survey_xlsx(report: SurveyReport, path: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    top = [report.heading, report.disclosure_rule]
    if report.is_sample:
        top.insert(1, "SYNTETISKE DATA - ikke virkelige svar.")
    _sheet(
        workbook,
        "Nøkkeltall",
        ["Nr", "Spørsmål", "Måltall", *report.column_headers],
        [[r.item_code, r.item_text, r.measure, *r.cells] for r in report.key_rows],
        top,
    )
    rows: list[list[object]] = []
    for group, items in report.distribution_groups:
        for item in items:
            for segment in item.segments:
                rows.append(
                    [
                        item.item_code,
                        item.item_text,
                        group,
                        item.n_valid,
                        segment.label,
                        segment.text,
                        segment.percent,
                    ]
                )
            if not item.segments:
                rows.append([item.item_code, item.item_text, group, item.n_valid, "", "\u2013", None])
    _sheet(
        workbook,
        "Fordelinger",
        ["Nr", "Spørsmål", "Tema", "Gyldige svar", "Svaralternativ", "Prosent", "Prosent (uavrundet)"],
        rows,
        top,
    )
    _sheet(
        workbook,
        "Indekser",
        ["Indeks", "Gruppe", "N", "Snitt", "Laveste", "Høyeste", "Alfa"],
        [[r.label, r.group, *r.cells] for r in report.index_rows],
        top,
    )
    _sheet(workbook, "Svar", ["Gruppe", "Verdi", "Antall"], [list(r) for r in report.response_counts], top)
    _sheet(
        workbook,
        "Uttrekk",
        ["Fil", "sha256", "Lastet"],
        [[f["file_name"], f["sha256"], f["loaded_at"]] for f in report.files],
        top,
    )
    workbook.properties.created = report.generated_at.replace(tzinfo=None)
    workbook.save(path)


def write_survey_report(report: SurveyReport, out_dir: Path) -> list[Path]:
    """Writes sporreundersokelse_<instrument>_<wave>.html and .xlsx into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(report.instrument, report.wave)
    html = render_survey_html(report)  # render first, so a template error leaves no file behind
    html_path = _atomic_write(out_dir / f"{stem}.html", lambda p: p.write_text(html, encoding="utf-8"))
    xlsx_path = _atomic_write(out_dir / f"{stem}.xlsx", lambda p: write_survey_xlsx(report, p))
    return [html_path, xlsx_path]
