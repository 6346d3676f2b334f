"""Refuse an extract that carries Norwegian national identity numbers, before anything is loaded.

Microdata sources must arrive pseudonymised. A column in which any cell is an 11-digit number with
valid fødselsnummer or D-number check digits (modulus 11, two check digits) and a plausible birth
date is taken as a column of identity numbers: the whole file is rejected with an ``ExtractError``
naming the file, the column, the first row and the rule, so nothing of it reaches the warehouse.
Applied to every delimited or XLSX source in the reader (``tabular.read_frame``, ``read_table``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dagster_project.ingest.errors import ExtractError

RULE = "no_national_identity_numbers"
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")
_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


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


def _candidates(values: list[object]) -> list[tuple[int, str]]:
    """Positions and texts of the cells that could be identity numbers: vectorised, since most
    columns of a 24 000-row extract hold short codes and none of them needs a closer look."""
    series = pd.Series(values, dtype=object)
    text = series.astype(str).str.replace(" ", "", regex=False)
    maybe = text.str.fullmatch(r"\d{10,11}").fillna(False) & series.notna()
    found = []
    for position in maybe[maybe].index:
        cell, digits = series[position], text[position]
        if len(digits) == 10 and isinstance(cell, int):  # Excel drops the leading zero
            digits = digits.zfill(11)
        if len(digits) == 11:
            found.append((int(position), digits))
    return found


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
            cleaned = [u.strip() if isinstance(u, str) else u for u in uniques]
            found = [i for i, text in _candidates(cleaned) if is_identity_number(text)]
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
