"""The chunked, column-wise reader gives exactly what typing every cell with ``parse_cell`` gives.

``read_frame`` types a CSV chunk by chunk, over each column's distinct values; these tests hold it
to the cell-by-cell definition (``parse_cell``) and check that chunk boundaries change nothing:
row numbers, parse errors, the identity-number guard and structural errors. A quote-free CSV goes
through pandas' C parser (the plain reader), anything else record by record with ``csv``: both
are held to the same definition, and the files the plain reader must hand back are tested here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.ingest import tabular
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.identity_numbers import RULE as IDENTITY_RULE
from dagster_project.core.ingest.tabular import Column, Contract, parse_cell, read_frame

CONTRACT = Contract(
    source="probe",
    columns=(
        Column("kode", "code", "int"),
        Column("verdi", "value", "decimal"),
        Column("tekst", "text", "text"),
        Column("merknad", "note", "text", required=False),
    ),
)
#: Cells near the parser's edges: padding, thousands separators, minus signs, points, huge numbers.
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "007",
            "12",
            " 3 ",
            "-4",
            "1,5",
            "-0,25",
            "\u22121,5",
            "1 234,5",
            "1\u00a0234",
            "1.5",
            "2147483647",
            "2147483648",
            "99999999999",
            "1e3",
            "abc",
            "12,",
            ",5",
            "NaN",
        ]
    ),
    st.text(alphabet="0123456789 ,.-\u2212ab", max_size=12),
)


def write_csv(path: Path, rows: list[list[str]], header: str = "kode;verdi;tekst") -> Path:
    lines = ["# a comment", header, *(";".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cell_by_cell(rows: list[list[str]]) -> pd.DataFrame:
    """The definition: every cell stripped and typed on its own."""
    kinds = [c.kind for c in CONTRACT.columns[:3]]
    typed = {c.name: [] for c in CONTRACT.columns[:3]}
    errors = []
    for row in rows:
        messages = []
        for column, kind, cell in zip(CONTRACT.columns[:3], kinds, row, strict=True):
            value, error = parse_cell(cell.strip(), kind)
            typed[column.name].append(value)
            if error:
                messages.append(f"column '{column.header}': {error}")
        errors.append("; ".join(messages) or None)
    return pd.DataFrame(typed).assign(parse_error=errors)


@pytest.mark.parametrize("plain", [True, False], ids=["plain reader", "record by record"])
@settings(max_examples=60, deadline=None, database=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=25), chunk=st.integers(1, 7)
)
def test_columnwise_typing_equals_typing_every_cell(tmp_path_factory, plain, rows, chunk) -> None:
    path = write_csv(tmp_path_factory.mktemp("csv") / "probe.csv", rows)
    kept = [r for r in rows if "".join(r).strip()]  # blank lines are skipped
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular, "CHUNK_ROWS", chunk)
        if not plain:
            patch.setattr(tabular, "_plain_body", lambda *args: False)
        frame = read_frame(path, CONTRACT).frame
    expected = cell_by_cell(kept)
    assert len(frame) == len(kept)
    for name in ("code", "value", "text", "parse_error"):
        got = [None if pd.isna(v) else v for v in frame[name]]
        want = [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in expected[name]]
        assert got == want, name
    assert frame["note"].isna().all() and str(frame["note"].dtype) == "string"


def test_row_numbers_and_errors_survive_chunk_boundaries(tmp_path: Path, monkeypatch) -> None:
    rows = [[str(i), f"{i},5", f"t{i}"] for i in range(10)]
    rows[7][1] = "7.5"  # decimal point: a parse error in the third chunk
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 3)
    frame = read_frame(write_csv(tmp_path / "probe.csv", rows), CONTRACT).frame
    assert frame["source_row"].tolist() == list(range(3, 13))  # comment line 1, header line 2
    assert frame["code"].tolist() == list(range(10))
    bad = frame[frame["parse_error"].notna()]
    assert bad["source_row"].tolist() == [10]
    assert "decimal point" in bad["parse_error"].iloc[0]


def test_a_field_count_error_in_a_later_chunk_names_its_line(tmp_path: Path, monkeypatch) -> None:
    rows = [[str(i), "1", "t"] for i in range(9)]
    rows[6] = ["6", "1"]
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 2)
    with pytest.raises(ExtractError) as caught:
        read_frame(write_csv(tmp_path / "probe.csv", rows), CONTRACT)
    assert (caught.value.rule, caught.value.row) == ("field_count", 9)


def test_identity_numbers_are_counted_across_chunks(tmp_path: Path, monkeypatch) -> None:
    rows = [[str(i), "1", f"t{i}"] for i in range(8)]
    rows[5][2] = rows[7][2] = "01010750160"  # Skatteetaten's example fødselsnummer
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 3)
    with pytest.raises(ExtractError) as caught:
        read_frame(write_csv(tmp_path / "probe.csv", rows), CONTRACT)
    error = caught.value
    assert (error.rule, error.row, error.column) == (IDENTITY_RULE, 8, "tekst")
    assert type(error.row) is int  # not numpy's: the row goes into the quarantine log as it is
    assert "2 value(s)" in str(error)


def test_a_header_only_file_gives_an_empty_typed_frame(tmp_path: Path) -> None:
    frame = read_frame(write_csv(tmp_path / "probe.csv", []), CONTRACT).frame
    assert frame.empty
    assert list(frame.columns) == [*CONTRACT.names, "source_row", "parse_error"]
    assert str(frame["code"].dtype).startswith("Int") and str(frame["value"].dtype) == "Float64"


def test_whole_numbers_get_the_smallest_type_that_holds_them(tmp_path: Path) -> None:
    rows = [["1", "1", "a"], ["4", "1", "b"], ["", "1", "c"]]
    frame = read_frame(write_csv(tmp_path / "small.csv", rows), CONTRACT).frame
    assert str(frame["code"].dtype) == "Int8" and frame["code"].tolist()[:2] == [1, 4]
    rows[1][0] = "2147483647"
    frame = read_frame(write_csv(tmp_path / "large.csv", rows), CONTRACT).frame
    assert str(frame["code"].dtype) == "Int32" and frame["code"].tolist()[1] == 2_147_483_647


def _reader_used(path: Path, monkeypatch) -> str:
    """Which reader gave the rows of ``path``: 'plain' or 'records'."""
    used = []
    plain_chunks, record_chunks = tabular._plain_csv_chunks, tabular._csv_chunks

    def plain(*args):
        used.append("plain")
        return plain_chunks(*args)

    def records(*args):
        used.append("records")
        return record_chunks(*args)

    monkeypatch.setattr(tabular, "_plain_csv_chunks", plain)
    monkeypatch.setattr(tabular, "_csv_chunks", records)
    read_frame(path, CONTRACT)
    return used[-1]


def test_a_quote_free_file_is_read_by_the_plain_reader(tmp_path: Path, monkeypatch) -> None:
    rows = [[str(i), f"{i},5", f"t{i}"] for i in range(5)]
    assert _reader_used(write_csv(tmp_path / "probe.csv", rows), monkeypatch) == "plain"


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([["1", "2", '"quoted; text"']], "a quote"),
        ([["1", "2", "t"], ["", "", ""], ["3", "4", "u"]], "a blank line between records"),
        ([["1", "2", "true"], ["3", "4", "False"]], "booleans pandas would make of texts"),
    ],
)
def test_files_the_plain_reader_does_not_take_are_read_record_by_record(
    tmp_path: Path, monkeypatch, rows, why
) -> None:
    path = tmp_path / "probe.csv"
    lines = ["kode;verdi;tekst", *(";".join(r) if any(r) else "" for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _reader_used(path, monkeypatch) == "records", why
    frame = read_frame(path, CONTRACT).frame
    expected = [r[2].strip('"') for r in rows if any(r)]
    assert frame["text"].tolist() == expected


def test_a_long_and_a_short_line_that_balance_out_still_name_the_line(tmp_path: Path) -> None:
    """The plain reader's delimiter count cannot see these; pandas fails, and the slow path names it."""
    rows = [["1", "2", "t"], ["2", "3", "t;extra"], ["3", "4"], ["4", "5", "t"]]
    with pytest.raises(ExtractError) as caught:
        read_frame(write_csv(tmp_path / "probe.csv", rows), CONTRACT)
    assert (caught.value.rule, caught.value.row) == ("field_count", 4)


def test_rows_of_empty_cells_are_skipped_with_row_numbers_kept(tmp_path: Path, monkeypatch) -> None:
    rows = [["1", "2", "a"], [" ", "", " "], ["3", "4", "b"]]
    path = write_csv(tmp_path / "probe.csv", rows)
    assert _reader_used(path, monkeypatch) == "plain"
    frame = read_frame(path, CONTRACT).frame
    assert frame["source_row"].tolist() == [3, 5] and frame["text"].tolist() == ["a", "b"]
