"""The identity-number guard: real check digits are recognised, and a file carrying them is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.core.ingest import brukerplan, national_figures
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.identity_numbers import (
    _WEIGHTS_1,
    _WEIGHTS_2,
    RULE,
    _check_digit,
    is_identity_number,
)


def with_check_digits(nine: str) -> str | None:
    first = _check_digit(nine, _WEIGHTS_1)
    if first is None:
        return None
    second = _check_digit(nine + str(first), _WEIGHTS_2)
    return None if second is None else f"{nine}{first}{second}"


def some_numbers(prefix: str, count: int = 5) -> list[str]:
    """Valid numbers for a birth date prefix ('010180' or a D-number '410180'), by brute force."""
    found = []
    for individual in range(100, 999):
        number = with_check_digits(f"{prefix}{individual:03d}")
        if number:
            found.append(number)
        if len(found) == count:
            return found
    raise AssertionError("no valid number found")


def test_published_test_numbers_and_d_numbers_are_recognised() -> None:
    assert is_identity_number("01010750160")  # Skatteetaten's example fødselsnummer
    for number in some_numbers("010180") + some_numbers("410180"):  # fødselsnummer and D-number
        assert is_identity_number(number), number


def test_wrong_check_digit_date_or_length_is_not_an_identity_number() -> None:
    valid = some_numbers("150375", 1)[0]
    broken = valid[:10] + str((int(valid[10]) + 1) % 10)
    assert not is_identity_number(broken)
    assert not is_identity_number("32130012345")  # day 32, month 13
    assert not is_identity_number(valid[:10])
    assert not is_identity_number("BP2018-000ef79332d5d")


def test_a_brukerplan_file_with_identity_numbers_is_refused_naming_file_row_and_column(
    tmp_path: Path,
) -> None:
    numbers = some_numbers("240290", 2)
    header = ";".join(c.header for c in brukerplan.CONTRACT.columns)
    filler = ";".join(["2"] * (len(brukerplan.CONTRACT.columns) - 5))
    lines = [
        "# a mistaken export with the national identity number as key",
        header,
        f"BP-key-000001;0301;2018;M;30-39;{filler}",
        f"{numbers[0]};0301;2018;K;30-39;{filler}",
        f"{numbers[1]};0301;2018;M;40-49;{filler}",
    ]
    path = tmp_path / "brukerplan_2018.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        brukerplan.read_extract(path)
    error = caught.value
    assert (error.file, error.rule, error.row, error.column) == (
        "brukerplan_2018.csv",
        RULE,
        4,
        "registreringsnokkel",
    )
    assert "2 value(s)" in str(error) and "nothing was loaded" in str(error)


def test_the_guard_covers_every_source_also_xlsx_with_numbers_as_integers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    number = some_numbers("010180", 1)[0]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in national_figures.CONTRACT.columns])
    sheet.append([11, 2018, 5449, "antall", "SSB", int(number)])  # a note column holding a person's number
    path = tmp_path / "nasjonale_tall_2018.xlsx"
    workbook.save(path)
    with pytest.raises(ExtractError, match=r"column 'merknad'.*no_national_identity_numbers"):
        national_figures.read_extract(path)


def test_eleven_digit_amounts_without_valid_check_digits_pass(tmp_path: Path) -> None:
    path = tmp_path / "nasjonale_tall_2018.csv"
    path.write_text(
        "indikator;år;verdi;enhet;kilde;merknad\n3;2018;2152;mill_kr;12345678901;\n", encoding="utf-8"
    )
    assert len(national_figures.read_extract(path).frame) == 1
