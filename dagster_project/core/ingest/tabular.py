"""Reading a delivered table (semicolon CSV with decimal commas, or XLSX) against a column contract.

The reader is deliberately lenient about *content* and strict about *structure*: a file it cannot
split into rows and columns is an ``ExtractError`` at once, while a cell it cannot parse becomes a
null plus a message in ``parse_error``, so that the Great Expectations suite reports every bad row
with its rule rather than the first one only. Missing and unexpected columns are left visible for
the suite's column-set expectation.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from dagster_project.core.ingest import agency_formats
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.identity_numbers import IdentityNumberGuard

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
    """The whole file as cell texts (small files and tests; ``read_frame`` is what loads use)."""
    header, comments, parts = _guarded_chunks(path, contract, _cell_rows)
    rows = [row for part_rows, _ in parts for row in part_rows]
    numbers = [number for _, part_numbers in parts for number in part_numbers]
    return RawTable(header=header, rows=rows, row_numbers=numbers, comments=comments)


def _cell_rows(header: list[str], chunk: Chunk) -> tuple[list[list[object]], list[int]]:
    columns = [chunk.cells(i) for i in range(len(chunk.columns))]
    rows = [[_cleaned(c) for c in cells] for cells in zip(*columns, strict=True)]
    return rows, [int(n) for n in chunk.numbers]


@dataclass(frozen=True)
class ParsedTable:
    """A delivered table, typed against its contract, and the file's own comment lines."""

    frame: pd.DataFrame
    comments: tuple[str, ...]
    #: Optional contract columns the file does not have (added as all-null columns).
    absent: tuple[str, ...] = ()


def read_frame(path: Path, contract: Contract) -> ParsedTable:
    """Read, guard against identity numbers, and type a delivered table, a chunk of rows at a time.

    Cells are typed column-wise over their distinct values (microdata columns hold a handful of
    codes), each with ``parse_cell``: the same result as typing every cell, at a fraction of the
    time and without keeping millions of cell texts in memory.
    """
    header, comments, parts = _guarded_chunks(
        path, contract, lambda header, chunk: _typed_chunk(header, chunk, contract)
    )
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    present = {h.casefold() for h in header}
    absent = tuple(c.name for c in contract.columns if c.header.casefold() not in present)
    return ParsedTable(frame=frame, comments=tuple(comments), absent=absent)


#: What a chunk becomes: cell rows for ``read_table``, a typed frame for ``read_frame``.
T = TypeVar("T")


def _guarded_chunks(
    path: Path, contract: Contract, convert: Callable[[list[str], Chunk], T]
) -> tuple[list[str], list[str], list[T]]:
    """Header, comment lines and every chunk converted, once no chunk held an identity number.

    The plain-CSV reader is tried first; a file it does not take (``_NotPlain``) is read again
    record by record.
    """
    try:
        return _converted_chunks(path, contract, convert, allow_plain=True)
    except _NotPlain:
        return _converted_chunks(path, contract, convert, allow_plain=False)


def _converted_chunks(
    path: Path, contract: Contract, convert: Callable[[list[str], Chunk], T], allow_plain: bool
) -> tuple[list[str], list[str], list[T]]:
    header, comments, chunks = _open_table(path, contract, allow_plain)
    guard = IdentityNumberGuard(path.name, header)
    parts = []
    for chunk in chunks:
        guard.scan(chunk)
        parts.append(convert(header, chunk))
    guard.raise_if_found()
    return header, comments, parts


@dataclass
class Chunk:
    """Rows of a table as columns: the file's row numbers, then one sequence of cells per column.

    A column may come already factorised (a ``pd.Categorical`` of cell texts, from the plain-CSV
    reader): ``distinct`` then hands out its codes and categories without touching every cell.
    """

    numbers: Sequence[int]
    columns: list[Sequence[object]]
    #: Every cell is a text (a CSV): cells can then be typed over their distinct values.
    texts: bool
    _distinct: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def distinct(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """Codes per row and the distinct cell texts of a text column, computed once per chunk."""
        if position not in self._distinct:
            values = self.columns[position]
            if isinstance(values, pd.Categorical):
                found = (np.asarray(values.codes), np.asarray(values.categories, dtype=object))
            else:
                codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
                found = (codes, np.asarray(uniques, dtype=object))
            self._distinct[position] = found
        return self._distinct[position]

    def cells(self, position: int) -> Sequence[object]:
        """Every cell of a column, as delivered."""
        values = self.columns[position]
        if isinstance(values, pd.Categorical):
            codes, uniques = self.distinct(position)
            return uniques.take(codes).tolist()
        return values


#: Rows typed at a time: bounds the memory held as Python cell texts for a large extract.
CHUNK_ROWS = 100_000


def _open_table(
    path: Path, contract: Contract, allow_plain: bool
) -> tuple[list[str], list[str], Iterator[Chunk]]:
    """Header, comment lines and the rows in chunks (file row numbers, then one sequence per column)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, contract, allow_plain)
    if suffix == ".xlsx":
        table = _read_xlsx(path, contract)
        columns = [list(c) for c in zip(*table.rows, strict=True)] or [[] for _ in table.header]
        return table.header, table.comments, iter([Chunk(table.row_numbers, columns, texts=False)])
    if suffix in agency_formats.SUFFIXES and contract.source in agency_formats.VALUE_COLUMNS:
        header, comments, rows = agency_formats.read_table(
            path, contract.source, [c.header for c in contract.columns]
        )
        columns = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in header]
        return header, comments, iter([Chunk(list(range(1, len(rows) + 1)), columns, texts=True)])
    raise ExtractError(path.name, "supported_file_type", f"'{suffix}' is neither .csv nor .xlsx")


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


#: Line breaks other than \n that ``str.splitlines`` honours; a file with any is normalised first.
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _decode(path: Path) -> tuple[str, bool]:
    """The file's text with ``\n`` line ends, and whether it had no other line breaks at all."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(
            path.name,
            "utf8_encoding",
            "the file is UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8 (semicolon separated)'",
            row=1,
        )
    what = _binary_kind(data)
    if what:
        raise ExtractError(
            path.name,
            "file_type_matches_name",
            f"the file is {what}, not a CSV text file, although it is named '{path.suffix}'; "
            "save it as 'CSV UTF-8 (semicolon separated)' or give it its real extension",
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
    del data
    plain = "\r" not in text
    if not plain:
        text = text.replace("\r\n", "\n")
    if _OTHER_LINE_BREAKS.search(text):
        plain = False
        text = "\n".join(text.splitlines())
    return text, plain


#: Leading bytes of the binary files that arrive under a .csv name, and what to call them.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook (or another OLE document)"),
    (b"$FL2", "an SPSS .sav file"),
    (b"$FL3", "an SPSS .sav file"),
    (b"%PDF", "a PDF document"),
)


def _binary_kind(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if magic.startswith(b"PK") and b"xl/" in data[:65536]:
                return "an XLSX workbook (Excel)"
            if magic.startswith(b"PK") and b"word/" in data[:65536]:
                return "a Word document"
            return what
    return None


def _lines_from(text: str, start: int) -> Iterator[str]:
    """The lines of a text from a position on, with their line ends, without copying the text
    (an in-memory stream would hold it again, four bytes per character)."""
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop == -1 else stop + 1
        yield text[start:stop]
        start = stop


@dataclass
class CsvHead:
    """What precedes a CSV's rows: the header (checked), the comment lines above it, the number of
    lines before the header, and where the rows start (``body``: an offset into the text, valid
    when the header is one line); ``reader`` continues with the first row."""

    header: list[str]
    comments: list[str]
    first: int
    body: int
    reader: Iterator[list[str]]


def csv_head(file: str, text: str, contract: Contract) -> CsvHead:
    """Comment lines, the header row and its structural checks; ``ExtractError`` names the line."""
    delimiter = contract.delimiter
    comments: list[str] = []
    first = 0
    lines = _lines_from(text, 0)
    header_at = 0
    header_line = next(lines, "")
    while header_line and (header_line.startswith(_COMMENT_PREFIX) or not header_line.strip()):
        if header_line.startswith(_COMMENT_PREFIX):
            comments.append(header_line.rstrip("\n").lstrip(_COMMENT_PREFIX).strip())
        first += 1
        header_at += len(header_line)
        header_line = next(lines, "")
    if not header_line:
        raise ExtractError(file, "has_header", "the file is empty (no header row)")
    header_line = header_line.rstrip("\n")
    following = next((line for line in lines if line.strip()), "").rstrip("\n")
    known = {c.header.casefold() for c in contract.columns}
    if delimiter not in header_line and known & {h.strip().casefold() for h in following.split(delimiter)}:
        raise ExtractError(
            file,
            "header_row",
            f"'{header_line.strip()[:80]}' above the header is not a column header "
            "(start title lines with '#')",
            row=first + 1,
        )
    if delimiter not in header_line:
        found = next((d for d in (",", "\t", "|") if d in header_line), None)
        hint = f"found '{found}'" if found else "found a single column"
        raise ExtractError(
            file,
            "semicolon_delimiter",
            f"columns must be separated by '{delimiter}', {hint}",
            row=first + 1,
        )
    reader = csv.reader(_lines_from(text, header_at), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ExtractError(
            file, "csv_syntax", f"not valid CSV ({exc}); check quotes", row=first + reader.line_num
        ) from None
    check_header(file, header, first + 1, contract)
    body = header_at + len(header_line) + 1  # the first character after the header line
    return CsvHead(header=header, comments=comments, first=first, body=body, reader=reader)


def _read_csv(
    path: Path, contract: Contract, allow_plain: bool
) -> tuple[list[str], list[str], Iterator[Chunk]]:
    delimiter = contract.delimiter
    text, plain = _decode(path)
    head = csv_head(path.name, text, contract)
    header, comments, first, reader = head.header, head.comments, head.first, head.reader
    body = head.body
    if allow_plain and plain and _plain_body(text, body, delimiter, len(header)):
        skip = text.count("\n", 0, body)
        del text
        return header, comments, _plain_csv_chunks(path, delimiter, skip, len(header))
    return header, comments, _csv_chunks(path.name, reader, first, len(header))


class _NotPlain(Exception):
    """The plain-CSV reader met a line it cannot take; the file is read again record by record."""


def _plain_body(text: str, start: int, delimiter: str, width: int) -> bool:
    """Whether the rows after the header can go to pandas' C parser: no quotes (so one line is one
    record), and exactly ``width - 1`` delimiters per line on average (blank lines and short lines
    fail this; a long line makes the parser fail, and ``_NotPlain`` sends the file the slow way)."""
    if '"' in text or start >= len(text):
        return False
    lines = text.count("\n", start) + (not text.endswith("\n"))
    return text.count(delimiter, start) == lines * (width - 1)


def _plain_csv_chunks(path: Path, delimiter: str, skip: int, width: int) -> Iterator[Chunk]:
    """Records of a quote-free CSV from pandas' C parser, each column factorised as it is parsed
    (a ``Categorical``: one Python string per distinct cell, not one per cell). Line ``skip + 1``
    is the first record; rows of empty cells are dropped, as the record-by-record reader does.
    Anything it does not take as plain text raises ``_NotPlain``."""
    reader = pd.read_csv(
        path,
        sep=delimiter,
        header=None,
        names=list(range(width)),
        skiprows=skip,
        dtype="category",
        quoting=csv.QUOTE_NONE,
        decimal=",",  # not the default: pandas then keeps categories as the texts they are
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
        chunksize=CHUNK_ROWS,
    )
    line = skip + 1
    try:
        for frame in reader:
            numbers = np.arange(line, line + len(frame))
            line += len(frame)
            columns = [frame[p].array for p in range(width)]
            if not all(pd.api.types.is_string_dtype(c.categories) for c in columns):
                raise _NotPlain  # pandas made booleans of a column of true/false texts
            chunk = Chunk(numbers, columns, texts=True)
            blank = np.ones(len(frame), dtype=bool)
            for position in sorted(range(width), key=lambda p: len(columns[p].categories)):
                codes, uniques = chunk.distinct(position)  # fewest distinct texts first: usually
                blank &= np.isin(codes, [i for i, u in enumerate(uniques) if not u.strip()])
                if not blank.any():  # a column of codes shows at once that no row is blank
                    break
            if blank.any():
                kept = ~blank
                chunk = Chunk(numbers[kept], [c[kept] for c in chunk.columns], texts=True)
            yield chunk
    except pd.errors.ParserError:
        raise _NotPlain from None
    finally:
        reader.close()


def _csv_chunks(file: str, reader, first: int, width: int) -> Iterator[Chunk]:
    """Records in chunks of ``CHUNK_ROWS``; always at least one chunk, empty for a header-only file."""
    yielded = False
    numbers: list[int] = []
    records: list[list[str]] = []
    start = reader.line_num
    try:
        for record in reader:  # a quoted field may span lines: number a record by its first line
            offset, start = first + start + 1, reader.line_num
            if not "".join(record).strip():
                continue
            if len(record) != width:
                raise ExtractError(
                    file,
                    "field_count",
                    f"{len(record)} fields where the header has {width} (truncated or mis-delimited line?)",
                    row=offset,
                )
            records.append(record)
            numbers.append(offset)
            if len(records) == CHUNK_ROWS:
                yield Chunk(numbers, list(zip(*records, strict=True)), texts=True)
                numbers, records, yielded = [], [], True
    except csv.Error as exc:
        raise ExtractError(
            file, "csv_syntax", f"not valid CSV ({exc}); check quotes", row=first + reader.line_num
        ) from None
    if records or not yielded:
        yield Chunk(numbers, list(zip(*records, strict=True)) or [[] for _ in range(width)], texts=True)


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
        except ExtractError as error:
            others = _other_sheets_with_data(workbook)
            if not others:
                raise
            raise ExtractError(
                error.file,
                error.rule,
                f"{error.detail}. Only the first sheet ('{sheet.title}') is read; "
                f"the workbook has data on sheet(s) {others}: move the data to the first sheet",
                row=error.row,
                column=error.column,
            ) from None
        except Exception as exc:  # read_only parses sheet XML lazily: damage shows up while iterating
            raise ExtractError(
                path.name, "readable_xlsx", f"sheet '{sheet.title}' cannot be read ({type(exc).__name__})"
            ) from None
        if table is None or not table.rows:
            others = _other_sheets_with_data(workbook)
            if table is None or others:
                hint = (
                    f"the workbook has data on sheet(s) {others}: move the data to the first sheet"
                    if others
                    else "the data must be on the first sheet"
                )
                state = "is empty" if table is None else "has a header but no rows"
                raise ExtractError(
                    path.name,
                    "has_header" if table is None else "data_on_first_sheet",
                    f"the first sheet '{sheet.title}' {state}; only the first sheet is read, and {hint}",
                )
        return table
    finally:
        workbook.close()


def _other_sheets_with_data(workbook) -> list[str]:
    """Titles of the sheets after the first that hold any value in their first rows."""
    found = []
    for other in workbook.worksheets[1:]:
        try:
            rows = other.iter_rows(max_row=20, values_only=True)
            if any(v is not None and str(v).strip() for row in rows for v in row):
                found.append(other.title)
        except Exception:  # a damaged sheet is not what the message is about
            continue
    return found


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


_DTYPES = {"int": "Int64", "decimal": "Float64", "text": "string"}


def _cleaned(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


#: Nullable integer types from the smallest up: a column of codes 1-4 needs one byte a cell, not eight.
_INT_DTYPES = (("Int8", 2**7), ("Int16", 2**15), ("Int32", 2**31), ("Int64", 2**63))


def _int_dtype(values: list[object]) -> str:
    numbers = [v for v in values if v is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0, 0)
    return next(name for name, limit in _INT_DTYPES if -limit <= low and high < limit)


def _typed_column(chunk: Chunk, position: int, kind: ColumnKind) -> tuple[pd.Series, np.ndarray | None]:
    """Typed values and the parse error per cell (None when every cell parsed).

    A column of texts is typed over its distinct values: ``parse_cell`` runs once per distinct
    text, and the results are spread back to the rows (which then share one object per distinct
    text). Other cells (XLSX numbers, dates, booleans, which hash alike across types) are typed one
    by one. Whole numbers get the smallest integer type that holds them.
    """
    if chunk.texts:
        codes, uniques = chunk.distinct(position)
        if kind == "text":  # parse_cell of a text: stripped, empty is missing (a key column is all distinct)
            parsed = [(t or None, None) for t in (u.strip() for u in uniques)]
        else:
            parsed = [parse_cell(u.strip(), kind) for u in uniques]
    else:
        codes, parsed = None, [parse_cell(_cleaned(v), kind) for v in chunk.columns[position]]
    typed_values = [v for v, _ in parsed]
    dtype = _int_dtype(typed_values) if kind == "int" else _DTYPES[kind]
    typed = pd.array(typed_values, dtype=dtype)
    errors = np.asarray([e for _, e in parsed], dtype=object)
    if codes is not None:
        typed, errors = typed.take(codes), errors.take(codes)
    has_errors = any(e is not None for _, e in parsed)
    return pd.Series(typed), errors if has_errors else None


def _typed_chunk(header: list[str], chunk: Chunk, contract: Contract) -> pd.DataFrame:
    """Map headers to contract names and type the cells; keep unknown columns for the suite to flag."""
    by_header = {c.header.casefold(): c for c in contract.columns}
    n = len(chunk.numbers)
    seen: set[str] = set()
    columns: dict[str, object] = {}
    errors: list[tuple[str, np.ndarray | None]] = []
    for position, header_text in enumerate(header):
        spec = by_header.get(header_text.casefold())
        name = spec.name if spec else header_text
        if name in seen:
            name = f"{name} (duplicate)"
        seen.add(name)
        if spec is None:
            columns[name] = [None if v is None else str(_cleaned(v)) for v in chunk.cells(position)]
            continue
        columns[name], column_errors = _typed_column(chunk, position, spec.kind)
        errors.append((spec.header, column_errors))
    for spec in contract.columns:
        if not spec.required and spec.name not in columns:
            columns[spec.name] = pd.Series(pd.array([None] * n, dtype=_DTYPES[spec.kind]))
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n))
    frame[SOURCE_ROW] = pd.array(chunk.numbers, dtype="Int64")
    frame[PARSE_ERROR] = pd.array(_row_errors(n, errors), dtype="string")
    return frame


def _row_errors(n: int, errors: list[tuple[str, np.ndarray | None]]) -> list[str | None]:
    """Per row, its cells' parse errors joined in column order (None for a clean row)."""
    errors = [(h, e) for h, e in errors if e is not None]
    failed = np.zeros(n, dtype=bool)
    for _, column_errors in errors:
        failed |= pd.notna(column_errors)
    messages: list[str | None] = [None] * n
    for i in np.flatnonzero(failed):
        messages[i] = "; ".join(f"column '{h}': {e[i]}" for h, e in errors if e[i] is not None)
    return messages


def expected_columns(contract: Contract) -> Sequence[str]:
    return [*contract.names, SOURCE_ROW, PARSE_ERROR]
