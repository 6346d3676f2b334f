"""Change rules of the status report, checked against figures published in the Fafo 2019 report."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from dagster_project.core.indicators.rules import (
    BASELINE_YEAR,
    THRESHOLDS,
    Change,
    annualised_change,
    change_unit_for,
    colour_for,
    indicator_changes,
    round_half_up,
    year_on_year_change,
)


def _standard(values, unit_kind, direction, report_year=2018):
    return indicator_changes(
        values,
        unit_kind=unit_kind,
        desired_direction=direction,
        change_rule="standard",
        report_year=report_year,
    )


def test_constants():
    assert BASELINE_YEAR == 2016
    assert THRESHOLDS == {"percent": 2.5, "percentage_points": 1.0}


# --- change unit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_kind", "expected"),
    [
        ("percent", "percentage_points"),
        ("number", "percent"),
        ("nok_millions", "percent"),
        ("days", "percent"),
        ("index", "percent"),
        ("other", "percent"),
    ],
)
def test_change_unit_for(unit_kind, expected):
    assert change_unit_for(unit_kind) == expected


def test_change_unit_for_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unit_kind"):
        change_unit_for("share")


# --- year-on-year --------------------------------------------------------------------------------


def test_year_on_year_relative():
    change, reason = year_on_year_change(13936, 14633, "number")
    assert change == pytest.approx(5.0014, abs=1e-4)  # (14633 / 13936 - 1) * 100
    assert reason is None


def test_year_on_year_percentage_points():
    assert year_on_year_change(39, 44, "percent") == (5.0, None)  # 44 - 39


@pytest.mark.parametrize(("previous", "current"), [(None, 5.0), (5.0, None), (math.nan, 5.0), (None, None)])
def test_year_on_year_missing(previous, current):
    assert year_on_year_change(previous, current, "number") == (None, "missing_value")
    assert year_on_year_change(previous, current, "percent") == (None, "missing_value")


@pytest.mark.parametrize("base", [0.0, -3.1])
def test_year_on_year_relative_needs_positive_base(base):
    assert year_on_year_change(base, 2.0, "other") == (None, "base_not_positive")


def test_year_on_year_pp_accepts_zero_and_negative():
    assert year_on_year_change(0.0, 12.5, "percent") == (12.5, None)
    assert year_on_year_change(5.0, 0.0, "percent") == (-5.0, None)
    assert year_on_year_change(-1.0, 2.0, "percent") == (3.0, None)


def test_year_on_year_relative_to_a_negative_value():
    # A positive base makes the ratio meaningful even when the new value (an ind. 6-like ratio) is negative.
    change, reason = year_on_year_change(2.0, -3.1, "other")
    assert change == pytest.approx(-255.0)  # (-3.1 / 2.0 - 1) * 100
    assert reason is None


# --- annualised ----------------------------------------------------------------------------------


def test_annualised_cagr():
    change, reason = annualised_change(13936, 15894, 2, "number")
    assert change == pytest.approx(6.7942, abs=1e-4)  # (sqrt(15894 / 13936) - 1) * 100
    assert reason is None


def test_annualised_cagr_uses_nth_root():
    change, _ = annualised_change(100.0, 133.1, 3, "index")
    assert change == pytest.approx(10.0)  # 1.331 ** (1/3) = 1.1


def test_annualised_percentage_points():
    assert annualised_change(77, 73, 2, "percent") == (-2.0, None)  # (73 - 77) / 2
    assert annualised_change(0, 6, 3, "percent") == (2.0, None)  # zero base is fine for pp
    assert annualised_change(-2, -8, 3, "percent") == (-2.0, None)


def test_annualised_undefined_cases():
    assert annualised_change(None, 10, 2, "number") == (None, "missing_value")
    assert annualised_change(10, math.nan, 2, "number") == (None, "missing_value")
    assert annualised_change(0, 10, 2, "number") == (None, "base_not_positive")
    assert annualised_change(-1.5, 10, 2, "number") == (None, "base_not_positive")
    assert annualised_change(2.0, -3.1, 2, "other") == (None, "negative_value")


def test_annualised_drop_to_zero_is_minus_100_percent():
    assert annualised_change(50, 0, 2, "number") == (-100.0, None)


def test_annualised_needs_at_least_one_year():
    with pytest.raises(ValueError, match="at least one year"):
        annualised_change(1, 2, 0, "number")


# --- colours -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "unit", "direction", "expected"),
    [
        (1.0, "percentage_points", "up", "yellow"),  # exactly at the threshold
        (1.01, "percentage_points", "up", "green"),
        (-1.0, "percentage_points", "up", "yellow"),
        (-1.01, "percentage_points", "up", "red"),
        (1.01, "percentage_points", "down", "red"),
        (-1.01, "percentage_points", "down", "green"),
        (-1.0, "percentage_points", "down", "yellow"),
        (2.5, "percent", "up", "yellow"),
        (2.51, "percent", "up", "green"),
        (-2.51, "percent", "up", "red"),
        (-2.5, "percent", "down", "yellow"),
        (-2.51, "percent", "down", "green"),
        (2.51, "percent", "down", "red"),
        (1.5, "percent", "up", "yellow"),  # 1.5 is beyond the pp threshold but not the relative one
        (0.0, "percent", "up", "yellow"),
    ],
)
def test_colour_thresholds(change, unit, direction, expected):
    assert colour_for(change, unit, direction) == expected


def test_colour_ignores_float_noise_at_the_threshold():
    change, _ = year_on_year_change(100, 102.5, "number")
    assert change != 2.5  # the float arithmetic is not exact ...
    assert colour_for(change, "percent", "up") == "yellow"  # ... but the colour is
    assert colour_for(-change, "percent", "down") == "yellow"


def test_colour_grey_and_none():
    assert colour_for(None, "percent", "up") == "grey"
    assert colour_for(None, "percent", "unclear") == "grey"  # N/A stays visible as N/A
    assert colour_for(12.0, "percent", "unclear") == "none"
    assert colour_for(12.0, "percent", "up", "none") == "none"
    assert colour_for(None, "percentage_points", "down", "none") == "none"


@pytest.mark.parametrize(
    ("unit", "direction", "rule"),
    [("pp", "up", "standard"), ("percent", "sideways", "standard"), ("percent", "up", "other")],
)
def test_colour_rejects_unknown_inputs(unit, direction, rule):
    with pytest.raises(ValueError):
        colour_for(1.0, unit, direction, rule)


# --- indicator rows with published figures -------------------------------------------------------


def _summary(changes: list[Change]):
    return [(c.from_year, c.to_year, c.is_annualised, c.colour, c.na_reason) for c in changes]


def test_indicator_4_ftes_up():
    changes = _standard({2016: 13936, 2017: 14633, 2018: 15894}, "number", "up")
    assert [c.change for c in changes] == pytest.approx(
        [
            5.0014,  # (14633 / 13936 - 1) * 100 = 5.00144
            8.6175,  # (15894 / 14633 - 1) * 100 = 8.61751
            6.7942,  # (sqrt(15894 / 13936) - 1) * 100 = 6.79417; printed "6,8 prosent per år"
        ],
        abs=1e-4,
    )
    assert _summary(changes) == [
        (2016, 2017, False, "green", None),
        (2017, 2018, False, "green", None),
        (2016, 2018, True, "green", None),
    ]
    assert {c.change_unit for c in changes} == {"percent"}
    assert round_half_up(changes[-1].change, 1) == Decimal("6.8")


def test_indicator_11_count_down():
    changes = _standard({2016: 7796, 2017: 6479, 2018: 5449}, "number", "down")
    assert [c.change for c in changes] == pytest.approx(
        [
            -16.8933,  # (6479 / 7796 - 1) * 100
            -15.8975,  # (5449 / 6479 - 1) * 100
            -16.3969,  # (sqrt(5449 / 7796) - 1) * 100
        ],
        abs=1e-4,
    )
    assert [c.colour for c in changes] == ["green", "green", "green"]


def test_indicator_33_percent_without_base_year():
    changes = _standard({2017: 39, 2018: 44}, "percent", "up")
    assert _summary(changes) == [
        (2016, 2017, False, "grey", "missing_value"),
        (2017, 2018, False, "green", None),
        (2016, 2018, True, "grey", "missing_value"),  # never computed from 2017 instead
    ]
    assert changes[1].change == 5.0  # 44 - 39
    assert changes[2].change is None
    assert {c.change_unit for c in changes} == {"percentage_points"}


def test_indicator_45_percent_at_threshold():
    changes = _standard({2016: 77, 2017: 74, 2018: 73}, "percent", "up")
    assert [c.change for c in changes] == [
        -3.0,  # 74 - 77
        -1.0,  # 73 - 74: exactly the threshold
        -2.0,  # (73 - 77) / 2
    ]
    assert [c.colour for c in changes] == ["red", "yellow", "red"]


def test_indicator_56_days_unchanged():
    changes = _standard({2016: 27, 2017: 27, 2018: 27}, "days", "down")
    assert [c.change for c in changes] == [0.0, 0.0, 0.0]
    assert [c.colour for c in changes] == ["yellow", "yellow", "yellow"]


def test_indicator_93_index_with_missing_last_year():
    changes = _standard({2016: 3.41, 2017: 3.74}, "index", "up")
    assert changes[0].change == pytest.approx(9.6774, abs=1e-4)  # (3.74 / 3.41 - 1) * 100
    assert _summary(changes) == [
        (2016, 2017, False, "green", None),
        (2017, 2018, False, "grey", "missing_value"),
        (2016, 2018, True, "grey", "missing_value"),
    ]


def test_missing_middle_year_keeps_the_annualised_change():
    changes = _standard({2016: 100.0, 2018: 121.0}, "number", "up")
    assert _summary(changes) == [
        (2016, 2017, False, "grey", "missing_value"),
        (2017, 2018, False, "grey", "missing_value"),
        (2016, 2018, True, "green", None),
    ]
    assert changes[2].change == pytest.approx(10.0)  # sqrt(121 / 100) = 1.1


def test_nan_values_count_as_missing():
    changes = _standard({2016: 10.0, 2017: math.nan, 2018: 12.0}, "percent", "up")
    assert [c.na_reason for c in changes] == ["missing_value", "missing_value", None]
    assert changes[2].change == pytest.approx(1.0)  # (12 - 10) / 2


def test_negative_ratio_indicator():
    # An ind. 6-like ratio that turns negative: the relative change from a positive base exists,
    # the CAGR does not.
    changes = _standard({2016: 2.0, 2017: 1.0, 2018: -3.1}, "other", "up")
    assert _summary(changes) == [
        (2016, 2017, False, "red", None),
        (2017, 2018, False, "red", None),
        (2016, 2018, True, "grey", "negative_value"),
    ]
    assert changes[1].change == pytest.approx(-410.0)  # (-3.1 / 1.0 - 1) * 100


def test_negative_base_in_a_row():
    changes = _standard({2016: -3.1, 2017: 1.0, 2018: 2.0}, "other", "up")
    assert [c.na_reason for c in changes] == ["base_not_positive", None, "base_not_positive"]
    assert [c.colour for c in changes] == ["grey", "green", "grey"]


def test_unclear_direction():
    changes = _standard({2016: 10, 2018: 40}, "number", "unclear")
    assert [c.colour for c in changes] == ["grey", "grey", "none"]  # the N/A cells stay grey
    assert changes[2].change == pytest.approx(100.0)  # sqrt(40 / 10) = 2


@pytest.mark.parametrize("report_year", [2018, 2019])
def test_change_rule_none(report_year):
    changes = indicator_changes(
        {2016: 1.5, 2017: 2.5, 2018: -3.1, 2019: 4.0},
        unit_kind="other",
        desired_direction="up",
        change_rule="none",
        report_year=report_year,
    )
    assert len(changes) == report_year - BASELINE_YEAR + 1
    assert all(c.change is None for c in changes)
    assert {c.colour for c in changes} == {"none"}
    assert {c.na_reason for c in changes} == {"no_change_rule"}


def test_report_year_2019_annualises_over_three_years():
    changes = _standard({2016: 1000, 2017: 1100, 2018: 1200, 2019: 1331}, "number", "up", report_year=2019)
    assert [(c.from_year, c.to_year, c.is_annualised) for c in changes] == [
        (2016, 2017, False),
        (2017, 2018, False),
        (2018, 2019, False),
        (2016, 2019, True),
    ]
    assert changes[-1].change == pytest.approx(10.0)  # (1331 / 1000) ** (1/3) = 1.1


def test_report_year_equal_to_base_year_has_no_changes():
    assert _standard({2016: 5}, "number", "up", report_year=2016) == []


def test_report_year_before_base_year_is_rejected():
    with pytest.raises(ValueError, match="before the base year"):
        _standard({2015: 5}, "number", "up", report_year=2015)


def test_custom_baseline_year():
    changes = indicator_changes(
        {2018: 50, 2020: 56},
        unit_kind="percent",
        desired_direction="up",
        change_rule="standard",
        report_year=2020,
        baseline_year=2018,
    )
    assert changes[-1] == Change(2018, 2020, True, 3.0, "percentage_points", "green", None)  # (56 - 50) / 2


def test_invalid_row_inputs_are_rejected():
    with pytest.raises(ValueError):
        indicator_changes({}, unit_kind="percent", desired_direction="up", change_rule="x", report_year=2018)
    with pytest.raises(ValueError):
        indicator_changes({}, unit_kind="share", desired_direction="up", change_rule="none", report_year=2018)


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (4.35, 1, Decimal("4.4")),
        (2.5, 0, Decimal("3")),
        (-2.5, 0, Decimal("-3")),  # half away from zero, like a spreadsheet's ROUND
        (0.125, 2, Decimal("0.13")),
        (2.675, 2, Decimal("2.68")),  # round(2.675, 2) == 2.67 on the binary value
        (0.05, 1, Decimal("0.1")),
        (1234567.85, 1, Decimal("1234567.9")),
        (6.794167722174183, 1, Decimal("6.8")),
        (7, 2, Decimal("7.00")),
        (Decimal("1.005"), 2, Decimal("1.01")),
        (1e20, 9, Decimal("100000000000000000000.000000000")),
    ],
)
def test_round_half_up(value, decimals, expected):
    result = round_half_up(value, decimals)
    assert result == expected
    assert str(result) == str(expected)


def test_round_half_up_numpy_scalar():
    np = pytest.importorskip("numpy")
    assert round_half_up(np.float64(4.35), 1) == Decimal("4.4")


def test_round_half_up_rejects_non_finite():
    with pytest.raises(ValueError):
        round_half_up(math.inf, 1)
    with pytest.raises(ValueError):
        round_half_up(math.nan, 1)
