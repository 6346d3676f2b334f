"""Jobs, the yearly schedule and the sensors that run the warehouse unattended.

- ``ingest_deliveries`` (partitioned by delivery year) reads, checks and loads deliveries, one step
  per delivery; one run loads every planned delivery of its year (its asset selection), so a batch
  is one run per year, not one per file. ``build_warehouse`` runs dbt build, the reports and the
  publication.
- ``new_deliveries`` (sensor) plans the loads as ``make run`` does (operations.planning): the
  deliveries whose file differs from their current load in the warehouse get one ingest run per
  year; all runs of a tick are one batch. The cursor only remembers which attempts were already
  requested, so a rejected file is not requested again until it changes.
- ``yearly_deliveries`` (schedule, default 06:00 on 1 March, Europe/Oslo) plans last year's
  deliveries the same way, as a safety net when nobody started anything.
- ``build_after_ingest`` (run-status sensor) starts ONE build when every ingest run of a batch has
  succeeded, and none when any failed; ``record_skipped_steps`` writes to ``raw.run_log`` what a
  failed batch or build left out. A run-status sensor rather than an AutomationCondition: the build
  must wait for the whole batch, run once per batch, and never start on a partial batch.

All jobs run in-process: one process start for the whole run, and a single DuckDB writer at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.core.ingest.sources import SOURCES
from dagster_project.core.operations.lock import WarehouseBusy, warehouse_lock
from dagster_project.core.operations.log import BATCH_SIZE_TAG, BATCH_TAG, TRIGGER_TAG, RunContext
from dagster_project.core.operations.outcomes import FailedCheck, check_lines, log_failed_build
from dagster_project.core.operations.planning import (
    DELIVERY_YEARS,
    INGEST_JOB,
    SOURCES_TAG,
    IngestRequest,
    build_ready,
    ingest_requests,
    new_batch_id,
    plan_loads,
)
from dagster_project.defs.engines.resource import current_loads_of
from dagster_project.defs.ingest.assets import FRESHNESS_CHECKS, SUITE_CHECK
from dagster_project.settings import Settings


def delivery_selection(source: str) -> tuple[list[dg.AssetKey], list[dg.AssetCheckKey]]:
    """What an ingest run selects for one source's delivery: its landing and raw assets, its GE suite."""
    landing = dg.AssetKey(["landing", source])
    return [landing, dg.AssetKey(["raw", source])], [dg.AssetCheckKey(landing, SUITE_CHECK)]


INGEST_SELECTION = [delivery_selection(source.name) for source in SOURCES]
INGEST_ASSET_KEYS = [key for assets, _ in INGEST_SELECTION for key in assets]
INGEST_CHECK_KEYS = [key for _, checks in INGEST_SELECTION for key in checks]

INGEST_JOB_DEF = dg.define_asset_job(
    name=INGEST_JOB,
    selection=dg.AssetSelection.assets(*INGEST_ASSET_KEYS).without_checks()
    | dg.AssetSelection.checks(*INGEST_CHECK_KEYS),
    description=(
        "Read, check (blocking GE suite) and load the new deliveries of one delivery year: one step per "
        "delivery, the run's asset selection names the sources."
    ),
    executor_def=dg.in_process_executor,
)

BUILD_JOB = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.groups(
        "reference", "staging", "intermediate", "marts", "snapshots", "reports", "serving"
    ),
    description="dbt build (seeds, models, tests), the reports and the publication, after the raw loads.",
    executor_def=dg.in_process_executor,
)

SCHEDULE_TIMEZONE = "Europe/Oslo"

DEADLINES_JOB = dg.define_asset_job(
    name="check_delivery_deadlines",
    selection=dg.AssetSelection.checks(*FRESHNESS_CHECKS),
    description="The delivered_on_time checks: a warning per source whose delivery is overdue.",
    executor_def=dg.in_process_executor,
)

DAILY_DEADLINES = dg.ScheduleDefinition(
    name="daily_delivery_deadlines",
    job=DEADLINES_JOB,
    cron_schedule="0 7 * * *",
    execution_timezone=SCHEDULE_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning: warn on landing/SOURCE when a delivery is past its expected date.",
)


def data_year_for(scheduled: datetime, lag: int) -> int:
    """The delivery year a yearly run loads: by default the year before the run's date."""
    return scheduled.year - lag


def request_selection(request: IngestRequest) -> tuple[list[dg.AssetKey], list[dg.AssetCheckKey]]:
    """The assets and checks of the deliveries one ingest request loads."""
    assets: list[dg.AssetKey] = []
    checks: list[dg.AssetCheckKey] = []
    for source in request.sources:
        more_assets, more_checks = delivery_selection(source)
        assets += more_assets
        checks += more_checks
    return assets, checks


def ingest_job(defs: dg.Definitions, sources: Iterable[str]) -> dg.JobDefinition:
    """The ingest job for some sources' deliveries, as the daemon runs a request (``make run``, tests).

    The subset names its checks too: by asset keys alone Dagster would add delivered_on_time.
    """
    assets, checks = request_selection(IngestRequest(INGEST_JOB, "", "", {}, tuple(sources)))
    return defs.resolve_job_def(INGEST_JOB).get_subset(
        asset_selection=frozenset(assets), asset_check_selection=frozenset(checks)
    )


def run_request(request: IngestRequest) -> dg.RunRequest:
    assets, checks = request_selection(request)
    return dg.RunRequest(
        job_name=request.job_name,
        partition_key=request.partition_key,
        run_key=request.run_key,
        tags=request.tags,
        asset_selection=assets,
        asset_check_keys=checks,
    )


def partition_requests(
    instance: dg.DagsterInstance, requests: list[IngestRequest]
) -> list[dg.AddDynamicPartitionsRequest]:
    """The delivery years the requests need that the instance does not know yet."""
    years = sorted({r.partition_key for r in requests})
    new = [y for y in years if not instance.has_dynamic_partition(DELIVERY_YEARS, y)]
    if not new:
        return []
    return [dg.AddDynamicPartitionsRequest(partitions_def_name=DELIVERY_YEARS, partition_keys=new)]


def build_yearly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="yearly_deliveries",
        job=INGEST_JOB_DEF,
        cron_schedule=settings.yearly_cron,
        execution_timezone=SCHEDULE_TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=(
            "Once a year: load last year's deliveries (landing/SOURCE/YEAR/) that are new or changed, "
            "in one ingest run, then build and publish (build_after_ingest). Date: "
            "WAREHOUSE_YEARLY_CRON, default 1 March."
        ),
    )
    def yearly(context: dg.ScheduleEvaluationContext):
        year = data_year_for(context.scheduled_execution_time, settings.data_year_lag)
        try:
            current = current_loads_of(
                settings.engine, settings.warehouse_db, timeout=settings.sensor_lock_timeout
            )
        except WarehouseBusy:
            return dg.SkipReason("the warehouse is being written by another run; next tick")
        plan = plan_loads(settings.landing_dir, [s.name for s in SOURCES], current, years=(year, year))
        requests = ingest_requests(plan, f"yearly-{year}", "schedule")
        if not requests:
            why = "already loaded, unchanged" if plan.unchanged else "no delivery yet"
            return dg.SkipReason(
                f"{year}: {why}; the new_deliveries sensor loads a delivery when it arrives or changes"
            )
        # Schedules cannot return partition requests; registering a year folder is idempotent.
        for new in partition_requests(context.instance, requests):
            context.instance.add_dynamic_partitions(new.partitions_def_name, list(new.partition_keys))
        return [run_request(r) for r in requests]

    return yearly


def build_delivery_sensor(settings: Settings) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_deliveries",
        jobs=[INGEST_JOB_DEF],
        minimum_interval_seconds=settings.sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "A delivery folder landing/SOURCE/YEAR/ whose file differs from its current load in the "
            "warehouse (new, or another sha256): request one ingest run per delivery year; "
            "build_after_ingest builds and publishes when the whole batch succeeded."
        ),
    )
    def new_deliveries(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        requested: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
        try:
            current = current_loads_of(
                settings.engine, settings.warehouse_db, timeout=settings.sensor_lock_timeout
            )
        except WarehouseBusy:
            busy = "the warehouse is being written; next tick"
            return dg.SensorResult(skip_reason=busy, cursor=context.cursor)
        plan = plan_loads(
            settings.landing_dir,
            [s.name for s in SOURCES],
            current,
            settle_seconds=settings.settle_seconds,
        )
        plan.to_load = [p for p in plan.to_load if requested.get(p.state.key) != p.attempt_key]
        if not plan.to_load:
            waiting = f"; still being written: {[s.key for s in plan.settling]}" if plan.settling else ""
            quiet = f"no new or changed deliveries{waiting}"
            return dg.SensorResult(skip_reason=quiet, cursor=context.cursor)
        requests = ingest_requests(plan, new_batch_id("sensor-"), "sensor")
        requested |= {p.state.key: p.attempt_key for p in plan.to_load}
        return dg.SensorResult(
            run_requests=[run_request(r) for r in requests],
            dynamic_partitions_requests=partition_requests(context.instance, requests),
            cursor=json.dumps(requested, sort_keys=True),
        )

    return new_deliveries


def _batch_runs(instance: dg.DagsterInstance, batch: str) -> list[dg.DagsterRun]:
    return list(instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch})))


def build_after_ingest_sensor(settings: Settings) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        name="build_after_ingest",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[INGEST_JOB_DEF],
        request_job=BUILD_JOB,
        minimum_interval_seconds=settings.sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="One build_warehouse run when every ingest run of a sensor or schedule batch succeeded.",
    )
    def build_after_ingest(context: dg.RunStatusSensorContext):
        tags = context.dagster_run.tags
        batch, size = tags.get(BATCH_TAG), tags.get(BATCH_SIZE_TAG)
        if not batch or not size or tags.get(TRIGGER_TAG) == "make run":
            return dg.SkipReason("not part of a sensor or schedule batch (make run builds by itself)")
        runs = _batch_runs(context.instance, batch)
        statuses = [r.status.value for r in runs if r.job_name == INGEST_JOB]
        ready, reason = build_ready(statuses, int(size))
        if not ready:
            return dg.SkipReason(f"batch {batch}: {reason}")
        return dg.RunRequest(
            run_key=f"build:{batch}", tags={BATCH_TAG: batch, TRIGGER_TAG: tags.get(TRIGGER_TAG, "sensor")}
        )

    return build_after_ingest


def build_failure_sensor(settings: Settings) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="record_skipped_steps",
        monitored_jobs=[INGEST_JOB_DEF, BUILD_JOB],
        minimum_interval_seconds=settings.sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "When an ingest run of a batch or its build fails: record in raw.run_log the failed checks "
            "and the build and publication that were skipped (once per batch)."
        ),
    )
    def record_skipped_steps(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        batch = run.tags.get(BATCH_TAG)
        if not batch or run.tags.get(TRIGGER_TAG) == "make run":
            return dg.SkipReason("make run records its own outcome")
        record_skipped(context.instance, settings.warehouse_db, batch, run)
        return None

    return record_skipped_steps


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[FailedCheck]:
    """The checks of a run that failed with ERROR severity, with every failing row they name."""
    failed = []
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        metadata = {k: v.value for k, v in evaluation.metadata.items()}
        failed.append(
            FailedCheck(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                description=evaluation.description or "",
                lines=check_lines(evaluation.description, metadata),
                is_dbt="unique_id" in metadata,
            )
        )
    return failed


def step_errors(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Step failures in plain words (the error's message, not its stack trace)."""
    errors = []
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = record.dagster_event
        error = event.step_failure_data.error
        message = error.message.strip() if error else event.message
        if "dbt CLI process" in message:  # dagster-dbt's text points at compute logs we keep quiet
            message = "dbt build failed; its per-node log is dbt_build.log under the log folder (data/logs)"
        if error and error.cause and "dagster._core.definitions.events.Failure" not in error.cls_name:
            message = f"{message} (caused by: {error.cause.message.strip()})"
        errors.append(f"step {event.step_key} failed: {message}")
    return errors


def record_skipped(instance: dg.DagsterInstance, warehouse_db: Path, batch: str, run: dg.DagsterRun) -> None:
    """Write to raw.run_log what a failed run of a batch left out: failed checks, build, publication."""
    is_build = run.job_name == BUILD_JOB.name
    checks = failed_checks(instance, run.run_id) if is_build else []
    if is_build:
        skipped, reason = ["publish"], "the build failed: nothing was published"
    else:
        skipped = ["build", "publish"]
        partition = run.tags.get("dagster/partition", "")
        sources = run.tags.get(SOURCES_TAG, "")
        reason = f"ingest run {run.run_id[:8]} ({run.job_name} {partition}: {sources}) failed: nothing built"
    with warehouse_lock(warehouse_db), duckdb.connect(str(warehouse_db)) as conn:
        log_failed_build(conn, RunContext(batch_id=batch, run_id=run.run_id), checks, skipped, reason)
