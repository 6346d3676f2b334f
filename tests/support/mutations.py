"""Hypothesis strategies that damage valid extracts the way files get damaged in real life.

Bytes (a flipped, inserted or deleted byte, a cut-off file), cells (a value replaced by something a
person or a program might type) and rows (duplicated, dropped, swapped, a blank line inserted).
"""

from __future__ import annotations

import io
from datetime import datetime

from hypothesis import strategies as st

#: Texts people and programs put in cells; hypothesis adds arbitrary text on top.
CELL_TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "..",
            ":",
            "-",
            "NA",
            "5.3",
            "5,3",
            "1 234,5",
            "1.234,5",
            "\u22125",
            "-0",
            "1e5",
            "99999999999999999999",
            "2018.0",
            "17",
            "99",
            "prosent",
            "antall",
            "forhold",
            '"',
            ";",
            "\u00e5r",
            "\ufeff",
            "\x00",
            "2019",
            "1999",
        ]
    ),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: str(f).replace(".", ",")),
)
XLSX_VALUES = st.one_of(
    CELL_TEXTS,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)


@st.composite
def mutated_bytes(draw, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if kind == "flip":
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=8))]
        else:
            del data[at:]
    return bytes(data)


@st.composite
def mutated_csv(draw, text: str) -> str:
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(["cell", "cell", "duplicate", "drop", "swap", "blank"]))
        i = draw(st.sampled_from(body))
        if kind == "cell":
            cells = lines[i].split(";")
            cells[draw(st.integers(min_value=0, max_value=len(cells) - 1))] = draw(CELL_TEXTS)
            lines[i] = ";".join(cells)
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "drop" and len(body) > 1:
            lines[i] = ""
        elif kind == "swap":
            j = draw(st.sampled_from(body))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, draw(st.sampled_from(["", " ", ";;;;;", "#"])))
    return "\n".join(lines)


@st.composite
def mutated_xlsx(draw, data: bytes) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        row = draw(st.integers(min_value=1, max_value=sheet.max_row + 1))
        column = draw(st.integers(min_value=1, max_value=sheet.max_column + 1))
        value = draw(XLSX_VALUES)
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch.isprintable())  # openpyxl refuses control characters
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
