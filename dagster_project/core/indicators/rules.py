"""Change rules of the status report, following the method of the Fafo 2019 status report.

Every indicator gets one change per consecutive year pair from the base year onwards, plus one
annualised change from the base year to the report year. Shares (unit_kind 'percent') change in
percentage points; every other quantity changes relatively, in percent. A change is coloured
against the indicator's desired direction with a dead band (the thresholds) so that small moves
read as "unchanged" (yellow) rather than as progress or decline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from numbers import Integral

BASELINE_YEAR: int = 2016
THRESHOLDS: dict[str, float] = {"percent": 2.5, "percentage_points": 1.0}

UNIT_KINDS = frozenset({"percent", "number", "nok_millions", "days", "index", "other"})
DESIRED_DIRECTIONS = frozenset({"up", "down", "unclear"})
CHANGE_RULES = frozenset({"standard", "none"})

#: Digits kept before comparing with a threshold, so float noise (102.5 / 100 - 1) cannot flip a colour.
_COMPARISON_DIGITS = 9


@dataclass(frozen=True)
class Change:
    """One change cell of an indicator row in the status report."""

    from_year: int
    to_year: int
    is_annualised: bool
    change: float | None
    change_unit: str
    colour: str
    na_reason: str | None


def _is_missing(value: object) -> bool:
    """None, NaN and pandas' NA all mean "no value delivered"."""
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        # pandas.NA refuses float conversion; anything else non-numeric is a caller bug.
        if type(value).__name__ == "NAType":
            return True
        raise


def change_unit_for(unit_kind: str) -> str:
    """Shares change in percentage points; a relative change of a share would be ambiguous."""
    if unit_kind not in UNIT_KINDS:
        raise ValueError(f"unknown unit_kind {unit_kind!r}; expected one of {sorted(UNIT_KINDS)}")
    return "percentage_points" if unit_kind == "percent" else "percent"


def year_on_year_change(
    previous: float | None, current: float | None, unit_kind: str
) -> tuple[float | None, str | None]:
    """Change from one year to the next as (change, na_reason); exactly one of the two is None."""
    unit = change_unit_for(unit_kind)
    if _is_missing(previous) or _is_missing(current):
        return None, "missing_value"
    previous, current = float(previous), float(current)  # type: ignore[arg-type]
    if unit == "percentage_points":
        return current - previous, None
    if previous <= 0:
        return None, "base_not_positive"
    return (current / previous - 1) * 100, None


def annualised_change(
    base: float | None, last: float | None, years: int, unit_kind: str
) -> tuple[float | None, str | None]:
    """Average yearly change over `years` years: CAGR for quantities, mean pp change for shares."""
    unit = change_unit_for(unit_kind)
    if years <= 0:
        raise ValueError(f"an annualised change needs at least one year, got {years}")
    if _is_missing(base) or _is_missing(last):
        return None, "missing_value"
    base, last = float(base), float(last)  # type: ignore[arg-type]
    if unit == "percentage_points":
        return (last - base) / years, None
    if base <= 0:
        return None, "base_not_positive"
    if last < 0:
        # The n-th root of a negative growth factor has no real meaning.
        return None, "negative_value"
    return ((last / base) ** (1 / years) - 1) * 100, None


def colour_for(
    change: float | None, change_unit: str, desired_direction: str, change_rule: str = "standard"
) -> str:
    """Green/red only for moves strictly beyond the threshold; at or within it the indicator is yellow."""
    if change_unit not in THRESHOLDS:
        raise ValueError(f"unknown change_unit {change_unit!r}; expected one of {sorted(THRESHOLDS)}")
    if desired_direction not in DESIRED_DIRECTIONS:
        raise ValueError(
            f"unknown desired_direction {desired_direction!r}; expected one of {sorted(DESIRED_DIRECTIONS)}"
        )
    if change_rule not in CHANGE_RULES:
        raise ValueError(f"unknown change_rule {change_rule!r}; expected one of {sorted(CHANGE_RULES)}")
    if change_rule == "none":
        return "none"
    if _is_missing(change):
        return "grey"
    if desired_direction == "unclear":
        return "none"
    threshold = THRESHOLDS[change_unit]
    rounded = round(float(change), _COMPARISON_DIGITS)  # type: ignore[arg-type]
    signed = rounded if desired_direction == "up" else -rounded
    if signed > threshold:
        return "green"
    if signed < -threshold:
        return "red"
    return "yellow"


def indicator_changes(
    values: Mapping[int, float],
    *,
    unit_kind: str,
    desired_direction: str,
    change_rule: str,
    report_year: int,
    baseline_year: int = BASELINE_YEAR,
) -> list[Change]:
    """The change cells of one indicator row in the status report for `report_year`.

    One year-on-year change per pair (y-1, y) for y after the base year up to the report year, then
    the annualised change from the base year. A missing base-year value leaves the annualised change
    N/A: starting from a later year would silently change what the figure compares.
    """
    if report_year < baseline_year:
        raise ValueError(f"report year {report_year} is before the base year {baseline_year}")
    unit = change_unit_for(unit_kind)
    colour_for(None, unit, desired_direction, change_rule)  # validates the inputs even for N/A rows

    def cell(from_year: int, to_year: int, annualised: bool) -> Change:
        if change_rule == "none":
            return Change(from_year, to_year, annualised, None, unit, "none", "no_change_rule")
        base, last = values.get(from_year), values.get(to_year)
        if annualised:
            change, reason = annualised_change(base, last, to_year - from_year, unit_kind)
        else:
            change, reason = year_on_year_change(base, last, unit_kind)
        colour = colour_for(change, unit, desired_direction, change_rule)
        return Change(from_year, to_year, annualised, change, unit, colour, reason)

    cells = [cell(year - 1, year, False) for year in range(baseline_year + 1, report_year + 1)]
    if report_year > baseline_year:
        cells.append(cell(baseline_year, report_year, True))
    return cells


def round_half_up(value: float | Decimal, decimals: int) -> Decimal:
    """Round half away from zero like a spreadsheet's ROUND, on the shortest repr of the float.

    Python's round() rounds half to even and works on the binary value, so round(2.675, 2) gives
    2.67 where a reader (and the published report) expects 2.68.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, Integral):
        number = Decimal(int(value))
    else:
        # float() first: numpy scalars' repr is not a plain number ('np.float64(4.35)').
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"cannot round a non-finite value: {value!r}")
    with localcontext() as context:
        # Enough precision that quantize never fails for large values with many decimals.
        context.prec = max(28, number.adjusted() + decimals + 2)
        return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
