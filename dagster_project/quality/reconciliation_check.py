"""The Dagster side of the reconciliation: a blocking check on marts/fct_indicator_values."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.quality.reconciliation import RECONCILIATION_SQL, check_result


@dg.asset_check(
    asset=dg.AssetKey(["marts", "fct_indicator_values"]),
    name="computed_values_reconcile_with_published",
    blocking=True,
    description=(
        "Every value computed from microdata agrees with the published figure (national_figures) "
        "within the published rounding (0.5 x 10^-value_decimals); both numbers are in the metadata. "
        "A failure stops the reports and the publication."
    ),
)
def computed_values_reconcile(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        frame = conn.execute(RECONCILIATION_SQL).df()
    return check_result(frame.to_dict("records"))
