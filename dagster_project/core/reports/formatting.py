"""Norwegian number formatting for reader-facing reports.

Decimal comma, a space between thousands and the typographic minus sign (U+2212), rounded half-up
as in the spreadsheets the published report was made from, so printed figures match it digit for digit.
"""

from __future__ import annotations

import math
from decimal import Decimal

from dagster_project.core.indicators.rules import UNIT_KINDS, round_half_up

MINUS = "\u2212"
NOT_AVAILABLE = "N/A"

_CHANGE_SUFFIXES = {"percent": " %", "percentage_points": " %-poeng"}


def _is_missing(value: float | Decimal | None) -> bool:
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    return math.isnan(value)


def format_number(value: float | Decimal | None, decimals: int) -> str:
    """'1 234 567,9' and MINUS before negatives; a value that rounds to zero gets no sign at all."""
    if _is_missing(value):
        return NOT_AVAILABLE
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    rounded = round_half_up(value, decimals)  # type: ignore[arg-type]
    sign = MINUS if rounded < 0 else ""
    integer_part, _, fraction = format(abs(rounded), "f").partition(".")
    grouped = f"{int(integer_part):,}".replace(",", " ")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_value(value: float | None, decimals: int, unit_kind: str) -> str:
    """An indicator value as printed in the tables: shares carry ' %' ('43 %', '3,9 %')."""
    if unit_kind not in UNIT_KINDS:
        raise ValueError(f"unknown unit_kind {unit_kind!r}; expected one of {sorted(UNIT_KINDS)}")
    if _is_missing(value):
        return NOT_AVAILABLE
    suffix = " %" if unit_kind == "percent" else ""
    return f"{format_number(value, decimals)}{suffix}"


def format_change(change: float | None, change_unit: str, decimals: int = 1) -> str:
    """'4,3 %' for relative changes, '6,0 %-poeng' for shares; no plus sign on increases."""
    if _is_missing(change):
        # Checked first: an N/A cell may come without a unit.
        return NOT_AVAILABLE
    if change_unit not in _CHANGE_SUFFIXES:
        raise ValueError(f"unknown change_unit {change_unit!r}; expected one of {sorted(_CHANGE_SUFFIXES)}")
    return f"{format_number(change, decimals)}{_CHANGE_SUFFIXES[change_unit]}"
