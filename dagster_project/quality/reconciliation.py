"""Reconciliation: a computed indicator value must agree with the published figure.

Where the warehouse computes an indicator from microdata and the same figure is also delivered as
published (national_figures), the two may differ by no more than the published rounding: half a
unit of the last printed decimal (``0.5 * 10 ** -value_decimals`` from dim_indicator). Generic over
every computed row of ``marts.fct_indicator_values``; a difference is a blocking check failure with
both numbers in its metadata, so reports and publication wait until someone looks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg

#: Float noise allowed on top of the rounding tolerance (sums of many decimal FTE figures).
EPSILON = 1e-9

RECONCILIATION_SQL = """
select
    values.indicator_no,
    values.year,
    values.value as computed_value,
    values.published_value,
    values.n_units,
    values.computed_from,
    values.source_file,
    indicators.value_decimals
from marts.fct_indicator_values as values
inner join marts.dim_indicator as indicators on values.indicator_no = indicators.indicator_no
where values.value_origin = 'computed'
order by values.indicator_no, values.year
"""


@dataclass(frozen=True)
class Comparison:
    indicator_no: int
    year: int
    computed_value: float
    published_value: float | None
    value_decimals: int
    n_units: int | None
    computed_from: str
    source_file: str | None

    @property
    def tolerance(self) -> float:
        return 0.5 * 10 ** (-self.value_decimals)

    @property
    def difference(self) -> float | None:
        return None if self.published_value is None else self.computed_value - self.published_value

    @property
    def agrees(self) -> bool:
        """True when nothing was published (nothing to reconcile) or the gap is within the rounding."""
        return self.difference is None or abs(self.difference) <= self.tolerance + EPSILON

    def describe(self) -> str:
        return (
            f"indicator {self.indicator_no} {self.year}: computed {self.computed_value:.6g} from "
            f"{self.computed_from} (n={self.n_units}), published {self.published_value:g} "
            f"in {self.source_file}; difference {self.difference:+.6g} exceeds ±{self.tolerance:g}"
        )


def comparisons(rows: Iterable[Mapping[str, Any]]) -> list[Comparison]:
    def _opt(value: Any) -> Any:
        return None if value is None or value != value else value

    return [
        Comparison(
            indicator_no=int(r["indicator_no"]),
            year=int(r["year"]),
            computed_value=float(r["computed_value"]),
            published_value=None if _opt(r["published_value"]) is None else float(r["published_value"]),
            value_decimals=int(r["value_decimals"]),
            n_units=None if _opt(r["n_units"]) is None else int(r["n_units"]),
            computed_from=str(r["computed_from"]),
            source_file=_opt(r["source_file"]),
        )
        for r in rows
    ]


def check_result(rows: Iterable[Mapping[str, Any]]) -> dg.AssetCheckResult:
    compared = comparisons(rows)
    failed = [c for c in compared if not c.agrees]
    reconciled = [c for c in compared if c.published_value is not None]
    table = [
        "| indicator | year | computed | published | difference | tolerance | n |",
        "|---|---|---|---|---|---|---|",
    ]
    table += [
        f"| {c.indicator_no} | {c.year} | {c.computed_value:.6g} | {c.published_value:g} | "
        f"{c.difference:+.6g} | ±{c.tolerance:g} | {c.n_units} |"
        for c in failed
    ]
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            failed[0].describe() + (f" (+{len(failed) - 1} more)" if len(failed) > 1 else "")
            if failed
            else f"{len(reconciled)} computed values agree with the published figures within their rounding"
        ),
        metadata={
            "computed_values": len(compared),
            "reconciled_with_published": len(reconciled),
            "mismatches": len(failed),
            "mismatch_table": dg.MetadataValue.md("\n".join(table) if failed else "none"),
            "mismatch_details": dg.MetadataValue.json(
                [
                    {
                        "indicator_no": c.indicator_no,
                        "year": c.year,
                        "computed_value": c.computed_value,
                        "published_value": c.published_value,
                        "difference": c.difference,
                        "tolerance": c.tolerance,
                        "n_units": c.n_units,
                        "computed_from": c.computed_from,
                        "published_in": c.source_file,
                    }
                    for c in failed
                ]
            ),
        },
    )
