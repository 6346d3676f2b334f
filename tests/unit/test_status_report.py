"""The status report: model built from mart frames, HTML page, XLSX workbook and file writing."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from dagster_project.core.reports import files as report_files
from dagster_project.core.reports.figures import FIGURES, report_figures
from dagster_project.core.reports.files import write_status_report
from dagster_project.core.reports.render_html import render_html
from dagster_project.core.reports.render_xlsx import write_xlsx
from dagster_project.core.reports.status_tables import StatusReport, build_status_report

MINUS = "\u2212"
GENERATED_AT = datetime(2019, 5, 2, 12, 30, tzinfo=UTC)
SAMPLE_COMMENT = "Eksempeldata (syntetisk leveranse) - ikke reelle tall"
SHA_2017 = hashlib.sha256(b"nasjonale_tall_2017").hexdigest()
SHA_2018 = hashlib.sha256(b"nasjonale_tall_2018").hexdigest()
REPORT_FILES = ["indikatorstatus_2018.html", "indikatorstatus_2018.xlsx"]

TABLES = {
    "5.1": (1, "Overordnet innsats", False),
    "6.1": (2, "Samfunnseffekter", False),
    "7.1": (3, "Hovedmål 1: Bruker- og pårørendemedvirkning i tjenesteapparatet", True),
    "8.1": (4, "Hovedmål 2: Tidlig innsats", True),
    "9.1": (5, "Hovedmål 3: Et tilgjengelig, variert og helhetlig tjenesteapparat", True),
    "10.1": (6, "Hovedmål 4: En aktiv og meningsfylt tilværelse", True),
    "11.1": (
        7,
        "Hovedmål 5: Alternative strafferettslige reaksjoner og bedret rusbehandling i fengslene",
        True,
    ),
}
NOTE_1 = "Verdien er selv en årlig økning (vekst i rammeoverføringer); rapporten viser ingen endring."
NOTE_44 = "Ønsket retning er ikke angitt i rapporten. Endringen fargekodes derfor ikke."

# (no, active, table, type, text, source, unit_kind, direction, change_rule, note)
INDICATORS = [
    (1, True, "5.1", "innsats", "Vekst i rammeoverføringer til kommunene (opptrappingsplanen)",
     "Kommuneproposisjonen", "nok_millions", "up", "none", NOTE_1),
    (4, True, "5.1", "innsats", "Antall årsverk rapportert totalt i psykisk helse- og rusarbeid",
     "IS-24/8", "number", "up", "standard", ""),
    (9, True, "6.1", "effekt", "Antall narkotikautløste dødsfall iht. EMCDDA", "FHI", "number", "down",
     "standard", ""),
    (17, False, "6.1", "", "(utgått indikator)", "FHI", "", "", "none", "Fjernet i 2019."),
    (33, True, "7.1", "resultat", "Andel kommuner som ivaretar voksne som pårørende på en god måte",
     "IS-24/8", "percent", "up", "standard", ""),
    (44, True, "8.1", "resultat", "Antall meldinger til barnevern om barns rusmiddelbruk", "SSB", "number",
     "unclear", "standard", NOTE_44),
    (45, True, "8.1", "resultat", "Andel kommuner med godt tilbud til voksne med milde rusmiddelproblemer",
     "IS-24/8", "percent", "up", "standard", ""),
    (47, True, "9.1", "innsats", "Antall polikliniske årsverk i TSB <poliklinikk> & ambulant", "SAMDATA",
     "number", "up", "standard", ""),
    (48, False, "9.1", "", "(utgått indikator)", "SAMDATA", "", "", "none", ""),
    (69, True, "10.1", "innsats", "Andel kommuner med samarbeid mellom helse- og omsorgstjenesten og NAV",
     "IS-24/8", "percent", "up", "standard", ""),
    (91, True, "11.1", "resultat", "Antall iverksatte betingede dommer i Narkotikaprogram (ND)", "KDI",
     "number", "up", "standard", ""),
]  # fmt: skip

VALUES = {
    1: {2016: 419.0, 2017: 309.0, 2018: 300.0},
    4: {2016: 13936.0, 2017: 14633.0, 2018: 15894.0},
    9: {2016: 282.0, 2017: 258.0, 2018: 286.0},
    33: {2017: 66.0, 2018: 70.0},
    44: {2016: 1200.0, 2017: 1150.0, 2018: 1302.0},
    45: {2016: 77.0, 2017: 74.0, 2018: 73.0},
    91: {2016: 32.0, 2017: 40.0, 2018: 45.0},
}

# indicator -> [(from, to, annualised, change, colour, na_reason)]
CHANGES = {
    1: [(2016, 2017, False, None, "none", "no_change_rule"),
        (2017, 2018, False, None, "none", "no_change_rule"),
        (2016, 2018, True, None, "none", "no_change_rule")],
    4: [(2016, 2017, False, 5.0014, "green", None), (2017, 2018, False, 8.6175, "green", None),
        (2016, 2018, True, 6.795, "green", None)],
    9: [(2016, 2017, False, -8.5106, "green", None), (2017, 2018, False, 10.8527, "red", None),
        (2016, 2018, True, 0.7067, "yellow", None)],
    33: [(2016, 2017, False, None, "grey", "missing_value"), (2017, 2018, False, 4.0, "green", None),
         (2016, 2018, True, None, "grey", "missing_value")],
    44: [(2016, 2017, False, -4.1667, "none", None), (2017, 2018, False, 13.2174, "none", None),
         (2016, 2018, True, 4.1635, "none", None)],
    45: [(2016, 2017, False, -3.0, "red", None), (2017, 2018, False, -1.0, "yellow", None),
         (2016, 2018, True, -2.0, "red", None)],
    91: [(2016, 2017, False, 25.0, "green", None), (2017, 2018, False, 12.5, "green", None),
         (2016, 2018, True, 18.585, "green", None)],
}  # fmt: skip


def indicators_frame() -> pd.DataFrame:
    rows = []
    for no, active, table_id, kind, text, source, unit, direction, rule, note in INDICATORS:
        order, chapter, has_type = TABLES[table_id]
        rows.append(
            {
                "indicator_no": no,
                "is_active": active,
                "table_id": table_id,
                "table_order": order,
                "chapter_title": chapter,
                "has_type_column": has_type,
                "goal_area": chapter.split(":")[0],
                "indicator_type": kind,
                "indicator_text": text,
                "source": source,
                "unit_kind": unit,
                "desired_direction": direction,
                "change_rule": rule,
                "value_decimals": 0,
                "change_decimals": 1,
                "report_note": note,
            }
        )
    # Shuffled, so the report has to do the ordering itself.
    return pd.DataFrame(rows).sample(frac=1, random_state=7).reset_index(drop=True)


def values_frame() -> pd.DataFrame:
    rows = []
    for no, by_year in VALUES.items():
        for year, value in by_year.items():
            revised = no == 91 and year == 2016
            rows.append(
                {
                    "indicator_no": no,
                    "year": year,
                    "value": value,
                    "value_origin": "published",
                    "is_revised": revised,
                    "previous_value": 35.0 if revised else float("nan"),
                    "previous_delivery_year": 2016 if revised else None,
                    "delivery_year": 2017 if revised else max(year, 2017),
                    "source_file": f"nasjonale_tall_{max(year, 2017)}.csv",
                }
            )
    frame = pd.DataFrame(rows)
    frame["previous_delivery_year"] = frame["previous_delivery_year"].astype("Int64")
    return frame


def changes_frame() -> pd.DataFrame:
    rows = []
    for no, cells in CHANGES.items():
        for from_year, to_year, annualised, change, colour, reason in cells:
            rows.append(
                {
                    "indicator_no": no,
                    "from_year": from_year,
                    "to_year": to_year,
                    "change": float("nan") if change is None else change,
                    "change_unit": "percentage_points" if no in (33, 45, 69) else "percent",
                    "is_annualised": annualised,
                    "colour": colour,
                    "na_reason": reason,
                }
            )
    return pd.DataFrame(rows)


def loads_frame(comment: str | None = SAMPLE_COMMENT) -> pd.DataFrame:
    def load(year: int, sha: str, current: bool, loaded: str) -> dict:
        return {
            "source": "national_figures",
            "delivery_year": year,
            "file_name": f"nasjonale_tall_{year}.csv",
            "file_sha256": sha,
            "loaded_at": pd.Timestamp(loaded, tz="UTC"),
            "row_count": 120,
            "file_comment": comment,
            "is_current": current,
        }

    return pd.DataFrame(
        [
            load(2017, SHA_2017, True, "2018-03-01 08:15"),
            load(2018, "0" * 64, False, "2019-02-01 09:00"),  # superseded by a corrected delivery
            load(2018, SHA_2018, True, "2019-03-04 07:05"),
            load(2019, "f" * 64, True, "2020-03-01 10:00"),  # after the report year
        ]
    )


def build(report_year: int = 2018, loads: pd.DataFrame | None = None) -> StatusReport:
    return build_status_report(
        indicators_frame(),
        values_frame(),
        changes_frame(),
        loads_frame() if loads is None else loads,
        report_year=report_year,
        generated_at=GENERATED_AT,
    )


def row_of(report: StatusReport, indicator_no: int):
    return next(r for t in report.tables for r in t.rows if r.indicator_no == indicator_no)


def texts(cells) -> list[str]:
    return [c.text for c in cells]


class _TableCells(HTMLParser):
    """Collects the body cells of the report tables as {indicator_no: [(classes, text), ...]}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, list[tuple[str, str]]] = {}
        self.headers: list[list[str]] = []
        self._row: int | None = None
        self._cell: list[str] | None = None
        self._classes = ""
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self._in_head = True
            self.headers.append([])
        elif tag == "tr" and "data-indicator" in attrs:
            self._row = int(attrs["data-indicator"])
            self.rows[self._row] = []
        elif tag in ("td", "th"):
            self._cell, self._classes = [], attrs.get("class") or ""

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            if self._in_head:
                self.headers[-1].append(text)
            elif self._row is not None:
                self.rows[self._row].append((self._classes, text))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse_html(page: str) -> _TableCells:
    parser = _TableCells()
    parser.feed(page)
    return parser


# --- model -------------------------------------------------------------------------------------------------


def test_tables_in_order_with_titles_and_type_column_from_7_1():
    report = build()
    assert [t.title for t in report.tables] == [
        f"Tabell {tid} {title}, tredje statusmåling" for tid, (_, title, _) in TABLES.items()
    ]
    assert [t.has_type_column for t in report.tables] == [False, False, True, True, True, True, True]
    assert report.tables[0].title == "Tabell 5.1 Overordnet innsats, tredje statusmåling"
    assert build(2016).tables[0].title.endswith(", første statusmåling")
    assert report.tables[2].headers == ("#", "Type", "Indikator", "Kilde")
    assert report.tables[0].headers == ("#", "Indikator", "Kilde")
    assert [r.indicator_no for t in report.tables for r in t.rows] == [1, 4, 9, 33, 44, 45, 47, 69, 91]
    assert row_of(report, 4).type_label == ""  # table 5.1 has no type column
    assert row_of(report, 45).type_label == "Resultat"
    assert row_of(report, 47).type_label == "Innsats"


def test_years_and_change_headers():
    report = build()
    assert report.years == (2016, 2017, 2018)
    assert report.change_headers == ("2016\u20132017", "2017\u20132018", "2016\u20132018")
    assert report.change_columns[-1].data_label == "2016\u20132018 (per år)"


def test_number_indicator_values_and_changes():
    row = row_of(build(), 4)
    assert texts(row.values) == ["13 936", "14 633", "15 894"]
    assert texts(row.changes) == ["5,0 %", "8,6 %", "6,8 %"]
    assert [c.colour for c in row.changes] == ["green", "green", "green"]
    assert row.changes[0].change == pytest.approx(5.0014)  # kept unrounded for the data sheet


def test_percent_indicator_changes_in_percentage_points_with_unicode_minus():
    row = row_of(build(), 45)
    assert texts(row.values) == ["77 %", "74 %", "73 %"]
    assert texts(row.changes) == [f"{MINUS}3,0 %-poeng", f"{MINUS}1,0 %-poeng", f"{MINUS}2,0 %-poeng"]
    assert [c.colour for c in row.changes] == ["red", "yellow", "red"]


def test_missing_base_value_is_na_and_annualised_change_grey():
    row = row_of(build(), 33)
    assert texts(row.values) == ["N/A", "66 %", "70 %"]
    assert row.values[0].value is None
    assert texts(row.changes) == ["N/A", "4,0 %-poeng", "N/A"]
    assert [c.colour for c in row.changes] == ["grey", "green", "grey"]
    assert row.changes[-1].na_reason == "missing_value"
    assert row.changes[-1].na_text == "Verdi mangler for ett av årene"


def test_indicator_without_any_data_is_na_grey_throughout():
    row = row_of(build(), 69)
    assert texts(row.values) == ["N/A"] * 3
    assert texts(row.changes) == ["N/A"] * 3
    assert {c.colour for c in row.changes} == {"grey"}


def test_change_rule_none_leaves_change_cells_blank_and_adds_footnote():
    report = build()
    row = row_of(report, 1)
    assert texts(row.changes) == ["", "", ""]
    assert {c.colour for c in row.changes} == {"none"}
    assert row.footnote_number == 1
    assert report.footnotes[0].indicator_no == 1
    assert report.footnotes[0].text == NOTE_1
    assert row.text_display.endswith("¹")


def test_unclear_direction_shows_change_without_colour_and_footnote():
    report = build()
    row = row_of(report, 44)
    assert texts(row.changes) == [f"{MINUS}4,2 %", "13,2 %", "4,2 %"]
    assert {c.colour for c in row.changes} == {"none"}
    note = report.footnotes[row.footnote_number - 1]
    assert (note.indicator_no, note.text) == (44, NOTE_44)


def test_revised_value_is_marked_and_explained_in_a_footnote():
    report = build()
    row = row_of(report, 91)
    revised = row.values[0]
    assert revised.is_revised and revised.text == "32"
    assert revised.display_text == "32" + "³"
    assert not row.values[1].is_revised and row.values[1].display_text == "40"
    note = report.footnotes[revised.footnote_number - 1]
    assert note.text == "Revidert verdi: tidligere levert 35 (leveranse 2016)."
    assert (note.indicator_no, note.year) == (91, 2016)
    assert [n.number for n in report.footnotes] == [1, 2, 3]


def test_retired_indicators_and_their_notes_are_left_out():
    report = build()
    numbers = {r.indicator_no for t in report.tables for r in t.rows}
    assert not numbers & {17, 48}
    assert all(n.indicator_no != 17 for n in report.footnotes)


def test_footer_lists_current_loads_up_to_report_year_and_flags_sample():
    report = build()
    assert [(f.file_name, f.delivery_year) for f in report.extract_files] == [
        ("nasjonale_tall_2017.csv", 2017),
        ("nasjonale_tall_2018.csv", 2018),
    ]
    assert report.extract_files[1].sha256_short == SHA_2018[:12]
    assert "04.03.2019 07:05 UTC" in report.extract_files[1].display_text
    assert report.is_sample
    assert any("syntetisk" in line for line in report.sample_lines)
    assert not build(loads=loads_frame(comment=None)).is_sample


def test_report_year_2019_generalises_without_code_change():
    report = build(2019)
    assert report.years == (2016, 2017, 2018, 2019)
    assert report.change_headers == (
        "2016\u20132017",
        "2017\u20132018",
        "2018\u20132019",
        "2016\u20132019",
    )
    row = row_of(report, 4)
    assert len(row.values) == 4 and len(row.changes) == 4
    assert texts(row.changes)[:2] == ["5,0 %", "8,6 %"]
    # No 2019 figures or change rows in the marts yet: N/A, grey.
    assert row.values[3].text == "N/A"
    assert [(c.text, c.colour) for c in row.changes[2:]] == [("N/A", "grey"), ("N/A", "grey")]
    assert [f.delivery_year for f in report.extract_files] == [2017, 2018, 2019]
    header = parse_html(render_html(report)).headers[0]
    assert header[-8:] == ["2016", "2017", "2018", "2019", *report.change_headers]


def test_baseline_report_year_has_no_change_columns(tmp_path):
    report = build(2016)
    assert report.years == (2016,)
    assert report.change_columns == () and report.change_headers == ()
    assert all(r.changes == () for t in report.tables for r in t.rows)
    page = render_html(report)
    parsed = parse_html(page)
    assert parsed.headers[0] == ["#", "Indikator", "Kilde", "2016"]
    assert 'class="num change' not in page
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    sheet = load_workbook(path)["Indikatorstatus"]
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "#")
    assert [v for v in header_row if v] == ["#", "Type", "Indikator", "Kilde", 2016]


def test_duplicate_mart_rows_are_rejected():
    changes = pd.concat([changes_frame(), changes_frame().head(1)])
    with pytest.raises(ValueError, match="duplicate change"):
        build_status_report(
            indicators_frame(),
            values_frame(),
            changes,
            loads_frame(),
            report_year=2018,
            generated_at=GENERATED_AT,
        )


# --- HTML --------------------------------------------------------------------------------------------------


def test_html_is_a_self_contained_norwegian_page():
    page = render_html(build())
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in page and '<meta charset="utf-8">' in page
    assert "<title>Indikatorstatus 2018</title>" in page
    assert "<style>" in page
    assert not re.search(r"https?://|<link|<script|<img|@import", page)
    assert "gjennomsnittlig årlig endring" in page and "prosentpoeng" in page and "vekstrate" in page


def test_html_tables_columns_and_cells():
    report = build()
    page = render_html(report)
    parsed = parse_html(page)
    titles = re.findall(r"<h2>(Tabell [^<]+)</h2>", page)
    assert titles == [t.title for t in report.tables]
    changes = list(report.change_headers)
    assert parsed.headers[0] == ["#", "Indikator", "Kilde", "2016", "2017", "2018", *changes]
    assert parsed.headers[2] == ["#", "Type", "Indikator", "Kilde", "2016", "2017", "2018", *changes]

    cells = parsed.rows[44]  # first of table 8.1's 'Resultat' group (44, 45): the merged Type cell
    assert cells[1] == ("type", "Resultat") and 'rowspan="2"' in page
    cells = parsed.rows[45]
    assert [text for _, text in cells] == [
        "45",
        row_of(report, 45).indicator_text,
        "IS-24/8",
        "77 %",
        "74 %",
        "73 %",
        f"{MINUS}3,0 %-poeng",
        f"{MINUS}1,0 %-poeng",
        f"{MINUS}2,0 %-poeng",
    ]
    assert [cls for cls, _ in cells[-3:]] == ["num change red", "num change yellow", "num change red"]
    assert [cls for cls, _ in parsed.rows[4][-3:]] == ["num change green"] * 3
    assert [cls for cls, _ in parsed.rows[33][-3:]] == [
        "num change grey",
        "num change green",
        "num change grey",
    ]
    assert [(cls, text) for cls, text in parsed.rows[1][-3:]] == [("num change none", "")] * 3
    assert parsed.rows[91][4] == ("num value revised", "32³")
    assert row_of(report, 45).type_rowspan == 0 and row_of(report, 44).type_rowspan == 2


def test_html_number_cells_use_unicode_minus_and_right_alignment():
    page = render_html(build())
    parsed = parse_html(page)
    number_cells = [text for row in parsed.rows.values() for cls, text in row if "num" in cls.split()]
    assert any(MINUS in text for text in number_cells)
    assert not [text for text in number_cells if re.search(r"-\s*\d", text)]
    assert re.search(r"\.num\s*\{[^}]*text-align:\s*right[^}]*white-space:\s*nowrap", page)


def test_html_colours_legend_footnotes_and_footer():
    page = render_html(build())
    assert re.search(r"\.change\.green[^{]*\{\s*background:\s*#92D050", page)
    assert re.search(r"\.change\.yellow[^{]*\{\s*background:\s*#(FFEB3B|FFFF00)", page)
    assert re.search(r"\.change\.red[^{]*\{\s*background:\s*#FF5B5B", page)
    assert re.search(r"\.change\.grey[^{]*\{\s*background:\s*#BFBFBF", page)
    for line in (
        "Grønn: endring i ønsket retning, mer enn 1 prosentpoeng / 2,5 prosent",
        "Gul: ingen vesentlig endring",
        "Rød: endring i uønsket retning, mer enn terskelen",
        "Grå: N/A — måledata mangler",
    ):
        assert line in page
    assert "Revidert verdi: tidligere levert 35 (leveranse 2016)." in page
    assert NOTE_1 in page
    assert "Fjernet i 2019." not in page
    assert "nasjonale_tall_2018.csv" in page and SHA_2018[:12] in page and SHA_2018[:13] not in page
    assert "leveranse 2018" in page and "04.03.2019 07:05 UTC" in page
    assert "0" * 12 not in page  # the superseded load is not listed
    assert "02.05.2019 12:30 UTC" in page
    assert re.search(r"Eksempeldata:[^<]*syntetisk", page)
    assert "Eksempeldata (syntetisk leveranse) - ikke reelle tall" in page


def test_html_escapes_delivered_text_and_hides_sample_line_for_real_data():
    page = render_html(build(loads=loads_frame(comment=None)))
    assert "&lt;poliklinikk&gt; &amp; ambulant" in page and "<poliklinikk>" not in page
    assert "Eksempeldata" not in page and "syntetisk" not in page


# --- XLSX --------------------------------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> tuple[dict[int, list], object]:
    sheet = load_workbook(path)["Indikatorstatus"]
    rows = {}
    for cells in sheet.iter_rows():
        first = cells[0].value
        if isinstance(first, int):
            rows[first] = list(cells)
    return rows, sheet


def excel_display(cell) -> str:
    """What a Norwegian Excel shows for a cell: the format's section, digits and literal text."""
    value = cell.value
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    sections = cell.number_format.split(";")
    section = sections[0] if value > 0 else sections[1] if value < 0 else sections[-1]
    literals = re.findall(r'"([^"]*)"', section)
    digits = re.sub(r'"[^"]*"', "", section)
    decimals = len(digits.partition(".")[2])
    number = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    prefix = literals[0] if value < 0 else ""
    suffix = literals[-1] if literals and not (value < 0 and len(literals) == 1) else ""
    return prefix + number + suffix


def test_xlsx_has_the_same_texts_and_colours_as_the_html(tmp_path):
    report = build()
    page = render_html(report)
    parsed = parse_html(page)
    path = tmp_path / "status.xlsx"
    write_xlsx(report, path)
    rows, sheet = _xlsx_rows(path)
    assert set(rows) == set(parsed.rows)
    for number, html_cells in parsed.rows.items():
        shown = [excel_display(c) for c in rows[number]]
        html_texts = [text for cls, text in html_cells if cls != "type"]
        del shown[1]  # the Type column (merged per group; compared below)
        assert shown[: len(html_texts)] == html_texts, number
    assert sheet.cell(row=rows[44][0].row, column=2).value == "Resultat"
    merged = [str(r) for r in sheet.merged_cells.ranges]
    assert f"B{rows[44][0].row}:B{rows[45][0].row}" in merged

    # numbers are numbers (no 'number stored as text'), with the printed precision as the format
    assert rows[4][4].value == 13936 and rows[4][4].data_type == "n"
    assert rows[4][7].value == pytest.approx(5.0) and rows[4][7].data_type == "n"
    assert rows[45][9].value == pytest.approx(-2.0) and MINUS in rows[45][9].number_format
    assert rows[33][4].value == "N/A"  # no value: text, as printed
    assert rows[1][7].value is None  # no change rule: blank
    header = next(r for r in sheet.iter_rows() if r[0].value == "#")
    assert [c.value for c in header[4:7]] == [2016, 2017, 2018]

    fills = [c.fill.fgColor.rgb for c in rows[45][-3:]]
    assert fills == ["FFFF5B5B", "FFFFEB3B", "FFFF5B5B"]
    assert all(c.fill.fill_type == "solid" for c in rows[45][-3:])
    assert [c.fill.fgColor.rgb for c in rows[4][-3:]] == ["FF92D050"] * 3
    assert rows[33][-1].fill.fgColor.rgb == "FFBFBFBF"
    assert all(c.fill.fill_type is None for c in rows[44][-3:])  # unclear direction: no colour
    assert all(c.fill.fill_type is None for c in rows[1][-3:])
    assert all(c.fill.fill_type is None for c in rows[4][4:7])  # value cells are never filled

    assert rows[4][2].alignment.wrap_text
    assert rows[4][4].alignment.horizontal == "right"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["E"].width
    titles = [c.value for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith("Tabell ")]
    assert titles == [t.title for t in report.tables]
    assert sheet.freeze_panes == "A6"
    assert sheet["A5"].value == "#"
    # printed as the readers print it: A4 landscape, one page wide, the header on every page
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$5:$5"


def test_xlsx_legend_footnotes_footer_and_no_formulas(tmp_path):
    report = build()
    path = tmp_path / "status.xlsx"
    write_xlsx(report, path)
    workbook = load_workbook(path)
    sheet = workbook["Indikatorstatus"]
    strings = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Gul: ingen vesentlig endring" in strings
    assert report.footnotes[-1].display_text in strings
    assert report.extract_files[0].display_text in strings
    assert report.generated_text in strings
    assert any(s.startswith("Eksempeldata:") for s in strings)
    for ws in workbook.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_data_sheet_holds_unrounded_numbers(tmp_path):
    report = build()
    path = tmp_path / "status.xlsx"
    write_xlsx(report, path)
    data = list(load_workbook(path)["Data"].iter_rows(values_only=True))
    assert data[0] == ("indicator_no", "table_id", "column", "kind", "value", "unit", "colour", "text")
    by_key = {(r[0], r[2]): r for r in data[1:]}
    assert len(data) - 1 == 9 * (3 + 3)
    assert by_key[(4, 2016)][1:] == ("5.1", 2016, "value", 13936, "number", None, "13 936")
    assert by_key[(4, "2016\u20132017")][4:7] == (pytest.approx(5.0014), "percent", "green")
    annual = by_key[(45, "2016\u20132018 (per år)")]
    assert annual[3:7] == ("annualised_change", -2.0, "percentage_points", "red")
    assert by_key[(33, 2016)][4] is None
    sheet = load_workbook(path)["Data"]
    assert sheet.auto_filter.ref == f"A1:H{len(data)}" and sheet.freeze_panes == "A2"


# --- files -------------------------------------------------------------------------------------------------


def test_write_status_report_creates_both_files_and_no_temp_files(tmp_path):
    out_dir = tmp_path / "rapporter" / "2018"
    report = build()
    paths = write_status_report(report, out_dir)
    assert paths == [out_dir / "indikatorstatus_2018.html", out_dir / "indikatorstatus_2018.xlsx"]
    assert sorted(p.name for p in out_dir.iterdir()) == REPORT_FILES
    assert paths[0].read_text(encoding="utf-8") == render_html(report, report_figures(report))
    assert load_workbook(paths[1]).sheetnames == ["Indikatorstatus", "Data", "Figurer"]

    write_status_report(report, out_dir)  # overwriting an existing report
    assert sorted(p.name for p in out_dir.iterdir()) == REPORT_FILES


def test_failed_write_keeps_the_previous_file_and_cleans_up(tmp_path, monkeypatch):
    report = build()
    write_status_report(report, tmp_path)
    before = (tmp_path / "indikatorstatus_2018.xlsx").read_bytes()

    def broken(report, path):
        Path(path).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(report_files, "write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        write_status_report(report, tmp_path)
    assert (tmp_path / "indikatorstatus_2018.xlsx").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == REPORT_FILES


# --- figures -----------------------------------------------------------------------------------------------


def test_figures_are_inline_svg_from_the_report_values_under_their_tables():
    report = build()
    charts = report_figures(report)
    # the test catalogue has 4 (fig. 5.1), 33 (fig. 7.3) and 45 (fig. 9.2); the other figures have no data
    assert set(charts) == {"5.1", "7.1", "9.1"}
    svg = str(charts["7.1"][0])
    assert svg.startswith('<figure class="chart" id="figur-7.3">') and "<svg " in svg
    assert "Voksne som pårørende, 2018: 70 %" in svg and "Voksne som pårørende, 2016" not in svg
    assert "Figur 9.2" in str(charts["9.1"][0]) and "77 %" in str(charts["9.1"][0])
    page = render_html(report, charts)
    assert not re.search(r"https?://|<link|<script|<img|@import", page)
    assert page.index("figur-7.3") > page.index("tabell-7.1") and page.index("figur-7.3") < page.index(
        "tabell-8.1"
    )
    assert {f.number for f in FIGURES} == {
        "5.1",
        "6.1",
        "7.2",
        "7.3",
        "9.1",
        "9.2",
        "9.3",
        "9.4",
        "10.1",
        "10.2",
    }


def test_xlsx_figures_are_native_charts_over_the_table_values(tmp_path):
    import zipfile

    report = build()
    path = tmp_path / "status.xlsx"
    write_xlsx(report, path)
    charts = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # figures 5.1, 7.3 and 9.2 have data in the test catalogue
    sheet = load_workbook(path)["Figurer"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("Figur 5.1")
    block = next(i for i, r in enumerate(values) if r[0] and str(r[0]).startswith("Figur 7.3"))
    assert values[block + 1][:2] == ("År", "Voksne som pårørende")
    assert values[block + 2][:2] == (2016, None) and values[block + 4][:2] == (2018, 70)
