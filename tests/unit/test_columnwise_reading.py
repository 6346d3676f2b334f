"""The chunked, column-wise reader gives exactly what typing every cell with ``parse_cell`` gives.

``read_frame`` types a CSV chunk by chunk, over each column's distinct values; these tests hold it
to the cell-by-cell definition (``parse_cell``) and check that chunk boundaries change nothing:
row numbers, parse errors, the identity-number guard and structural errors.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.ingest import tabular
from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.identity_numbers import RULE as IDENTITY_RULE
from dagster_project.ingest.tabular import Column, Contract, parse_cell, read_frame

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


@settings(max_examples=60, deadline=None, database=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=25), chunk=st.integers(1, 7)
)
def test_columnwise_typing_equals_typing_every_cell(tmp_path_factory, rows, chunk) -> None:
    path = write_csv(tmp_path_factory.mktemp("csv") / "probe.csv", rows)
    kept = [r for r in rows if "".join(r).strip()]  # blank lines are skipped
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular, "CHUNK_ROWS", chunk)
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
