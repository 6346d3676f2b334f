"""Norwegian number format of the reader-facing reports."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from dagster_project.core.reports.formatting import (
    MINUS,
    NOT_AVAILABLE,
    format_change,
    format_number,
    format_value,
)


def test_constants():
    assert MINUS == "\u2212"
    assert NOT_AVAILABLE == "N/A"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (13936, 0, "13 936"),
        (2053, 0, "2 053"),
        (105000, 0, "105 000"),
        (999, 0, "999"),
        (-3.1, 1, "\u22123,1"),
        (-13936.4, 0, "\u221213 936"),
        (0.05, 1, "0,1"),  # half-up, where round(0.05, 1) gives 0.1 only by luck of the binary value
        (1234567.85, 1, "1 234 567,9"),
        (-0.04, 1, "0,0"),  # rounds to zero: no sign
        (-0.0, 2, "0,00"),
        (2.675, 2, "2,68"),  # round(2.675, 2) == 2.67
        (2.5, 0, "3"),
        (-2.5, 0, "\u22123"),
        (43, 0, "43"),
        (7, 2, "7,00"),
        (Decimal("1234.5"), 1, "1 234,5"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_uses_plain_space_and_true_minus():
    text = format_number(-1234.5, 1)
    assert text == "\u22121 234,5"
    assert "-" not in text
    assert "\u00a0" not in text


@pytest.mark.parametrize("value", [None, math.nan, Decimal("NaN")])
def test_format_number_missing(value):
    assert format_number(value, 1) == "N/A"


def test_format_number_rejects_negative_decimals():
    with pytest.raises(ValueError):
        format_number(1.0, -1)


@pytest.mark.parametrize(
    ("value", "decimals", "unit_kind", "expected"),
    [
        (43, 0, "percent", "43 %"),
        (3.94, 1, "percent", "3,9 %"),
        (13936, 0, "number", "13 936"),
        (-3.1, 1, "other", "\u22123,1"),
        (3.41, 2, "index", "3,41"),
        (None, 0, "percent", "N/A"),
        (math.nan, 1, "days", "N/A"),
    ],
)
def test_format_value(value, decimals, unit_kind, expected):
    assert format_value(value, decimals, unit_kind) == expected


def test_format_value_rejects_unknown_unit_kind():
    with pytest.raises(ValueError, match="unit_kind"):
        format_value(1.0, 1, "share")


@pytest.mark.parametrize(
    ("change", "unit", "decimals", "expected"),
    [
        (4.3, "percent", 1, "4,3 %"),
        (6.0, "percentage_points", 1, "6,0 %-poeng"),
        (-2.5, "percent", 1, "\u22122,5 %"),
        (-16.893278604412520, "percent", 1, "\u221216,9 %"),  # ind. 11: (6479 / 7796 - 1) * 100
        (6.794167722174183, "percent", 1, "6,8 %"),  # ind. 4 annualised
        (-1.0, "percentage_points", 0, "\u22121 %-poeng"),
        (0.0, "percent", 1, "0,0 %"),
        (-0.04, "percentage_points", 1, "0,0 %-poeng"),
        (None, "percent", 1, "N/A"),
        (None, "", 1, "N/A"),  # an N/A cell may have no unit
        (math.nan, "percentage_points", 1, "N/A"),
    ],
)
def test_format_change(change, unit, decimals, expected):
    assert format_change(change, unit, decimals) == expected


def test_format_change_default_one_decimal_and_no_plus_sign():
    assert format_change(4.35, "percent") == "4,4 %"
    assert not format_change(4.35, "percent").startswith("+")


def test_format_change_rejects_unknown_unit():
    with pytest.raises(ValueError, match="change_unit"):
        format_change(1.0, "pp")
