"""Jobs, the yearly schedule and the sensors that run the warehouse unattended.

- ``ingest_<source>`` (partitioned by delivery year) reads, checks and loads one delivery;
  ``build_warehouse`` runs dbt build, the reports and the publication.
- ``new_deliveries`` (sensor) looks at the landing area every minute: a new ``<source>/<year>/``
  folder or a changed file in one registers the year as a partition and requests one ingest run
  per changed folder, all tagged with one batch id and the batch size.
- ``yearly_<source>`` (schedule, default 06:00 on 1 March, Europe/Oslo) requests the ingest of the
  previous year's delivery, as a safety net when nobody started anything.
- ``build_after_ingest`` (run-status sensor) starts ONE build when every ingest run of a batch has
  succeeded, and none when any failed. A run-status sensor rather than an AutomationCondition: the
  build must wait for the whole batch (several sources and years), run once per batch, and never
  start on a partial batch; that is a decision over runs, which a sensor states in a few lines and
  a test can evaluate directly.

All jobs run in-process: one process start for the whole run (great_expectations and dbt imports
dominate small runs), and a single DuckDB writer at a time.
"""

from __future__ import annotations

import json
import os
from datetime import datetime

import dagster as dg

from dagster_project.ingest.sources import SOURCES, Source
from dagster_project.operations.deliveries import build_ready, plan_deliveries
from dagster_project.operations.log import BATCH_SIZE_TAG, BATCH_TAG, TRIGGER_TAG
from dagster_project.settings import Settings

INGEST_JOBS = {
    source.name: dg.define_asset_job(
        name=f"ingest_{source.name}",
        selection=dg.AssetSelection.assets(
            dg.AssetKey(["landing", source.name]), dg.AssetKey(["raw", source.name])
        ),
        description=f"Read, check (blocking GE suite) and load one delivery year of {source.name}.",
        executor_def=dg.in_process_executor,
    )
    for source in SOURCES
}

BUILD_JOB = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.groups("reference", "staging", "intermediate", "marts", "reports", "serving"),
    description="dbt build (seeds, models, tests), the reports and the publication, after the raw loads.",
    executor_def=dg.in_process_executor,
)

#: Cron of the yearly run and the data year it loads: the run in year Y loads year Y - lag.
DEFAULT_YEARLY_CRON = "0 6 1 3 *"
DEFAULT_DATA_YEAR_LAG = 1
SCHEDULE_TIMEZONE = "Europe/Oslo"
#: Seconds a delivery folder must be unchanged before the sensor loads it (a copy may be under way).
DEFAULT_SETTLE_SECONDS = 60.0


def yearly_cron() -> str:
    return os.environ.get("WAREHOUSE_YEARLY_CRON", DEFAULT_YEARLY_CRON)


def data_year_for(scheduled: datetime, lag: int | None = None) -> int:
    """The delivery year a yearly run loads: by default the year before the run's date."""
    lag = int(os.environ.get("WAREHOUSE_DATA_YEAR_LAG", DEFAULT_DATA_YEAR_LAG)) if lag is None else lag
    return scheduled.year - lag


def partitions_name(source: Source | str) -> str:
    return f"{source if isinstance(source, str) else source.name}_years"


def build_yearly_schedule(source: Source, settings: Settings) -> dg.ScheduleDefinition:
    @dg.schedule(
        name=f"yearly_{source.name}",
        job=INGEST_JOBS[source.name],
        cron_schedule=yearly_cron(),
        execution_timezone=SCHEDULE_TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=(
            f"Once a year: load last year's {source.name} delivery (landing/{source.name}/<year>/), then "
            "build and publish (build_after_ingest). Date: WAREHOUSE_YEARLY_CRON, default 1 March."
        ),
    )
    def yearly(context: dg.ScheduleEvaluationContext):
        year = str(data_year_for(context.scheduled_execution_time))
        present = [s.name for s in SOURCES if (settings.landing_dir / s.name / year).is_dir()]
        if source.name not in present:
            return dg.SkipReason(
                f"no delivery in {settings.landing_dir / source.name / year} yet; "
                "the new_deliveries sensor loads it when it arrives"
            )
        # Schedules cannot return partition requests; registering a year folder is idempotent.
        if not context.instance.has_dynamic_partition(partitions_name(source), year):
            context.instance.add_dynamic_partitions(partitions_name(source), [year])
        return dg.RunRequest(
            partition_key=year,
            run_key=f"yearly-{year}:{source.name}",
            tags={BATCH_TAG: f"yearly-{year}", BATCH_SIZE_TAG: str(len(present)), TRIGGER_TAG: "schedule"},
        )

    return yearly


def build_delivery_sensor(settings: Settings, settle_seconds: float | None = None) -> dg.SensorDefinition:
    settle = (
        float(os.environ.get("WAREHOUSE_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))
        if settle_seconds is None
        else settle_seconds
    )

    @dg.sensor(
        name="new_deliveries",
        jobs=list(INGEST_JOBS.values()),
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "A new landing/<source>/<year>/ folder or a changed file in one: register the year and "
            "request its ingest run; build_after_ingest builds and publishes when the batch succeeded."
        ),
    )
    def new_deliveries(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        cursor = json.loads(context.cursor) if context.cursor else {}
        plan = plan_deliveries(settings.landing_dir, [s.name for s in SOURCES], cursor, settle_seconds=settle)
        if not plan.changed:
            waiting = f"; still being written: {[s.key for s in plan.settling]}" if plan.settling else ""
            return dg.SensorResult(
                skip_reason=f"no new or changed deliveries{waiting}", cursor=context.cursor
            )
        from dagster_project.run import new_batch_id

        batch = f"sensor-{new_batch_id()}"
        new_years: dict[str, list[str]] = {}
        for state in plan.changed:
            if not context.instance.has_dynamic_partition(partitions_name(state.source), state.year):
                new_years.setdefault(state.source, []).append(state.year)
        tags = {BATCH_TAG: batch, BATCH_SIZE_TAG: str(len(plan.changed)), TRIGGER_TAG: "sensor"}
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    job_name=f"ingest_{state.source}",
                    partition_key=state.year,
                    run_key=f"{batch}:{state.key}",
                    tags={**tags, "warehouse/fingerprint": state.fingerprint[:16]},
                )
                for state in plan.changed
            ],
            dynamic_partitions_requests=[
                dg.AddDynamicPartitionsRequest(
                    partitions_def_name=partitions_name(source), partition_keys=years
                )
                for source, years in new_years.items()
            ],
            cursor=json.dumps(plan.cursor, sort_keys=True),
        )

    return new_deliveries


@dg.run_status_sensor(
    name="build_after_ingest",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=list(INGEST_JOBS.values()),
    request_job=BUILD_JOB,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One build_warehouse run when every ingest run of a sensor or schedule batch succeeded.",
)
def build_after_ingest(context: dg.RunStatusSensorContext):
    tags = context.dagster_run.tags
    batch, size = tags.get(BATCH_TAG), tags.get(BATCH_SIZE_TAG)
    if not batch or not size:
        return dg.SkipReason("not part of a sensor or schedule batch (make run builds by itself)")
    runs = context.instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch}))
    statuses = [r.status.value for r in runs if r.job_name.startswith("ingest_")]
    ready, reason = build_ready(statuses, int(size))
    if not ready:
        return dg.SkipReason(f"batch {batch}: {reason}")
    return dg.RunRequest(
        run_key=f"build:{batch}", tags={BATCH_TAG: batch, TRIGGER_TAG: tags.get(TRIGGER_TAG, "sensor")}
    )
