"""The indicator status report as plain data, built from the warehouse marts.

Everything a reader sees is decided here (cell texts, colours, footnotes, footer lines), so the
HTML and the XLSX renderers only lay it out and cannot drift apart. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from dagster_project.core.indicators.rules import BASELINE_YEAR
from dagster_project.core.reports.formatting import NOT_AVAILABLE, format_change, format_value
from dagster_project.core.reports.printed_notes import (
    COMPUTED_SOURCE_NAMES,
    SOURCE_KEYS,
    TABLE_NOTES,
    measurement_ordinal,
)

#: Change colours in the printed report, as RGB hex; 'none' means no fill.
CHANGE_COLOURS: dict[str, str | None] = {
    "green": "92D050",
    "yellow": "FFEB3B",
    "red": "FF5B5B",
    "grey": "BFBFBF",
    "none": None,
}

LEGEND: tuple[tuple[str, str], ...] = (
    ("green", "Grønn: endring i ønsket retning, mer enn 1 prosentpoeng / 2,5 prosent"),
    ("yellow", "Gul: ingen vesentlig endring"),
    ("red", "Rød: endring i uønsket retning, mer enn terskelen"),
    ("grey", "Grå: N/A — måledata mangler"),
    ("none", "Uten farge: ønsket retning er ikke angitt, eller endring beregnes ikke (se fotnote)"),
)

#: Reader-facing explanation of the mart's na_reason codes (shown as a tooltip on N/A cells).
NA_REASON_TEXTS = {
    "missing_value": "Verdi mangler for ett av årene",
    "base_not_positive": "Utgangsverdien er null eller negativ; endringen kan ikke beregnes",
    "negative_value": "Negativ verdi gir ingen meningsfull årlig vekstrate",
    "no_change_row": "Endringen er ikke beregnet",
}

TYPE_LABELS = {"innsats": "Innsats", "aktivitet": "Aktivitet", "resultat": "Resultat", "effekt": "Effekt"}

SAMPLE_MARKERS = ("syntetisk", "eksempeldata")

#: Marks a value the warehouse computed itself from microdata (value_origin 'computed').
COMPUTED_MARKER = "\u1d47"
COMPUTED_NOTE = (
    "{marker} Beregnet i lageret fra mikrodata ({sources}), ikke levert som ferdig tall; avstemt mot det "
    "publiserte tallet."
)
#: A ratio of growth rates (ind. 6) has no meaningful average yearly change: the printed report marks
#: that column N/A, while the yearly cells of every indicator without a change rule stay blank.
NA_BASELINE_CHANGE_UNIT_KINDS = frozenset({"index"})

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
EN_DASH = "\u2013"


def superscript(number: int) -> str:
    """Footnote marker as Unicode superscript: plain text, so HTML and Excel show the same cell."""
    return str(number).translate(_SUPERSCRIPT)


def format_timestamp(moment: datetime) -> str:
    """'dd.mm.yyyy HH:MM UTC'; naive datetimes are taken to be UTC already (the warehouse stores UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")


@dataclass(frozen=True)
class ChangeColumn:
    from_year: int
    to_year: int
    is_annualised: bool

    @property
    def label(self) -> str:
        """As printed: '2016-2018' also for the annualised column (the intro says it is per year)."""
        return f"{self.from_year}{EN_DASH}{self.to_year}"

    @property
    def data_label(self) -> str:
        """Unambiguous label for the machine-readable data sheet."""
        return f"{self.label} (per år)" if self.is_annualised else self.label


@dataclass(frozen=True)
class ValueCell:
    year: int
    value: float | None
    text: str
    is_revised: bool = False
    footnote_number: int | None = None
    is_computed: bool = False
    decimals: int = 0
    unit_kind: str = "number"

    @property
    def marker_text(self) -> str:
        """What follows the number in the cell: the computed marker and a footnote superscript."""
        marker = COMPUTED_MARKER if self.is_computed and self.value is not None else ""
        return marker + (superscript(self.footnote_number) if self.footnote_number else "")

    @property
    def display_text(self) -> str:
        return self.text + self.marker_text


@dataclass(frozen=True)
class ChangeCell:
    column: ChangeColumn
    change: float | None
    change_unit: str
    text: str
    colour: str
    na_reason: str | None = None
    decimals: int = 1

    @property
    def na_text(self) -> str:
        return NA_REASON_TEXTS.get(self.na_reason or "", "") if self.change is None else ""


@dataclass(frozen=True)
class ReportRow:
    indicator_no: int
    indicator_text: str
    type_label: str
    source: str
    unit_kind: str
    values: tuple[ValueCell, ...]
    changes: tuple[ChangeCell, ...]
    footnote_number: int | None = None
    type_rowspan: int = 1  # rows the Type cell spans as printed (merged per group); 0 = merged above

    @property
    def text_display(self) -> str:
        return self.indicator_text + (superscript(self.footnote_number) if self.footnote_number else "")


@dataclass(frozen=True)
class ReportTable:
    table_id: str
    title: str
    has_type_column: bool
    rows: tuple[ReportRow, ...]
    footnotes: tuple[Footnote, ...] = ()
    notes: tuple[str, ...] = ()  # printed under the table: its note and the keys to its source names

    @property
    def headers(self) -> tuple[str, ...]:
        """Leading headers as printed; the year and change headers come from the report."""
        return ("#", "Type", "Indikator", "Kilde") if self.has_type_column else ("#", "Indikator", "Kilde")


@dataclass(frozen=True)
class Footnote:
    number: int
    indicator_no: int
    text: str
    year: int | None = None  # set when the note concerns one value cell, not the whole row

    @property
    def display_text(self) -> str:
        subject = f"Indikator {self.indicator_no}" + (f", {self.year}" if self.year is not None else "")
        return f"{superscript(self.number)} {subject}: {self.text}"


@dataclass(frozen=True)
class ExtractFile:
    source: str
    delivery_year: int
    file_name: str
    file_sha256: str
    loaded_at: datetime
    row_count: int
    file_comment: str

    @property
    def sha256_short(self) -> str:
        return self.file_sha256[:12]

    @property
    def display_text(self) -> str:
        return (
            f"{self.file_name} (leveranse {self.delivery_year}, SHA-256 {self.sha256_short}, "
            f"lastet {format_timestamp(self.loaded_at)}, {self.row_count} rader)"
        )


@dataclass(frozen=True)
class StatusReport:
    report_year: int
    years: tuple[int, ...]
    change_columns: tuple[ChangeColumn, ...]
    tables: tuple[ReportTable, ...]
    footnotes: tuple[Footnote, ...]
    extract_files: tuple[ExtractFile, ...]
    generated_at: datetime
    is_sample: bool

    @property
    def title(self) -> str:
        return f"Indikatorstatus {self.report_year}"

    @property
    def change_headers(self) -> tuple[str, ...]:
        return tuple(column.label for column in self.change_columns)

    @property
    def intro(self) -> str:
        if not self.change_columns:
            return (
                f"Tabellene viser verdier for utgangsåret {BASELINE_YEAR}. "
                "Endringer vises fra og med neste rapportår."
            )
        span = f"{BASELINE_YEAR}{EN_DASH}{self.report_year}"
        return (
            f"Tabellene viser verdier for {span} og årlig endring fra år til år. "
            f"Kolonnen {span} (per år) viser gjennomsnittlig årlig endring: for prosentandeler i "
            "prosentpoeng, for reelle tall som årlig vekstrate."
        )

    computed_sources: tuple[str, ...] = ()
    price_base_year: int | None = None  # the kroner the NOK indicators are shown in
    edition: str = ""  # set when the report is a past edition rebuilt from the warehouse history

    @property
    def computed_note(self) -> str:
        """The legend line for the computed-value marker, naming each source computed from."""
        cells = (cell for table in self.tables for row in table.rows for cell in row.values)
        if not any(c.is_computed and c.value is not None for c in cells):
            return ""
        names = [COMPUTED_SOURCE_NAMES.get(s, s) for s in self.computed_sources] or ["mikrodata"]
        sources = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
        return COMPUTED_NOTE.format(marker=COMPUTED_MARKER, sources=sources)

    @property
    def generated_text(self) -> str:
        return f"Generert {format_timestamp(self.generated_at)}."

    @property
    def sample_lines(self) -> tuple[str, ...]:
        """The visible warning for a sample report, repeating what the files say about themselves."""
        if not self.is_sample:
            return ()
        comments = dict.fromkeys(f.file_comment for f in self.extract_files if f.file_comment)
        return (
            "Eksempeldata: rapporten er laget fra eksempelleveranser, ikke fra en faktisk årlig leveranse. "
            "Se filkommentarene for hva som er ekte tall og hva som er syntetisk.",
            *(f"Filkommentar: {comment}" for comment in comments),
        )


def _is_missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _float_or_none(value: Any) -> float | None:
    return None if _is_missing(value) else float(value)


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _unique_index(frame: pd.DataFrame, keys: list[str], what: str) -> dict[tuple, dict[str, Any]]:
    """Rows keyed by `keys`; a duplicate key is a mart defect, so fail instead of picking one."""
    index: dict[tuple, dict[str, Any]] = {}
    for record in frame.to_dict("records"):
        key = tuple(int(record[k]) if k != "is_annualised" else bool(record[k]) for k in keys)
        if key in index:
            raise ValueError(f"duplicate {what} row for {dict(zip(keys, key, strict=True))}")
        index[key] = record
    return index


def _change_columns(report_year: int) -> tuple[ChangeColumn, ...]:
    if report_year <= BASELINE_YEAR:
        return ()
    yearly = tuple(ChangeColumn(y - 1, y, False) for y in range(BASELINE_YEAR + 1, report_year + 1))
    return (*yearly, ChangeColumn(BASELINE_YEAR, report_year, True))


def _change_cell(
    indicator: dict[str, Any], column: ChangeColumn, mart_row: dict[str, Any] | None
) -> ChangeCell:
    if indicator["change_rule"] == "none":
        if column.is_annualised and _text(indicator["unit_kind"]) in NA_BASELINE_CHANGE_UNIT_KINDS:
            return ChangeCell(column, None, "", NOT_AVAILABLE, "grey", "no_change_row")
        # The printed report leaves these blank (the value is itself a change); the note explains why.
        return ChangeCell(column, None, "", "", "none")
    if mart_row is None:
        return ChangeCell(column, None, "", NOT_AVAILABLE, "grey", "no_change_row")
    change = _float_or_none(mart_row["change"])
    unit = _text(mart_row["change_unit"])
    colour = _text(mart_row["colour"]) or ("grey" if change is None else "none")
    if colour not in CHANGE_COLOURS:
        raise ValueError(f"indicator {indicator['indicator_no']}: unknown change colour {colour!r}")
    decimals = int(indicator["change_decimals"])
    text = format_change(change, unit, decimals)
    return ChangeCell(column, change, unit, text, colour, _text(mart_row.get("na_reason")) or None, decimals)


class _FootnoteCounter:
    """Numbers footnotes in reading order (table, row, then the row's cells)."""

    def __init__(self) -> None:
        self.notes: list[Footnote] = []

    def add(self, indicator_no: int, text: str, year: int | None = None) -> int:
        number = len(self.notes) + 1
        self.notes.append(Footnote(number, indicator_no, text, year))
        return number


def _build_row(
    indicator: dict[str, Any],
    has_type_column: bool,
    years: tuple[int, ...],
    change_columns: tuple[ChangeColumn, ...],
    values: dict[tuple, dict[str, Any]],
    changes: dict[tuple, dict[str, Any]],
    footnotes: _FootnoteCounter,
) -> ReportRow:
    number = int(indicator["indicator_no"])
    decimals = int(indicator["value_decimals"])
    unit_kind = _text(indicator["unit_kind"])
    note = _text(indicator["report_note"])
    row_footnote = footnotes.add(number, note) if note else None

    value_cells = []
    for year in years:
        record = values.get((number, year))
        value = None if record is None else _float_or_none(record["value"])
        computed = record is not None and _text(record.get("value_origin")) == "computed"
        text = format_value(value, decimals, unit_kind)
        cell = ValueCell(year, value, text, is_computed=computed, decimals=decimals, unit_kind=unit_kind)
        if record is not None and not _is_missing(record["is_revised"]) and bool(record["is_revised"]):
            previous = format_value(_float_or_none(record["previous_value"]), decimals, unit_kind)
            delivery = record["previous_delivery_year"]
            delivery_text = "ukjent" if _is_missing(delivery) else str(int(delivery))
            ref = footnotes.add(
                number, f"Revidert verdi: tidligere levert {previous} (leveranse {delivery_text}).", year
            )
            cell = replace(cell, is_revised=True, footnote_number=ref)
        value_cells.append(cell)

    change_cells = tuple(
        _change_cell(
            indicator, column, changes.get((number, column.from_year, column.to_year, column.is_annualised))
        )
        for column in change_columns
    )
    type_label = TYPE_LABELS.get(_text(indicator["indicator_type"]).lower(), "") if has_type_column else ""

    return ReportRow(
        indicator_no=number,
        indicator_text=_text(indicator["indicator_text"]),
        type_label=type_label,
        source=_text(indicator["source"]),
        unit_kind=unit_kind,
        values=tuple(value_cells),
        changes=change_cells,
        footnote_number=row_footnote,
    )


def _merge_type_cells(rows: tuple[ReportRow, ...]) -> tuple[ReportRow, ...]:
    """Type merged per group of consecutive rows with the same type, as printed."""
    merged = list(rows)
    start = 0
    while start < len(merged):
        end = start + 1
        while end < len(merged) and merged[end].type_label == merged[start].type_label:
            end += 1
        merged[start] = replace(merged[start], type_rowspan=end - start)
        for i in range(start + 1, end):
            merged[i] = replace(merged[i], type_rowspan=0)
        start = end
    return tuple(merged)


def _table_notes(table_id: str, rows: tuple[ReportRow, ...]) -> tuple[str, ...]:
    """The table's printed note, then the key to each abbreviated source name the table uses."""
    used = {row.source for row in rows}
    keys = [f"{short} = {long}" for short, long in SOURCE_KEYS.items() if short in used]
    notes = [TABLE_NOTES[table_id]] if table_id in TABLE_NOTES else []
    if keys:
        notes.append("Kilder: " + ". ".join(keys) + ".")
    return tuple(notes)


def _extract_files(loads: pd.DataFrame, report_year: int) -> tuple[ExtractFile, ...]:
    current = loads[loads["is_current"].astype(bool) & (loads["delivery_year"] <= report_year)]
    files = [
        ExtractFile(
            source=_text(r["source"]),
            delivery_year=int(r["delivery_year"]),
            file_name=_text(r["file_name"]),
            file_sha256=_text(r["file_sha256"]),
            loaded_at=pd.Timestamp(r["loaded_at"]).to_pydatetime(),
            row_count=int(r["row_count"]),
            file_comment=_text(r["file_comment"]),
        )
        for r in current.to_dict("records")
    ]
    return tuple(sorted(files, key=lambda f: (f.source, f.delivery_year, f.file_name)))


def _table_id(value: Any) -> str:
    """'7.1' whether the mart gives the id as text or as a number."""
    return f"{float(value):.1f}" if isinstance(value, int | float) else str(value)


def _is_sample(files: Iterable[ExtractFile]) -> bool:
    return any(marker in f.file_comment.lower() for f in files for marker in SAMPLE_MARKERS)


@dataclass(frozen=True)
class PriceBasis:
    """The kroner the NOK indicators are shown in, and where the deflator comes from."""

    base_year: int | None
    indicators: tuple[int, ...]
    reference: str

    def note(self, shown: Iterable[int]) -> str:
        """The note under a table, naming the NOK indicators it shows."""
        shown = set(shown)
        numbers = [str(n) for n in self.indicators if n in shown]
        listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " og " + numbers[-1]
        if self.base_year is None:
            return (
                f"Kronebeløp (indikator {listed}) kan ikke vises i faste priser: prisindeks (deflator) "
                "mangler. Verdiene vises ikke, og endringene er N/A."
            )
        source = f" ({self.reference})" if self.reference else ""
        return (
            f"Faste priser: kronebeløpene (indikator {listed}) er vist i {self.base_year}-kroner, regnet "
            f"om fra løpende priser med prisindeksen{source}. Endringene er reelle (prisjusterte)."
        )


def restate_in_constant_prices(
    values: pd.DataFrame, prices: pd.DataFrame | None, adjusted: Iterable[int], report_year: int
) -> tuple[pd.DataFrame, PriceBasis | None]:
    """Values with the NOK indicators in the kroner of the report year (or of the newest deflator year
    before it): nominal x index(base) / index(year). A year the deflator does not reach has no value."""
    adjusted = tuple(sorted({int(n) for n in adjusted}))
    if not adjusted:
        return values, None
    index: dict[int, float] = {}
    reference = ""
    if prices is not None and not prices.empty:
        chained = prices[prices["price_index"].notna() & (prices["year"] <= report_year)]
        index = {int(r["year"]): float(r["price_index"]) for r in chained.to_dict("records")}
        references = [_text(r) for r in chained.sort_values("year")["source_reference"]]
        reference = references[-1] if references else ""
    base_year = max(index) if index else None
    restated = values.copy()
    mask = restated["indicator_no"].astype(int).isin(adjusted)
    factors = restated.loc[mask, "year"].map(
        lambda y: (
            index[base_year] / index[int(y)] if base_year is not None and int(y) in index else float("nan")
        )
    )
    restated.loc[mask, "value"] = restated.loc[mask, "value"].astype(float) * factors.astype(float)
    return restated, PriceBasis(base_year, adjusted, reference)


_KRONER = re.compile(r"\b\d{4}-kroner")


def build_status_report(
    indicators: pd.DataFrame,
    values: pd.DataFrame,
    changes: pd.DataFrame,
    loads: pd.DataFrame,
    *,
    report_year: int,
    generated_at: datetime,
    prices: pd.DataFrame | None = None,
    price_adjusted: pd.DataFrame | None = None,
) -> StatusReport:
    """The report for `report_year`: values BASELINE_YEAR..report_year, yearly and annualised changes.

    `price_adjusted` lists the NOK indicators (column indicator_no) shown in constant prices, restated
    with `prices` (dim_price_index) in the report year's kroner; their changes come from the marts,
    which compute them in constant prices (a real change does not depend on the base year).
    """
    if report_year < BASELINE_YEAR:
        raise ValueError(f"report_year {report_year} is before the baseline year {BASELINE_YEAR}")
    adjusted_numbers = [] if price_adjusted is None else [int(n) for n in price_adjusted["indicator_no"]]
    values, price_basis = restate_in_constant_prices(values, prices, adjusted_numbers, report_year)
    if price_basis is not None and price_basis.base_year is not None:
        indicators = indicators.copy()
        in_kroner = indicators["indicator_no"].astype(int).isin(price_basis.indicators)
        indicators.loc[in_kroner, "indicator_text"] = indicators.loc[in_kroner, "indicator_text"].map(
            lambda text: _KRONER.sub(f"{price_basis.base_year}-kroner", str(text))
        )
    years = tuple(range(BASELINE_YEAR, report_year + 1))
    change_columns = _change_columns(report_year)
    value_index = _unique_index(values, ["indicator_no", "year"], "value")
    change_index = _unique_index(changes, ["indicator_no", "from_year", "to_year", "is_annualised"], "change")

    active = indicators[indicators["is_active"].astype(bool)]
    footnotes = _FootnoteCounter()
    tables = []
    table_keys = active[["table_id", "table_order", "chapter_title", "has_type_column"]].drop_duplicates()
    ordinal = measurement_ordinal(report_year)
    for table in sorted(table_keys.to_dict("records"), key=lambda t: int(t["table_order"])):
        has_type = bool(table["has_type_column"])
        members = active[active["table_id"] == table["table_id"]].sort_values("indicator_no")
        first_note = len(footnotes.notes)
        rows = tuple(
            _build_row(ind, has_type, years, change_columns, value_index, change_index, footnotes)
            for ind in members.to_dict("records")
        )
        if has_type:
            rows = _merge_type_cells(rows)
        table_id = _table_id(table["table_id"])
        notes = _table_notes(table_id, rows)
        if price_basis is not None and any(r.indicator_no in price_basis.indicators for r in rows):
            notes = (*notes, price_basis.note(r.indicator_no for r in rows))
        tables.append(
            ReportTable(
                table_id=table_id,
                title=f"Tabell {table_id} {table['chapter_title']}, {ordinal} statusmåling",
                has_type_column=has_type,
                rows=rows,
                footnotes=tuple(footnotes.notes[first_note:]),
                notes=notes,
            )
        )
    if len({t.table_id for t in tables}) != len(tables):
        raise ValueError("a table_id has more than one title, order or type-column flag in dim_indicator")

    files = _extract_files(loads, report_year)
    order = list(COMPUTED_SOURCE_NAMES)
    # computed_from is a source name, or for survey values a description that starts with it
    origins = {_text(v).split(" ")[0] for v in values.get("computed_from", pd.Series(dtype=object))} - {""}
    computed_sources = tuple(sorted(origins, key=lambda s: (order.index(s) if s in order else len(order), s)))
    return StatusReport(
        report_year=report_year,
        years=years,
        change_columns=change_columns,
        tables=tuple(tables),
        footnotes=tuple(footnotes.notes),
        extract_files=files,
        generated_at=generated_at,
        is_sample=_is_sample(files),
        computed_sources=computed_sources,
        price_base_year=None if price_basis is None else price_basis.base_year,
    )
