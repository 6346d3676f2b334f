"""Reconciliation of computed with published values: tolerance is the published rounding."""

from __future__ import annotations

from dagster_project.quality.reconciliation import check_result, comparisons


def row(indicator, computed, published, decimals=0):
    return {
        "indicator_no": indicator,
        "year": 2018,
        "computed_value": computed,
        "published_value": published,
        "n_units": 422,
        "computed_from": "is24_8",
        "source_file": "nasjonale_tall_2018.csv",
        "value_decimals": decimals,
    }


def test_within_half_a_unit_of_the_last_printed_decimal_agrees() -> None:
    agreed = comparisons(
        [row(54, 25.49, 25), row(54, 24.5, 25), row(6, 1.04, 1.0, 1), row(4, 15893.999999999993, 15894)]
    )
    assert all(c.agrees for c in agreed)


def test_outside_the_rounding_fails_with_both_numbers() -> None:
    result = check_result([row(54, 25.51, 25), row(6, 1.06, 1.0, 1), row(77, 71.2, 71)])
    assert not result.passed
    assert result.metadata["mismatches"].value == 2
    details = result.metadata["mismatch_details"].value
    assert [(d["indicator_no"], d["computed_value"], d["published_value"]) for d in details] == [
        (54, 25.51, 25.0),
        (6, 1.06, 1.0),
    ]
    assert "computed 25.51" in result.description and "published 25" in result.description


def test_nothing_published_nothing_to_reconcile() -> None:
    result = check_result([row(32, 36.9, None)])
    assert result.passed
    assert result.metadata["reconciled_with_published"].value == 0
