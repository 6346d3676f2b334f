"""Run the pipeline in process on what is in the landing folder (``make run``, via ``cli.py``).

It plans as the sensor does (operations.planning: a delivery is loaded when its file differs from
its current load in the warehouse), runs one ingest run per delivery year of the plan (one step per
delivery: read -> blocking GE suite -> raw load), and when the batch is clean, the build job
(dbt build -> reports -> publish). The build always runs, also when no delivery changed: `make run`
is also how new code reaches the reports. Runs go through the persistent Dagster instance in
DAGSTER_HOME, so they show up in the UI with their lineage, metadata and check results.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.core.ingest.sources import SOURCES
from dagster_project.core.operations import progress
from dagster_project.core.operations.lock import run_lock, warehouse_lock
from dagster_project.core.operations.log import BATCH_SIZE_TAG, BATCH_TAG, TRIGGER_TAG, RunContext, log_step
from dagster_project.core.operations.outcomes import console_lines, log_failed_build
from dagster_project.core.operations.planning import (
    DELIVERY_YEARS,
    IngestRequest,
    Unchanged,
    build_ready,
    ingest_requests,
    new_batch_id,
    plan_loads,
)
from dagster_project.core.operations.summary import RunReport, read_report
from dagster_project.definitions import build_definitions
from dagster_project.defs.automation import failed_checks, ingest_job, partition_requests, step_errors
from dagster_project.defs.engines.resource import current_loads_of
from dagster_project.defs.transform.assets import dbt_build_run_config
from dagster_project.settings import REPO_ROOT, Settings

#: The versioned instance configuration, copied into a new DAGSTER_HOME on first use.
INSTANCE_TEMPLATE = REPO_ROOT / "dagster.yaml"


def ensure_dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "data" / "dagster_home"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    return home


@dataclass
class RunSummary:
    loaded: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    built: bool = False
    batch_id: str = ""
    #: Seconds spent waiting for another run that held the warehouse.
    waited: float = 0.0
    #: What the warehouse recorded for this run (raw.run_log, raw.quarantine).
    report: RunReport | None = None

    @property
    def success(self) -> bool:
        return not self.failures and self.built


#: No Dagster console output: the console shows progress and plain failures; the UI keeps every event.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


#: Which process ran a run started by ``run_pipeline`` (to recognise one that was killed).
PID_TAG = "warehouse/pid"
HOST_TAG = "warehouse/host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark runs of a killed ``make run`` as failed and free their pool slots.

    An in-process run that is SIGKILLed stays STARTED in the instance and keeps its slot in the
    ``duckdb_warehouse`` pool (limit 1), so the next run would wait for it forever. Only runs
    started here, on this host, by a process that no longer exists are touched.
    """
    released = []
    in_progress = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=in_progress)):
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if not pid or host != socket.gethostname() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, "the process running it was killed; released by the next run")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released


def parse_years(text: str) -> tuple[int, int]:
    """'2018' or '2016-2018' -> an inclusive range of delivery years."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected YEAR or FIRST-LAST, got '{text}'")
    low, high = int(match[1]), int(match[2] or match[1])
    if low > high:
        raise argparse.ArgumentTypeError(f"{low} is after {high}")
    return low, high


def run_pipeline(
    instance: dg.DagsterInstance,
    settings: Settings,
    trigger: str = "make run",
    years: tuple[int, int] | None = None,
    full_refresh: bool = False,
) -> RunSummary:
    """Ingest the new or changed deliveries (a backfill: every delivery of some years), then build
    (``full_refresh``: every year of the incremental models, not only the changed ones).

    One run at a time per warehouse: a second one waits for the first (a lock file).
    """
    batch_id = new_batch_id()
    tags = {
        BATCH_TAG: batch_id,
        TRIGGER_TAG: trigger,
        PID_TAG: str(os.getpid()),
        HOST_TAG: socket.gethostname(),
    }
    with run_lock(settings.warehouse_db) as waited:
        release_abandoned_runs(instance)
        summary = _run_batch(instance, settings, tags, years, full_refresh)
        summary.batch_id, summary.waited = batch_id, waited
        with warehouse_lock(settings.warehouse_db):  # a run started by the daemon may be writing
            summary.report = read_report(settings.warehouse_db, batch_id)
    return summary


def _run_batch(
    instance: dg.DagsterInstance,
    settings: Settings,
    tags: dict[str, str],
    year_range: tuple[int, int] | None,
    full_refresh: bool = False,
) -> RunSummary:
    defs = build_definitions(settings)
    summary = RunSummary()
    run = RunContext(batch_id=tags[BATCH_TAG])
    plan = plan_loads(
        settings.landing_dir,
        [s.name for s in SOURCES],
        current_loads_of(settings.engine, settings.warehouse_db),
        years=year_range,
        reload=year_range is not None,
    )
    summary.failures += [
        f"no deliveries for {name} in {settings.landing_dir / name}" for name in plan.missing_sources
    ]
    _log_unchanged(settings, plan.unchanged, run)
    summary.loaded += [_unchanged_line(u) for u in plan.unchanged]
    requests = ingest_requests(plan, tags[BATCH_TAG], tags[TRIGGER_TAG])
    progress.report(
        f"plan: {len(requests)} new or changed deliveries to load, {len(plan.unchanged)} unchanged"
    )
    for new in partition_requests(instance, requests):
        instance.add_dynamic_partitions(new.partitions_def_name, list(new.partition_keys))
    # The years already loaded too, so the partition bars of an instance that predates the shared
    # delivery_years (or was deleted) show every delivery the warehouse holds.
    loaded_years = sorted({u.state.year for u in plan.unchanged})
    known = set(instance.get_dynamic_partitions(DELIVERY_YEARS))
    if missing := [y for y in loaded_years if y not in known]:
        instance.add_dynamic_partitions(DELIVERY_YEARS, missing)
    loads = {(load.source, load.year): load for load in plan.to_load}
    statuses = []
    for number, request in enumerate(requests, start=1):
        year_loads = [loads[(source, request.partition_key)] for source in request.sources]
        progress.report(
            f"ingest run {number} of {len(requests)}: delivery year {request.partition_key}, "
            f"{len(year_loads)} deliveries"
        )
        for load in year_loads:
            progress.report(f"  {load.source} {load.state.file_name or '(folder)'} - {load.reason}")
        result = ingest_job(defs, request.sources).execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            run_config=QUIET,
            raise_on_error=False,
            # No batch size: the daemon's build_after_ingest leaves make run's batches alone.
            tags={**tags, **{k: v for k, v in request.tags.items() if k != BATCH_SIZE_TAG}},
        )
        statuses.append("SUCCESS" if result.success else "FAILURE")
        _summarize_run(instance, result, request, summary)
    ready, reason = build_ready(statuses, len(requests))
    if summary.failures or not ready:
        _log_skipped(settings, run, [], ["build", "publish"], reason if not ready else summary.failures[0])
        return summary
    progress.report("build: dbt build, reports, publication")
    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=instance,
        run_config={**QUIET, **dbt_build_run_config(full_refresh, _years_of(year_range))},
        raise_on_error=False,
        tags=tags,
    )
    if not result.success:
        summary.failures += _failure_lines(instance, result.run_id, "build: ")
        _log_skipped(
            settings,
            RunContext(batch_id=tags[BATCH_TAG], run_id=result.run_id),
            failed_checks(instance, result.run_id),
            ["publish"],
            "the build failed: nothing was published",
        )
        return summary
    summary.built = True
    return summary


def _years_of(year_range: tuple[int, int] | None) -> list[int]:
    """A backfill's years, rebuilt by the incremental models even where no load changed."""
    return list(range(year_range[0], year_range[1] + 1)) if year_range else []


def _failure_lines(instance: dg.DagsterInstance, run_id: str, prefix: str) -> list[str]:
    """Every failed check with each failing row or indicator (capped); step errors when no check failed."""
    lines = console_lines(failed_checks(instance, run_id), step_errors(instance, run_id))
    return [f"{prefix}{line}" for line in lines] or [f"{prefix}run {run_id} failed"]


def _summarize_run(
    instance: dg.DagsterInstance,
    result: dg.ExecuteInProcessResult,
    request: IngestRequest,
    summary: RunSummary,
) -> None:
    """One line per delivery of an ingest run: loaded, or its failures (checks of its landing asset,
    errors of its step), each prefixed with source and year as when every delivery had its own run."""
    raw = _raw_materializations(result)
    checks = failed_checks(instance, result.run_id) if not result.success else []
    errors = step_errors(instance, result.run_id) if not result.success else []
    year = request.partition_key
    steps = tuple(f"step {source}_delivery " for source in request.sources)
    # An error of no delivery's step (a resource that failed to start) concerns each of them.
    shared = [e for e in errors if not e.startswith(steps)]
    for source in request.sources:
        if source in raw:
            summary.loaded.append(_loaded_line(raw[source], source, year))
            continue
        mine = [c for c in checks if c.asset == f"landing/{source}"]
        step = f"step {source}_delivery "
        lines = console_lines(mine, [e for e in errors if e.startswith(step)]) or shared
        prefix = f"{source} {year}: "
        summary.failures += [f"{prefix}{line}" for line in lines] or [f"{prefix}run {result.run_id} failed"]


def _raw_materializations(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    """The metadata of each ``raw/<source>`` the run materialized, by source."""
    found = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key.path[0] == "raw":
            materialization = event.event_specific_data.materialization
            found[event.asset_key.path[-1]] = {k: v.value for k, v in materialization.metadata.items()}
    return found


def _loaded_line(meta: dict, source: str, year: str) -> str:
    state = "unchanged, already loaded" if meta.get("unchanged") else "loaded"
    return (
        f"{source} {year}: {meta.get('file')} ({meta.get('dagster/row_count')} rows, "
        f"sha256 {str(meta.get('sha256'))[:12]}, {state})"
    )


def _unchanged_line(same: Unchanged) -> str:
    return (
        f"{same.state.source} {same.state.year}: {same.loaded.file_name} ({same.loaded.row_count} rows, "
        f"sha256 {same.loaded.sha256[:12]}, unchanged, not read again)"
    )


def _log_unchanged(settings: Settings, unchanged: list[Unchanged], run: RunContext) -> None:
    """One run-log row per unchanged delivery, all in one writer connection."""
    if not unchanged:
        return
    with warehouse_lock(settings.warehouse_db), duckdb.connect(str(settings.warehouse_db)) as conn:
        for same in unchanged:
            log_step(
                conn,
                run,
                "load",
                "unchanged",
                source=same.state.source,
                delivery_year=int(same.state.year),
                file_name=same.loaded.file_name,
                file_sha256=same.loaded.sha256,
                row_count=same.loaded.row_count,
                detail=f"not read again: the file of load {same.loaded.load_id}",
            )


def _log_skipped(settings: Settings, run: RunContext, checks: list, skipped: list[str], reason: str) -> None:
    settings.warehouse_db.parent.mkdir(parents=True, exist_ok=True)
    with warehouse_lock(settings.warehouse_db), duckdb.connect(str(settings.warehouse_db)) as conn:
        log_failed_build(conn, run, checks, skipped, reason)
