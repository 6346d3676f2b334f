"""Sample `national_figures` deliveries 2016-2018 from the real published values.

Each delivery holds the values of its own year; the 2018 delivery also restates 2016-2017 for the
indicators the 2019 report revised (2, 6 and 91). Only 91's earlier values are known (the report
says both years were lowered by three sentences), so the earlier deliveries carry 35 and 135 for it
and the 2018 delivery revises them to 32 and 132; 2 and 6 are restated with unchanged values.
2016 and 2018 are written as semicolon CSV, 2017 as XLSX, so both readers are exercised.

The report prints the NOK indicators (1, 3, 5, 8, 24) in 2018-kroner; a delivery states amounts in
the kroner of their year. The sample therefore delivers them in current prices, the printed values
divided by the SYNTHETIC sample deflator (sample/price_index.py), and says so in the file comment.
"""

from __future__ import annotations

import csv
import io
import zipfile
from functools import cache
from pathlib import Path

from dagster_project.core.ingest.national_figures import CONTRACT, SOURCE
from dagster_project.core.ingest.reference import active_indicators
from dagster_project.sample import price_index

DATA = Path(__file__).parent / "data" / "published_values_2016_2018.csv"
PRINTED_CHANGES = Path(__file__).parent / "data" / "printed_changes_computed_indicators_2019.csv"
#: Change columns of the printed 2018 tables: (from year, to year) per CSV column.
PRINTED_CHANGE_COLUMNS = {
    "change_2016_2017": (2016, 2017),
    "change_2017_2018": (2017, 2018),
    "change_2016_2018": (2016, 2018),
}
YEARS = (2016, 2017, 2018)
XLSX_YEARS = (2017,)
RESTATED_IN_2018 = (2, 6, 91)
#: Values before the revision in the 2019 report (footnote 2 to table 11.1: three fewer each year).
PRE_REVISION = {(91, 2016): 35.0, (91, 2017): 135.0}
REVISION_NOTE = "Revidert: nedjustert med tre iverksatte dommer (Fafo-rapport 2019:33, tabell 11.1 fotnote 2)"
COMMENT = (
    "Eksempeldata: publiserte verdier fra Fafo-rapport 2019:33 (ekte tall); oppdelingen i årlige "
    "leveranser er rekonstruert (syntetisk), og kronebeløpene (1, 3, 5, 8, 24) er regnet tilbake fra "
    "2018-kroner til løpende priser med en syntetisk deflator."
)


def published_values() -> dict[tuple[int, int], float]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {(int(r["indicator_no"]), int(r["year"])): float(r["value"]) for r in csv.DictReader(handle)}


def parse_printed_change(text: str) -> tuple[float, int] | None:
    """'\u22122,0 %-poeng' -> (-2.0, 1 decimal); 'N/A' -> None. The unit is left to the catalogue."""
    text = text.strip()
    if text == "N/A":
        return None
    number = text.replace("%-poeng", "").replace("%", "").replace("\u2212", "-").replace(" ", "")
    number = number.replace(",", ".")
    decimals = len(number.partition(".")[2])
    return float(number), decimals


@cache
def printed_changes() -> dict[int, dict[tuple[int, int], tuple[float, int] | None]]:
    """The printed change cells of the computed indicators (table 5.1-10.1 of the 2019 report)."""
    with PRINTED_CHANGES.open(encoding="utf-8", newline="") as handle:
        return {
            int(row["indicator_no"]): {
                span: parse_printed_change(row[column]) for column, span in PRINTED_CHANGE_COLUMNS.items()
            }
            for row in csv.DictReader(handle)
        }


#: The newest year with published values: later (scaled benchmark) years are calibrated to it.
LAST_PUBLISHED_YEAR = 2018


def delivered_values() -> dict[tuple[int, int], float]:
    """The published values as a delivery states them: NOK amounts in current prices (whole kroner)."""
    adjusted = price_index.price_adjusted_indicators()
    return {
        (indicator, year): round(value / price_index.factor(year, LAST_PUBLISHED_YEAR), 3)
        if indicator in adjusted
        else value
        for (indicator, year), value in published_values().items()
    }


def calibration_values(year: int) -> dict[int, float]:
    """Per indicator, the delivered value the sample of a year reproduces (the newest for later years)."""
    source_year = min(year, LAST_PUBLISHED_YEAR)
    return {indicator: value for (indicator, y), value in delivered_values().items() if y == source_year}


def delivery_rows(delivery_year: int) -> list[dict[str, object]]:
    """Rows of one delivery, in indicator order, as a person would key them in."""
    values = delivered_values()
    if delivery_year > LAST_PUBLISHED_YEAR:  # a scaled benchmark year: the newest values, relabelled
        values = {(i, delivery_year): v for i, v in calibration_values(delivery_year).items()}
    catalogue = active_indicators()
    wanted: list[tuple[int, int, float, str]] = []
    for (indicator, year), value in sorted(values.items()):
        if year == delivery_year:
            wanted.append(
                (indicator, year, PRE_REVISION.get((indicator, year), value) if year < 2018 else value, "")
            )
    if delivery_year == 2018:
        for indicator in RESTATED_IN_2018:
            for year in (2016, 2017):
                if (indicator, year) in values:
                    note = REVISION_NOTE if (indicator, year) in PRE_REVISION else "Bekreftet uendret"
                    wanted.append((indicator, year, values[(indicator, year)], note))
    wanted.sort()
    return [
        {
            "indikator": indicator,
            "år": year,
            "verdi": value,
            "enhet": catalogue[indicator]["extract_unit"],
            "kilde": catalogue[indicator]["source"],
            "merknad": note,
        }
        for indicator, year, value, note in wanted
    ]


def _decimal_comma(value: float) -> str:
    return (str(int(value)) if value == int(value) else repr(value)).replace(".", ",")


def write_delivery(landing_dir: Path, delivery_year: int) -> Path:
    folder = landing_dir / SOURCE / str(delivery_year)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.is_file():
            stale.unlink()
    rows = delivery_rows(delivery_year)
    headers = [c.header for c in CONTRACT.columns]
    if delivery_year in XLSX_YEARS:
        path = folder / f"nasjonale_tall_{delivery_year}.xlsx"
        _write_xlsx(path, headers, rows)
    else:
        path = folder / f"nasjonale_tall_{delivery_year}.csv"
        buffer = io.StringIO()
        buffer.write(f"# {COMMENT}\n")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_decimal_comma(v) if isinstance(v, float) else v for v in row.values()])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _write_xlsx(path: Path, headers: list[str], rows: list[dict[str, object]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indikatorer"
    sheet.append([f"# {COMMENT}"])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))


def _deterministic_zip(data: bytes) -> bytes:
    """XLSX files embed save times; pin them so that the same sample has the same sha256."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                import re

                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2019-11-01T00:00:00Z\2",
                    content,
                )
            info = zipfile.ZipInfo(item.filename, date_time=(2019, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()
