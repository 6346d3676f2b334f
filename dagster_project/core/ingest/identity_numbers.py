"""Refuse an extract that carries Norwegian national identity numbers, before anything is loaded.

Microdata sources must arrive pseudonymised. A cell that is, or anywhere in its text contains, an
11-digit number with valid fødselsnummer or D-number check digits (modulus 11, two check digits)
and a plausible birth date holds an identity number: the whole file is rejected with an
``ExtractError`` naming the file, the column, the first row and the rule, so nothing of it reaches
the warehouse. Applied to every delimited or XLSX source in the reader (``tabular.read_frame``,
``read_table``) and to every SPSS variable, label and note (``survey_microdata.read_sav``). No
message ever repeats a number: ``mask_identity_numbers`` keeps the first six digits only, and
``ExtractError`` applies it to every message it carries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dagster_project.core.ingest.errors import ExtractError

RULE = "no_national_identity_numbers"
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")
#: An 11-digit number anywhere in a text, also written "DDMMYY NNNNN"; not part of a longer
#: number or a word (a hash or a pseudonymous key like "BP2018-000ef79332d5d").
_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6}) ?(\d{5})(?![0-9A-Za-z])")
_MAYBE_IN_TEXT = r"\d{6} ?\d{5}"
_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
MASK = "*****"


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def is_identity_number(value: str) -> bool:
    """True for a fødselsnummer or D-number (day + 40); H-numbers and test numbers (month + 40/80)
    count too, since they identify persons just as well."""
    if not _ELEVEN_DIGITS.match(value):
        return False
    day, month = int(value[0:2]), int(value[2:4])
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return _check_digit(value[:9], _WEIGHTS_1) == int(value[9]) and _check_digit(
        value[:10], _WEIGHTS_2
    ) == int(value[10])


def identity_numbers_in(text: object) -> list[str]:
    """Every identity number in a cell: the whole cell (an Excel number that lost its leading zero
    included) or anywhere in a free text ("kontrollert mot sak for 01010750160, ...")."""
    if text is None or isinstance(text, bool):
        return []
    if isinstance(text, float):
        if not text.is_integer():
            return []
        text = int(text)
    if isinstance(text, int):
        digits = str(text)
        digits = digits.zfill(11) if len(digits) == 10 else digits  # Excel drops the leading zero
        return [digits] if is_identity_number(digits) else []
    found = []
    for match in _IN_TEXT.finditer(str(text)):
        number = match.group(1) + match.group(2)
        if is_identity_number(number):
            found.append(number)
    return found


def mask_identity_numbers(text: str) -> str:
    """The text with every identity number cut to its first six digits and ``*****``: what any
    message, log line or quarantine row may show of one."""

    def masked(match: re.Match[str]) -> str:
        number = match.group(1) + match.group(2)
        return match.group(1) + MASK if is_identity_number(number) else match.group(0)

    return _IN_TEXT.sub(masked, text)


def _candidates(values: list[object], numbers_too: bool = True) -> list[int]:
    """Positions of the cells that hold an identity number: vectorised, since most columns of a
    24 000-row extract hold short codes and none of them needs a closer look."""
    series = pd.Series(values, dtype=object)
    text = series.astype(str)
    maybe = text.str.contains(_MAYBE_IN_TEXT, regex=True).fillna(False) & series.notna()
    if numbers_too:  # XLSX and SPSS cells: a whole number of ten digits (leading zero lost)
        maybe |= series.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    return [int(p) for p in maybe[maybe].index if identity_numbers_in(series[p])]


def scan_columns(file_name: str, columns: Mapping[str, Sequence[object]], row_numbers: Sequence[int]) -> None:
    """Reject a table (as columns of cells) holding an identity number anywhere: the first column
    with any is named, with its count and first row. For readers that hold the whole file (SPSS)."""
    for column, values in columns.items():
        found = _candidates(list(values))
        if found:
            raise _identity_error(file_name, column, len(found), int(row_numbers[found[0]]))


def scan_texts(file_name: str, texts: Mapping[str, object], rule_column: str | None = None) -> None:
    """Reject a file whose labels, notes or names (``where -> text``) hold an identity number."""
    for where, text in texts.items():
        if identity_numbers_in(text if isinstance(text, str) else str(text)):
            raise ExtractError(
                file_name,
                RULE,
                f"{where} holds a national identity number; files must be pseudonymised before "
                "delivery, nothing was loaded",
                column=rule_column,
            )


class IdentityNumberGuard:
    """Scans a table chunk by chunk: hits are counted per column across all chunks, and the first
    column (in header order) with any is reported, with its count and first row.

    Each chunk's column is scanned over its distinct cells, so a column of a few codes costs little.
    """

    def __init__(self, file_name: str, header: list[str]) -> None:
        self.file_name = file_name
        self.header = header
        self.hits = [0] * len(header)
        self.first_row: list[int | None] = [None] * len(header)

    def scan(self, chunk) -> None:
        for position, values in enumerate(chunk.columns):
            if chunk.texts:
                codes, uniques = chunk.distinct(position)
            else:  # XLSX cells: ints and floats hash alike, so look at every cell
                codes, uniques = np.arange(len(values)), list(values)
            found = _candidates(list(uniques), numbers_too=not chunk.texts)
            if not found:
                continue
            rows = np.flatnonzero(np.isin(codes, found))
            self.hits[position] += len(rows)
            if self.first_row[position] is None:
                self.first_row[position] = int(chunk.numbers[rows[0]])

    def raise_if_found(self) -> None:
        for position, count in enumerate(self.hits):
            if count:
                raise _identity_error(self.file_name, self.header[position], count, self.first_row[position])


def _identity_error(file_name: str, column: str, count: int, row: int | None) -> ExtractError:
    return ExtractError(
        file_name,
        RULE,
        f"{count} value(s) look like national identity numbers (11 digits with valid "
        "fødselsnummer/D-number check digits); microdata must be pseudonymised before delivery, "
        "nothing was loaded",
        row=row,
        column=column,
    )
