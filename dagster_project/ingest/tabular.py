"""Reading a delivered table (semicolon CSV with decimal commas, or XLSX) against a column contract.

The reader is deliberately lenient about *content* and strict about *structure*: a file it cannot
split into rows and columns is an ``ExtractError`` at once, while a cell it cannot parse becomes a
null plus a message in ``parse_error``, so that the Great Expectations suite reports every bad row
with its rule rather than the first one only. Missing and unexpected columns are left visible for
the suite's column-set expectation.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.identity_numbers import reject_identity_numbers

ColumnKind = Literal["int", "decimal", "text"]

#: Columns every parsed extract carries besides its contract columns.
SOURCE_ROW = "source_row"
PARSE_ERROR = "parse_error"

_COMMENT_PREFIX = "#"
_NORWEGIAN_NUMBER = re.compile(
    r"^[-\u2212]?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:,\d+)?$|^[-\u2212]?\d+(?:,\d+)?$"
)
_INTEGER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Column:
    """One column of a source contract: the header as delivered and the name used downstream."""

    header: str
    name: str
    kind: ColumnKind
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class Contract:
    source: str
    columns: tuple[Column, ...]
    delimiter: str = ";"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class RawTable:
    """Header and cell texts of a file, with the file's own row numbers and header comments."""

    header: list[str]
    rows: list[list[object]]
    row_numbers: list[int]
    comments: list[str] = field(default_factory=list)


def read_table(path: Path, contract: Contract) -> RawTable:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path, contract)
    elif suffix == ".xlsx":
        table = _read_xlsx(path, contract)
    else:
        raise ExtractError(path.name, "supported_file_type", f"'{suffix}' is neither .csv nor .xlsx")
    reject_identity_numbers(path.name, table.header, table.rows, table.row_numbers)
    return table


def check_header(file: str, header: list[str], row: int, contract: Contract) -> None:
    """Structural header problems, before any cell is read: they would otherwise surface as odd columns."""
    known = {c.header.casefold() for c in contract.columns}
    if not any(h.casefold() in known for h in header):
        shown = "; ".join(h for h in header if h)[:80]
        raise ExtractError(
            file,
            "header_row",
            f"'{shown}' is not the header row: none of its columns is one of "
            f"{'; '.join(c.header for c in contract.columns)} (title lines must start with '#')",
            row=row,
        )
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise ExtractError(
                file, "column_headers", f"column {position} has no header (a stray delimiter?)", row=row
            )
        if name.casefold() in seen:
            raise ExtractError(file, "unique_headers", "the header occurs twice", row=row, column=name)
        seen.add(name.casefold())


def _read_csv(path: Path, contract: Contract) -> RawTable:
    delimiter = contract.delimiter
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(
            path.name,
            "utf8_encoding",
            "the file is UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8 (semicolon separated)'",
            row=1,
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ExtractError(path.name, "text_file", "the file contains NUL bytes (not a text file)", row=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractError(
            path.name,
            "utf8_encoding",
            f"byte {data[exc.start]:#04x} is not UTF-8 (save the file as UTF-8)",
            row=line,
        ) from None
    lines = text.splitlines()
    comments: list[str] = []
    first = 0
    while first < len(lines) and (lines[first].startswith(_COMMENT_PREFIX) or not lines[first].strip()):
        if lines[first].startswith(_COMMENT_PREFIX):
            comments.append(lines[first].lstrip(_COMMENT_PREFIX).strip())
        first += 1
    if first >= len(lines):
        raise ExtractError(path.name, "has_header", "the file is empty (no header row)")
    header_line = lines[first]
    following = next((line for line in lines[first + 1 :] if line.strip()), "")
    known = {c.header.casefold() for c in contract.columns}
    if delimiter not in header_line and known & {h.strip().casefold() for h in following.split(delimiter)}:
        raise ExtractError(
            path.name,
            "header_row",
            f"'{header_line.strip()[:80]}' above the header is not a column header "
            "(start title lines with '#')",
            row=first + 1,
        )
    if delimiter not in header_line:
        found = next((d for d in (",", "\t", "|") if d in header_line), None)
        hint = f"found '{found}'" if found else "found a single column"
        raise ExtractError(
            path.name,
            "semicolon_delimiter",
            f"columns must be separated by '{delimiter}', {hint}",
            row=first + 1,
        )
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        start = 0
        for record in reader:  # a quoted field may span lines: number a record by its first line
            records.append((first + start + 1, record))
            start = reader.line_num
    except csv.Error as exc:
        raise ExtractError(
            path.name, "csv_syntax", f"not valid CSV ({exc}); check quotes", row=first + reader.line_num
        ) from None
    header = [h.strip() for h in records[0][1]]
    check_header(path.name, header, first + 1, contract)
    rows: list[list[object]] = []
    numbers: list[int] = []
    for offset, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise ExtractError(
                path.name,
                "field_count",
                f"{len(record)} fields where the header has {len(header)} (truncated or mis-delimited line?)",
                row=offset,
            )
        rows.append([cell.strip() for cell in record])
        numbers.append(offset)
    return RawTable(header=header, rows=rows, row_numbers=numbers, comments=comments)


def _read_xlsx(path: Path, contract: Contract) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged zip
        raise ExtractError(path.name, "readable_xlsx", f"not a readable XLSX workbook ({exc})") from None
    try:
        if not workbook.worksheets:
            raise ExtractError(path.name, "has_header", "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        try:
            table = _sheet_table(path.name, sheet, contract)
        except ExtractError:
            raise
        except Exception as exc:  # read_only parses sheet XML lazily: damage shows up while iterating
            raise ExtractError(
                path.name, "readable_xlsx", f"sheet '{sheet.title}' cannot be read ({type(exc).__name__})"
            ) from None
        if table is None:
            others = [s.title for s in workbook.worksheets[1:] if s.max_row and s.max_row > 1]
            hint = f"; data found on sheet(s) {others}" if others else ""
            raise ExtractError(
                path.name,
                "has_header",
                f"the first sheet '{sheet.title}' is empty (the data must be on the first sheet{hint})",
            )
        return table
    finally:
        workbook.close()


def _sheet_table(file: str, sheet, contract: Contract) -> RawTable | None:
    header: list[str] | None = None
    comments: list[str] = []
    rows: list[list[object]] = []
    numbers: list[int] = []
    for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        if not any(v is not None and str(v).strip() for v in cells):
            continue
        if header is None:
            first = cells[0]
            if isinstance(first, str) and first.startswith(_COMMENT_PREFIX):
                comments.append(first.lstrip(_COMMENT_PREFIX).strip())
                continue
            while cells and (cells[-1] is None or not str(cells[-1]).strip()):
                cells.pop()
            header = ["" if v is None else str(v).strip() for v in cells]
            check_header(file, header, index, contract)
            continue
        cells = (cells + [None] * len(header))[: max(len(header), len(cells))]
        if any(v is not None and str(v).strip() for v in cells[len(header) :]):
            raise ExtractError(file, "field_count", "values outside the header's columns", row=index)
        rows.append([v.strip() if isinstance(v, str) else v for v in cells[: len(header)]])
        numbers.append(index)
    if header is None:
        return None
    return RawTable(header=header, rows=rows, row_numbers=numbers, comments=comments)


#: Whole-number columns are INTEGER in the warehouse: a larger value is a typo, not a figure.
MAX_WHOLE_NUMBER = 2**31 - 1


def _whole(value: float | int, shown: object) -> tuple[int | None, str | None]:
    number = int(value)
    if abs(number) > MAX_WHOLE_NUMBER:
        return None, f"'{shown}' is too large for a whole number"
    return number, None


def parse_cell(value: object, kind: ColumnKind) -> tuple[object, str | None]:
    """Typed value and, when it cannot be parsed, the reason (the value is then None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None, None
    if kind == "text":
        if isinstance(value, datetime | date):
            return value.isoformat(), None
        return str(value), None
    if isinstance(value, bool):
        return None, f"'{value}' is not a number"
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None, f"'{value}' is not a number"
        if kind == "int" and float(value) != int(value):
            return None, f"'{value}' is not a whole number"
        return _whole(value, value) if kind == "int" else (float(value), None)
    text = str(value).strip()
    if kind == "int":
        if _INTEGER.match(text):
            return _whole(int(text), text)
        return None, f"'{text}' is not a whole number"
    if _NORWEGIAN_NUMBER.match(text):
        normalised = re.sub(r"[ \u00a0\u202f]", "", text).replace("\u2212", "-").replace(",", ".")
        number = float(normalised)
        if not math.isfinite(number):
            return None, f"'{text}' is too large"
        return number, None
    if re.match(r"^-?\d+\.\d+$", text):
        return None, f"'{text}' uses a decimal point; write decimal numbers with a decimal comma"
    return None, f"'{text}' is not a number (expected digits with a decimal comma)"


def to_frame(table: RawTable, contract: Contract) -> pd.DataFrame:
    """Map headers to contract names and type each cell; keep unknown columns for the suite to flag."""
    by_header = {c.header.casefold(): c for c in contract.columns}
    seen: set[str] = set()
    columns: dict[str, list[object]] = {}
    errors: list[list[str]] = [[] for _ in table.rows]
    for position, header in enumerate(table.header):
        spec = by_header.get(header.casefold())
        name = spec.name if spec else header
        if name in seen:
            name = f"{name} (duplicate)"
        seen.add(name)
        values: list[object] = []
        for i, row in enumerate(table.rows):
            cell = row[position]
            if spec is None:
                values.append(None if cell is None else str(cell))
                continue
            parsed, error = parse_cell(cell, spec.kind)
            if error:
                errors[i].append(f"column '{spec.header}': {error}")
            values.append(parsed)
        columns[name] = values
    for spec in contract.columns:
        if not spec.required and spec.name not in columns:
            columns[spec.name] = [None] * len(table.rows)
    frame = pd.DataFrame(columns)
    dtypes = {"int": "Int64", "decimal": "Float64", "text": "string"}
    for spec in contract.columns:
        if spec.name in frame:
            frame[spec.name] = frame[spec.name].astype(dtypes[spec.kind])
    frame[SOURCE_ROW] = pd.array(table.row_numbers, dtype="Int64")
    frame[PARSE_ERROR] = pd.array(["; ".join(e) if e else None for e in errors], dtype="string")
    return frame


def expected_columns(contract: Contract) -> Sequence[str]:
    return [*contract.names, SOURCE_ROW, PARSE_ERROR]
