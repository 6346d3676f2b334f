"""All dbt models, seeds and tests as one Dagster multi-asset (one ``dbt build`` per run)."""

from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from dagster_project.operations.faults import crash_point
from dagster_project.operations.lock import warehouse_lock
from dagster_project.operations.log import BATCH_TAG, RunContext, log_step
from dagster_project.settings import WAREHOUSE_WRITER_POOL
from dagster_project.transform.project import DBT_PROJECT
from dagster_project.transform.translator import WarehouseTranslator


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseTranslator(),
    pool=WAREHOUSE_WRITER_POOL,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    """Seeds, staging, intermediate and marts; dbt tests run in the same build and are asset checks."""
    run = RunContext(batch_id=context.run.tags.get(BATCH_TAG, context.run.run_id), run_id=context.run.run_id)
    passed = failed = 0
    with warehouse_lock(Path(duckdb.database)):
        # Reuse the target folder `make manifest` parsed into, so dbt parses partially, not from scratch.
        # dbt's own debug log file would repeat every event Dagster keeps; warnings still go there.
        invocation = dbt.cli(
            ["build", "--log-level-file", "warn"], context=context, target_path=DBT_PROJECT.target_path
        )
        try:
            for event in invocation.stream():
                if isinstance(event, dg.AssetCheckResult):
                    # A warn-severity test (the printed-figure ledger) informs; it does not fail the build.
                    ok = event.passed or event.severity == dg.AssetCheckSeverity.WARN
                    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
                elif isinstance(event, dg.Output | dg.AssetMaterialization) and "marts" in str(
                    getattr(event, "asset_key", None) or getattr(event, "output_name", "")
                ):
                    crash_point("dbt_mid_build", also_kill=(invocation.process.pid,))
                yield event
        finally:
            if invocation.process.poll() is not None:  # not when interrupted while dbt holds the file
                succeeded = invocation.is_successful()
                with duckdb.get_connection() as conn:
                    log_step(
                        conn,
                        run,
                        "dbt",
                        "passed" if succeeded and not failed else "failed",
                        checks_passed=passed,
                        checks_failed=failed,
                        detail=None
                        if succeeded
                        else "dbt build failed: reports and publication were not run",
                    )
