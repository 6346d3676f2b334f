"""Computed vs published indicator values: allowed within the published rounding, no more."""

from __future__ import annotations

import pytest

from dagster_project.defs.quality.reconciliation import reconcile, rounding_tolerance


def row(value, published, decimals=0, indicator=63, year=2017):
    return {
        "indicator_no": indicator,
        "year": year,
        "value": value,
        "published_value": published,
        "value_decimals": decimals,
        "computed_from": "test",
    }


def test_tolerance_is_half_the_last_printed_digit() -> None:
    assert rounding_tolerance(0) == 0.5
    assert rounding_tolerance(1) == pytest.approx(0.05)
    assert rounding_tolerance(2) == pytest.approx(0.005)


@pytest.mark.parametrize(
    ("value", "published", "decimals", "ok"),
    [
        (53.98, 54, 0, True),
        (54.5, 54, 0, True),  # exactly at the rounding boundary still prints as the published figure
        (54.51, 54, 0, False),
        (43.56, 43, 0, False),  # would print 44 where the report says 43
        (3.94, 3.9, 1, True),
        (3.96, 3.9, 1, False),
    ],
)
def test_reconcile_within_rounding(value, published, decimals, ok) -> None:
    mismatches, compared, unpublished = reconcile([row(value, published, decimals)])
    assert compared == 1 and unpublished == 0
    assert (not mismatches) is ok


def test_mismatch_names_both_numbers() -> None:
    mismatches, _, _ = reconcile([row(43.56, 43, indicator=28)])
    message = mismatches[0].message()
    assert "indicator 28 2017" in message and "43.5600" in message and "published 43" in message


def test_computed_rows_without_published_figure_are_counted_not_failed() -> None:
    mismatches, compared, unpublished = reconcile([row(40.0, None), row(41.0, float("nan"))])
    assert mismatches == [] and compared == 0 and unpublished == 2
