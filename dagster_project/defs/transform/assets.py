"""All dbt models, seeds and tests as one Dagster multi-asset (one ``dbt build`` per run)."""

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dagster_project.core.operations import progress
from dagster_project.core.operations.faults import crash_point
from dagster_project.core.operations.lock import warehouse_lock
from dagster_project.core.operations.log import BATCH_TAG, RunContext, log_step
from dagster_project.defs.resources import WarehousePaths
from dagster_project.defs.transform.project import DBT_PROJECT
from dagster_project.defs.transform.translator import WarehouseTranslator
from dagster_project.settings import WAREHOUSE_WRITER_POOL

#: dbt's per-node lines of every build, appended (the console shows the progress only).
DBT_LOG_NAME = "dbt_build.log"


class DbtBuildConfig(dg.Config):
    """Run config of the dbt build (the same for `make run` and the daemon's runs)."""

    #: Rebuild the incremental models from every year instead of only the years whose loads changed.
    full_refresh: bool = False
    #: Delivery years the incremental models rebuild also when their loads did not change (a
    #: backfill, ``make run YEARS=``, rebuilds exactly its years).
    rebuild_years: list[int] = Field(default_factory=list)


def dbt_build_run_config(full_refresh: bool, rebuild_years: list[int] | None = None) -> dict[str, Any]:
    """The build job's run config for the dbt step (merge it into the run's config)."""
    config = {"full_refresh": full_refresh, "rebuild_years": sorted(rebuild_years or [])}
    return {"ops": {"warehouse_dbt_models": {"config": config}}}


def dbt_build_args(config: DbtBuildConfig) -> list[str]:
    """``dbt build`` with the run's options: a full refresh, or years to rebuild regardless."""
    args = ["build", "--log-level-file", "warn"]
    if config.full_refresh:
        args.append("--full-refresh")
    if config.rebuild_years:
        args += ["--vars", json.dumps({"rebuild_years": sorted(config.rebuild_years)})]
    return args


def quietly(events: Iterator[Any], sink: IO[str]) -> Iterator[Any]:
    """dagster-dbt echoes every dbt line to stdout while it parses it: send those to ``sink``."""
    while True:
        with contextlib.redirect_stdout(sink):
            try:
                event = next(events)
            except StopIteration:
                return
        yield event


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseTranslator(),
    pool=WAREHOUSE_WRITER_POOL,
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    duckdb: DuckDBResource,
    paths: WarehousePaths,
    config: DbtBuildConfig,
):
    """Seeds, staging, intermediate and marts; dbt tests run in the same build and are asset checks."""
    run = RunContext(batch_id=context.run.tags.get(BATCH_TAG, context.run.run_id), run_id=context.run.run_id)
    passed = failed = done = 0
    total = len(context.selected_asset_keys) + len(context.selected_asset_check_keys)
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_file = paths.logs / DBT_LOG_NAME
    with warehouse_lock(Path(duckdb.database)), log_file.open("a", encoding="utf-8") as sink:
        sink.write(f"\n=== dbt build, run {context.run.run_id}, {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        # Reuse the target folder `make manifest` parsed into, so dbt parses partially, not from scratch.
        invocation = dbt.cli(dbt_build_args(config), context=context, target_path=DBT_PROJECT.target_path)
        progress.report(f"dbt build: 0 of {total} nodes (log: {log_file})")
        try:
            for event in quietly(iter(invocation.stream()), sink):
                if isinstance(event, dg.AssetCheckResult):
                    # A warn-severity test (the printed-figure ledger) informs; it does not fail the build.
                    ok = event.passed or event.severity == dg.AssetCheckSeverity.WARN
                    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
                elif isinstance(event, dg.Output | dg.AssetMaterialization) and "marts" in str(
                    getattr(event, "asset_key", None) or getattr(event, "output_name", "")
                ):
                    crash_point("dbt_mid_build", also_kill=(invocation.process.pid,))
                done += 1
                if done % 25 == 0 or done == total:
                    progress.report(f"dbt build: {done} of {total} nodes")
                yield event
        finally:
            if invocation.process.poll() is not None:  # not when interrupted while dbt holds the file
                succeeded = invocation.is_successful()
                progress.report(f"dbt build: {done} of {total} nodes, tests {passed} passed, {failed} failed")
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
