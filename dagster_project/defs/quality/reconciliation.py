"""Computed indicator values must agree with the published figures they replace.

When the warehouse computes an indicator itself (from survey or register microdata), the value in
``marts.fct_indicator_values`` becomes ``value_origin = 'computed'`` and the published figure stays
beside it in ``published_value``. The two may differ by no more than the published rounding
(0.5 x 10^-value_decimals of ``dim_indicator``: 43.4 reconciles with a printed 43, 43.6 does not).
A larger difference means the computation and the publication define the indicator differently, or
one of them is wrong; either way the status report must not silently change, so the check is
blocking. It is generic over every computed row, whichever source computed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import dagster as dg

from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.settings import WAREHOUSE_WRITER_POOL

#: Floating-point slack, far below any printed rounding.
EPSILON = 1e-9

COMPUTED_ROWS_SQL = """
select
    fact.indicator_no,
    fact.year,
    fact.value,
    fact.published_value,
    indicator.value_decimals,
    fact.computed_from
from marts.fct_indicator_values as fact
inner join marts.dim_indicator as indicator
    on fact.indicator_no = indicator.indicator_no
where fact.value_origin = 'computed'
order by fact.indicator_no, fact.year
"""


@dataclass(frozen=True)
class Mismatch:
    indicator_no: int
    year: int
    computed: float
    published: float
    tolerance: float
    computed_from: str | None

    @property
    def difference(self) -> float:
        return self.computed - self.published

    def message(self) -> str:
        return (
            f"indicator {self.indicator_no} {self.year}: computed {self.computed:.4f} vs published "
            f"{self.published:g} (difference {self.difference:+.4f}, allowed ±{self.tolerance:g}); "
            f"computed from {self.computed_from or '?'}"
        )


def rounding_tolerance(value_decimals: int) -> float:
    """Half a unit in the last printed decimal: 0.5 for whole numbers, 0.05 for one decimal."""
    return 0.5 * 10 ** (-int(value_decimals))


def reconcile(rows: Iterable[Mapping[str, object]]) -> tuple[list[Mismatch], int, int]:
    """Mismatches, rows compared, and computed rows without a published figure to compare with."""
    mismatches: list[Mismatch] = []
    compared = unpublished = 0
    for row in rows:
        published = row.get("published_value")
        if published is None or published != published:  # None or NaN
            unpublished += 1
            continue
        compared += 1
        tolerance = rounding_tolerance(int(row["value_decimals"]))  # type: ignore[arg-type]
        computed = float(row["value"])  # type: ignore[arg-type]
        if abs(computed - float(published)) > tolerance + EPSILON:  # type: ignore[arg-type]
            mismatches.append(
                Mismatch(
                    indicator_no=int(row["indicator_no"]),  # type: ignore[arg-type]
                    year=int(row["year"]),  # type: ignore[arg-type]
                    computed=computed,
                    published=float(published),  # type: ignore[arg-type]
                    tolerance=tolerance,
                    computed_from=row.get("computed_from"),  # type: ignore[arg-type]
                )
            )
    return mismatches, compared, unpublished


@dg.asset_check(
    asset=dg.AssetKey(["marts", "fct_indicator_values"]),
    name="computed_values_reconcile_with_published",
    blocking=True,
    pool=WAREHOUSE_WRITER_POOL,
    description=(
        "Every computed indicator value lies within the published rounding (0.5 x 10^-value_decimals) "
        "of the published figure it replaces; a failure blocks the reports and the publication."
    ),
)
def computed_values_reconcile_with_published(engine: WarehouseEngine) -> dg.AssetCheckResult:
    with engine.open() as warehouse:
        frame = warehouse.frame(COMPUTED_ROWS_SQL)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    mismatches, compared, unpublished = reconcile(rows)
    table = [
        "| indicator | year | computed | published | difference | allowed |",
        "|---|---|---|---|---|---|",
    ]
    table += [
        f"| {m.indicator_no} | {m.year} | {m.computed:.4f} | {m.published:g} | {m.difference:+.4f} | "
        f"±{m.tolerance:g} |"
        for m in mismatches
    ]
    return dg.AssetCheckResult(
        passed=not mismatches,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            mismatches[0].message() + (f" (+{len(mismatches) - 1} more)" if len(mismatches) > 1 else "")
            if mismatches
            else f"{compared} computed values agree with the published figures within their rounding"
        ),
        metadata={
            "computed_rows": len(rows),
            "compared_with_published": compared,
            "without_published_value": unpublished,
            "mismatches": dg.MetadataValue.json(
                [
                    {
                        "indicator_no": m.indicator_no,
                        "year": m.year,
                        "computed": m.computed,
                        "published": m.published,
                        "difference": m.difference,
                        "tolerance": m.tolerance,
                        "computed_from": m.computed_from,
                    }
                    for m in mismatches
                ]
            ),
            "mismatch_table": dg.MetadataValue.md("\n".join(table) if mismatches else "none"),
        },
    )
