"""A delivery as a transient staging table in DuckDB: read, guarded and typed there, not in pandas.

A plain CSV (UTF-8, ``\\n`` line ends, no quotes, every row as wide as the header: what the large
registers deliver) is read by DuckDB's CSV reader as text (``all_varchar``), so cell texts and row
numbers are exact, and typed in SQL with the reader's rules (``tabular.parse_cell``): cells SQL can
type at a glance (``12``, ``-3,5``) are cast, every other distinct text is typed by ``parse_cell``
itself and its value and error spread back by a ``CASE``; identity numbers are looked for with a
regular expression, and only the few candidate texts get the check digits (``identity_numbers``).
The typed table has the columns and the ``parse_error`` messages of ``tabular.read_frame``, so the
suite and its messages (file, row, column, rule) are the same on either path.

Anything else (quotes, other line ends, a header-only file, XLSX, SPSS, agency formats) goes
through the source's own reader, whose frame is copied into the same staging table: one validation
path (GE on SQL) for every delivery. The table lives in a staging database attached beside the
warehouse for the length of one step (``staging_area``; compressed on disk, so a register year
does not have to fit in memory); it is never part of the warehouse file nor published, and the
step deletes it. Validation and the raw load read it through a temporary view,
``staging_<source>``, with the file's row numbers.
"""

from __future__ import annotations

import codecs
import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.core.ingest import tabular
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.identity_numbers import _identity_error, identity_numbers_in
from dagster_project.core.ingest.tabular import PARSE_ERROR, SOURCE_ROW, Column, Contract

_SQL_TYPES = {"int": "INTEGER", "decimal": "DOUBLE", "text": "VARCHAR"}

#: Python's whitespace (``str.isspace``): what ``str.strip`` removes, and SQL ``trim`` with it.
_WHITESPACE_CHARACTERS = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_WHITESPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE_CHARACTERS) + "]"
#: A cell ``str.strip`` would change (trimming with many characters is slow: only these are).
_UNSTRIPPED = f"^{_WHITESPACE_CLASS}|{_WHITESPACE_CLASS}$"
#: Cells SQL types on its own, exactly as ``parse_cell`` does (anything else goes to ``parse_cell``).
_FAST = {"int": "[0-9]{1,9}", "decimal": "-?[0-9]{1,15}(,[0-9]{1,15})?"}
#: ``identity_numbers._MAYBE_IN_TEXT`` in RE2 (``\\d`` there is any Unicode decimal digit).
_MAYBE_IDENTITY = r"\p{Nd}{6} ?\p{Nd}{5}"
#: Distinct texts per column typed by ``parse_cell``; a file with more goes through the reader.
MAX_SLOW_TEXTS = 2_000
#: Bytes read at a time when checking that a CSV is plain, and the most the header may take.
_BLOCK = 1 << 20
_UNPLAIN_BYTES = (b"\x00", b'"', b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
_UNPLAIN_SEQUENCES = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # U+0085, U+2028, U+2029


@dataclass(frozen=True)
class StagedTable:
    """A delivery typed against its contract: ``table`` is the temporary view of ``conn`` that
    shows its rows (with ``source_row``), as the suite and the raw load read them."""

    conn: duckdb.DuckDBPyConnection
    table: str
    columns: tuple[str, ...]
    comments: tuple[str, ...]
    row_count: int
    #: Optional contract columns the file does not have (loaded as NULL).
    absent: tuple[str, ...] = ()

    def distinct(self, column: str) -> list[object]:
        rows = self.conn.execute(
            f"select distinct {quoted(column)} from {quoted(self.table)} where {quoted(column)} is not null"
        ).fetchall()
        return [r[0] for r in rows]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def staging_table(source: str) -> str:
    """The temporary view a delivery is validated and loaded from."""
    return f"staging_{source}"


def _rows_table(source: str) -> str:
    return f"{STAGING_CATALOG}.main.{quoted(source + '_rows')}"


#: The database the staged rows live in while a step runs, attached under this name.
STAGING_CATALOG = "ingest_staging"
#: DuckDB's memory while a delivery is staged, validated and loaded: with the Python process and
#: GE, an SF100 register year stays well under 1.5 GB; the rest waits on disk.
MEMORY_LIMIT = "600MB"
#: Columns of the staged rows the view leaves out (names no delivered header takes).
_BLANK = "__staging_blank_row"
_CANDIDATE = "__staging_identity_candidate_{}"


def staging_file_for(warehouse_db: Path) -> Path:
    """Beside the warehouse file (never in DAGSTER_HOME, never published)."""
    return warehouse_db.parent / f"{warehouse_db.stem}.staging.duckdb"


def _remove(database: Path) -> None:
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def staging_area(conn: duckdb.DuckDBPyConnection, warehouse_db: Path) -> Iterator[None]:
    """A fresh staging database attached to ``conn`` for the block, deleted afterwards; DuckDB's
    memory bounded (``MEMORY_LIMIT``), spilling beside the warehouse file."""
    database = staging_file_for(warehouse_db)
    conn.execute(f"set memory_limit = {literal(MEMORY_LIMIT)}")
    conn.execute(f"set temp_directory = {literal(str(warehouse_db.parent / (warehouse_db.name + '.tmp')))}")
    conn.execute("set preserve_insertion_order = true")  # a staged row's position is its line
    _remove(database)
    conn.execute(f"attach {literal(str(database))} as {STAGING_CATALOG}")
    try:
        yield
    finally:
        conn.execute(f"detach database if exists {STAGING_CATALOG}")
        _remove(database)


def drop_staged(conn: duckdb.DuckDBPyConnection, source: str) -> None:
    conn.execute(f"drop view if exists temp.main.{quoted(staging_table(source))}")
    attached = conn.execute(
        "select count(*) from duckdb_databases() where database_name = ?", [STAGING_CATALOG]
    ).fetchone()[0]
    if attached:
        conn.execute(f"drop table if exists {_rows_table(source)}")


def _view(conn: duckdb.DuckDBPyConnection, source: str, select: str) -> None:
    conn.execute(f"create or replace temp view {quoted(staging_table(source))} as {select}")


def _staged(
    conn: duckdb.DuckDBPyConnection, source: str, comments: Sequence[str], absent: Sequence[str]
) -> StagedTable:
    table = staging_table(source)
    count = conn.execute(f"select count(*) from {quoted(table)}").fetchone()[0]
    columns = tuple(r[0] for r in conn.execute(f"describe {quoted(table)}").fetchall())
    return StagedTable(conn, table, columns, tuple(comments), count, tuple(absent))


def stage_frame(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    frame: pd.DataFrame,
    comments: Sequence[str],
    absent: Sequence[str] = (),
) -> StagedTable:
    """A reader's typed frame as the staged rows (small deliveries: XLSX, SPSS, agency formats)."""
    drop_staged(conn, source)
    conn.register("delivered_frame", frame)
    try:
        conn.execute(f"create table {_rows_table(source)} as select * from delivered_frame")
    finally:
        conn.unregister("delivered_frame")
    _view(conn, source, f"select * from {_rows_table(source)}")
    return _staged(conn, source, comments, absent)


def stage_csv(
    conn: duckdb.DuckDBPyConnection, source: str, path: Path, contract: Contract
) -> StagedTable | None:
    """A plain CSV typed in DuckDB; None when the file is not plain (the reader then takes it).

    Two passes over the file: one counts rows, identity-number candidates and the cells SQL cannot
    type at a glance; the second writes the typed rows. Raises the reader's ``ExtractError`` for a
    bad header or an identity number."""
    layout = _plain_layout(path, contract)
    if layout is None:
        return None
    width = len(layout.header)
    names = {f"c{i}": "VARCHAR" for i in range(width)}
    csv = (
        f"read_csv({literal(str(path))}, delim = {literal(contract.delimiter)}, header = false, "
        f"skip = {layout.skip}, columns = {_struct(names)}, auto_detect = false, quote = '', "
        "escape = '', strict_mode = true, null_padding = false, encoding = 'utf-8')"
    )
    by_header = {c.header.casefold(): c for c in contract.columns}
    specs = [by_header.get(h.casefold()) for h in layout.header]
    numeric = [i for i, spec in enumerate(specs) if spec is not None and spec.kind != "text"]
    texts = [i for i in range(width) if i not in numeric]
    slow = {i: f"c{i} is not null and not {_fast(f'c{i}', specs[i].kind)}" for i in numeric}
    drop_staged(conn, source)
    try:
        # Pass 1: rows, and per column the cells needing a closer look (each test once per cell;
        # CASE evaluates the pattern only where the cheap length test lets it).
        counts = conn.execute(
            "select count(*), "
            + ", ".join(
                [f"count({_maybe_identity(f'c{i}', '1')})" for i in range(width)]
                + [f"count(case when {slow[i]} then 1 end)" for i in numeric]
                + [f"count(case when regexp_matches(c{i}, {literal(_UNSTRIPPED)}) then 1 end)" for i in texts]
            )
            + f" from {csv}"
        ).fetchone()
        if counts[0] != layout.rows:  # DuckDB passes over blank lines; the reader numbers them
            return None
        candidates = [i for i in range(width) if counts[1 + i]]
        slow_counts = dict(zip(numeric, counts[1 + width : 1 + width + len(numeric)], strict=True))
        spaces = {i for i, n in zip(texts, counts[1 + width + len(numeric) :], strict=True) if n}  # to strip
        slow_texts = {}
        for position, count in slow_counts.items():
            if count:
                found = conn.execute(
                    f"select distinct c{position} from {csv} where {slow[position]} "
                    f"limit {MAX_SLOW_TEXTS + 1}"
                ).fetchall()
                if len(found) > MAX_SLOW_TEXTS:
                    return None
                slow_texts[position] = [text for (text,) in found]
        # Pass 2: the typed rows (a clean column is cast as it is: pass 1 checked every cell).
        select = _typed_select(layout, specs, contract, slow_texts, spaces)
        marks = "".join(
            f", {_maybe_identity(f'c{i}', f'c{i}')} as {_CANDIDATE.format(i)}" for i in candidates
        )
        conn.execute(f"create table {_rows_table(source)} as select {select}{marks} from {csv}")
    except duckdb.Error:
        drop_staged(conn, source)
        return None  # a line DuckDB does not take as plain: the reader reports it
    _refuse_identity_numbers(conn, source, path.name, layout, candidates)
    hidden = ", ".join([_BLANK, *(_CANDIDATE.format(i) for i in candidates)])
    _view(
        conn,
        source,
        f"select * exclude ({hidden}, {PARSE_ERROR}), {_row(layout)}::BIGINT as {SOURCE_ROW}, {PARSE_ERROR} "
        f"from {_rows_table(source)} where not {_BLANK}",
    )
    present = {h.casefold() for h in layout.header}
    absent = tuple(c.name for c in contract.columns if c.header.casefold() not in present)
    return _staged(conn, source, layout.comments, absent)


def _struct(names: dict[str, str]) -> str:
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in names.items()) + "}"


@dataclass(frozen=True)
class _Layout:
    header: list[str]
    comments: list[str]
    #: Lines before the first row, and rows (lines) after the header.
    skip: int
    rows: int


def _plain_layout(path: Path, contract: Contract) -> _Layout | None:
    """The header of a CSV whose rows DuckDB can read as they are; None for any other file.

    The checks of ``tabular._decode`` and ``_plain_body``, over the file in blocks: UTF-8 without
    NUL bytes, quotes or line ends other than ``\\n``, and ``width - 1`` delimiters per row."""
    delimiter = contract.delimiter.encode()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    newlines = delimiters = 0
    head = bytearray()
    tail = b""
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            if not head and block.startswith((b"\xff\xfe", b"\xfe\xff")):
                return None
            joined = tail + block
            if any(b in block for b in _UNPLAIN_BYTES) or any(s in joined for s in _UNPLAIN_SEQUENCES):
                return None
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return None
            if len(head) < _BLOCK:
                head += block[: _BLOCK - len(head)]
            newlines += block.count(b"\n")
            delimiters += block.count(delimiter)
            tail, last = joined[-2:], block[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    if not head or tabular._binary_kind(bytes(head)):
        return None
    text = bytes(head).decode("utf-8-sig", errors="ignore")
    complete = len(head) == path.stat().st_size
    if not complete:
        text = text[: text.rfind("\n") + 1]
    try:
        head_info = tabular.csv_head(path.name, text, contract)
    except ExtractError:
        if complete:
            raise
        return None  # judged on a part of the file: the reader judges it on the whole
    body = head_info.body
    if body >= len(text) and complete:
        return None  # header only: the reader gives its one empty chunk
    if not complete and text.find("\n", body) == -1:
        return None  # a header and first row longer than the block: the reader takes it
    before = text[:body]
    skip = before.count("\n")
    rows = newlines - skip + (last != b"\n")
    width = len(head_info.header)
    if delimiters - before.count(contract.delimiter) != rows * (width - 1):
        return None
    return _Layout(head_info.header, head_info.comments, skip, rows)


def _row(layout: _Layout) -> str:
    """A staged row's line in the file, from its position (DuckDB keeps the file's order)."""
    return f"(rowid + {layout.skip + 1})"


def _maybe_identity(cell: str, then: str) -> str:
    """``then`` where a cell may hold an identity number, else NULL (the pattern needs 11
    characters: the cheap length test first, the pattern only where it passes)."""
    pattern = literal(_MAYBE_IDENTITY)
    matches = f"case when regexp_matches({cell}, {pattern}) then {then} end"
    return f"case when strlen({cell}) >= 11 then ({matches}) end"


def _trimmed(position: int) -> str:
    """A cell without leading and trailing whitespace, as ``str.strip`` leaves it."""
    return f"trim(c{position}, {literal(_WHITESPACE_CHARACTERS)})"


def _fast(cell: str, kind: str) -> str:
    return f"regexp_full_match({cell}, {literal(_FAST[kind])})"


def _refuse_identity_numbers(
    conn: duckdb.DuckDBPyConnection, source: str, file_name: str, layout: _Layout, candidates: list[int]
) -> None:
    """``IdentityNumberGuard`` in SQL: the check digits of the distinct candidate cells only; the
    first column (in header order) with any is named, with its count and first row."""
    for position in candidates:
        column = _CANDIDATE.format(position)
        found = conn.execute(
            f"select {column}, count(*), min({_row(layout)}) from {_rows_table(source)} "
            f"where {column} is not null group by {column}"
        ).fetchall()
        hits = [(n, first) for text, n, first in found if identity_numbers_in(text)]
        if hits:
            drop_staged(conn, source)
            count = sum(n for n, _ in hits)
            raise _identity_error(file_name, layout.header[position], count, min(f for _, f in hits))


def _sql_value(value: object, kind: str) -> str:
    if value is None:
        return f"NULL::{_SQL_TYPES[kind]}"
    if kind == "int":
        return str(int(value))
    if kind == "decimal":
        number = float(value)
        assert math.isfinite(number)
        return f"{literal(repr(number))}::DOUBLE"
    return literal(str(value))


def _typed_column(
    position: int, spec: Column, slow: list[str] | None, unstripped: bool
) -> tuple[str, str | None]:
    """SQL for a column's typed value and for its parse error (None: the column has none).

    ``slow``: the column's distinct cells SQL does not type at a glance; ``parse_cell`` types
    each, and a ``CASE`` spreads its value and error back to the rows."""
    cell = f"c{position}"
    if spec.kind == "text":  # parse_cell of a text: stripped, empty is missing (DuckDB reads '' as NULL)
        return (f"nullif({_trimmed(position)}, '')" if unstripped else cell), None
    fast = _fast(cell, spec.kind)
    value = f"{cell}::INTEGER" if spec.kind == "int" else f"replace({cell}, ',', '.')::DOUBLE"
    if not slow:
        return value, None  # every cell is empty or one SQL casts as parse_cell would
    parsed = [(text, *tabular.parse_cell(text.strip(), spec.kind)) for text in slow]
    values = " ".join(f"when {literal(t)} then {_sql_value(v, spec.kind)}" for t, v, _ in parsed)
    errors = " ".join(f"when {literal(t)} then {literal(e)}" for t, _, e in parsed if e is not None)
    typed = f"case when {fast} then {value} else (case {cell} {values} end) end"
    if not errors:
        return typed, None
    return typed, f"case when {fast} then NULL else (case {cell} {errors} end) end"


def _blank(position: int, slow: list[str] | None, spaces: bool) -> str:
    """Whether a cell is empty or whitespace: only what pass 1 found can be whitespace."""
    cell = f"c{position}"
    if spaces:
        return f"({cell} is null or {_trimmed(position)} = '')"
    blanks = [t for t in slow or [] if not t.strip()]
    if blanks:
        return f"({cell} is null or {cell} in ({', '.join(literal(t) for t in blanks)}))"
    return f"{cell} is null"


def _typed_select(
    layout: _Layout,
    specs: list[Column | None],
    contract: Contract,
    slow: dict[int, list[str]],
    spaces: set[int],
) -> str:
    """The typed columns, as ``tabular._typed_chunk`` builds a frame: contract names, unknown
    columns kept (as stripped text) for the suite to flag, absent optional ones as NULL, and each
    row's parse errors joined in column order; and whether a row is blank (the reader drops it)."""
    selected: list[str] = []
    errors: list[str] = []
    seen: set[str] = set()
    for position, (header_text, spec) in enumerate(zip(layout.header, specs, strict=True)):
        name = spec.name if spec else header_text
        if name in seen:
            name = f"{name} (duplicate)"
        seen.add(name)
        if spec is None:
            kept = _trimmed(position) if position in spaces else f"c{position}"
            selected.append(f"coalesce({kept}, '') as {quoted(name)}")
            continue
        value, error = _typed_column(position, spec, slow.get(position), position in spaces)
        selected.append(f"{value} as {quoted(name)}")
        if error is not None:
            errors.append(f"{literal(f'column {chr(39)}{spec.header}{chr(39)}: ')} || ({error})")
    for spec in contract.columns:
        if not spec.required and spec.name not in seen:
            selected.append(f"NULL::{_SQL_TYPES[spec.kind]} as {quoted(spec.name)}")
            seen.add(spec.name)
    parse_error = f"nullif(concat_ws('; ', {', '.join(errors)}), '')" if errors else "NULL::VARCHAR"
    blank = " and ".join(_blank(i, slow.get(i), i in spaces) for i in range(len(layout.header)))
    return f"{', '.join(selected)}, {parse_error} as {PARSE_ERROR}, ({blank}) as {_BLANK}"


def stage_delivery(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    path: Path,
    read: Callable[[Path], object],
    csv_contract: Callable[[Path], Contract] | None,
    check: Callable[[Path, StagedTable], None] | None = None,
) -> StagedTable:
    """The delivery as the staging table: a plain CSV of a source typed in DuckDB (``csv_contract``,
    then the source's own ``check`` of the typed table), anything else through the source's reader.
    Raises ``ExtractError`` for a file it cannot read."""
    if csv_contract is not None and path.suffix.lower() == ".csv":
        staged = stage_csv(conn, source, path, csv_contract(path))
        if staged is not None:
            if check is not None:
                check(path, staged)
            return staged
    extract = read(path)
    return stage_frame(conn, source, extract.frame, extract.comments, getattr(extract, "absent", ()))
