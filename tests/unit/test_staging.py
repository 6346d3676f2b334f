"""A plain CSV typed in DuckDB (``staging.stage_csv``) is exactly what the reader makes of it.

The reader (``tabular.read_frame``) is the definition: the same columns, values, row numbers and
``parse_error`` messages, or the same ``ExtractError`` (identity numbers included), for any cells.
A file DuckDB should not take as it is (quotes, blank lines) is left to the reader (None).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.ingest import staging, tabular
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.tabular import Column, Contract

CONTRACT = Contract(
    source="probe",
    columns=(
        Column("kode", "code", "text"),
        Column("antall", "count", "int"),
        Column("verdi", "value", "decimal"),
        Column("valgfri", "optional", "int", required=False),
    ),
)
SPECIAL = [
    "",
    " ",
    "\t",
    "1",
    "007",
    "-5",
    "12",
    "2147483647",
    "2147483648",
    "1,5",
    "-0,25",
    "1.5",
    "1 234,5",
    "\u00a012",
    "12\u3000",
    "\u0663",
    "x",
    " a ",
    "ab",
    "\u00e5r",
    "01010750160",
    "010107 50160",
    "12345678901",
    "nei",
    "-",
    ",5",
    "1e3",
    "+4",
]
CELL = st.one_of(st.sampled_from(SPECIAL), st.text(alphabet="0123456789, -.a\u00a0\u2003", max_size=7))
HEADERS = st.sampled_from(
    [
        ["kode", "antall", "verdi"],
        ["Kode", "verdi", "antall", "valgfri"],
        ["kode", "antall", "verdi", "ukjent"],
        ["verdi", "kode", "antall", "year"],
    ]
)


def plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def both(path: Path) -> tuple[object, object]:
    """What the reader and what DuckDB staging make of a file (a frame as columns, or an error)."""
    try:
        parsed = tabular.read_frame(path, CONTRACT)
        expected = (
            {c: [plain(v) for v in parsed.frame[c]] for c in parsed.frame.columns},
            parsed.absent,
            parsed.comments,
        )
    except ExtractError as error:
        expected = str(error)
    database = path.parent / "warehouse.duckdb"
    with duckdb.connect(str(database)) as conn, staging.staging_area(conn, database):
        try:
            staged = staging.stage_csv(conn, "probe", path, CONTRACT)
        except ExtractError as error:
            return expected, str(error)
        if staged is None:
            return expected, None
        frame = conn.execute(f'select * from "{staged.table}" order by source_row').df()
        got = ({c: [plain(v) for v in frame[c]] for c in frame.columns}, staged.absent, staged.comments)
        assert staged.row_count == len(frame)
    return expected, got


def write(folder: Path, header: list[str], rows: list[list[str]], comments: int = 0) -> Path:
    path = folder / "probe.csv"
    lines = [f"# kommentar {i}" for i in range(comments)] + [";".join(header)]
    lines += [";".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None, database=None)
@given(
    header=HEADERS,
    cells=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=8),
    comments=st.integers(0, 2),
)
def test_staged_csv_equals_the_reader(header: list[str], cells: list[list[str]], comments: int) -> None:
    rows = [row[: len(header)] for row in cells]
    if any(";" in cell or "\n" in cell for row in rows for cell in row):
        return
    with tempfile.TemporaryDirectory() as folder:
        expected, got = both(write(Path(folder), header, rows, comments))
    if got is not None:
        assert got == expected


def test_a_typical_delivery_is_staged_not_read_by_the_reader(tmp_path: Path) -> None:
    rows = [["K1", "3", "1,5", "2"], ["K2", "", "", ""], [" ", "", "", " "], ["K3", "x", "1.5", "7"]]
    expected, got = both(write(tmp_path, ["kode", "antall", "verdi", "valgfri"], rows, comments=1))
    assert got is not None and got == expected
    columns = got[0]
    assert columns["source_row"] == [3, 4, 6]  # the blank row (line 5) is dropped, lines kept
    assert columns["parse_error"][2] == (
        "column 'antall': 'x' is not a whole number; column 'verdi': '1.5' uses a decimal point; "
        "write decimal numbers with a decimal comma"
    )


def test_an_identity_number_rejects_the_file_with_the_readers_message(tmp_path: Path) -> None:
    rows = [["K1", "3", "1,5"], ["merk 010107 50160", "4", "2"], ["01010750160", "5", "2"]]
    expected, got = both(write(tmp_path, ["kode", "antall", "verdi"], rows))
    assert isinstance(got, str) and got == expected
    assert "row 3" in got and "2 value(s)" in got and "50160" not in got


@pytest.mark.parametrize(
    "body",
    ['K1;"3";1,5\n', "K1;3;1,5\n\nK2;4;2\n", "K1;3;1,5;9\nK2;4\n", "K1;3\r\nK2;4;2\r\n"],
    ids=["quotes", "blank_line", "ragged", "crlf"],
)
def test_what_duckdb_should_not_take_as_it_is_goes_to_the_reader(tmp_path: Path, body: str) -> None:
    path = tmp_path / "probe.csv"
    path.write_text("kode;antall;verdi\n" + body, encoding="utf-8")
    _, got = both(path)
    assert got is None
