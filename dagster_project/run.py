"""Run the whole pipeline on what is in the landing folder: ``python -m dagster_project.run``.

For every source and every year folder it registers the delivery year as a partition and runs the
ingest job (read -> blocking GE check -> raw load); when all deliveries loaded, it runs the build job
(dbt build -> reports -> publish). Runs go through the persistent Dagster instance in DAGSTER_HOME,
so they show up in the UI with their lineage, metadata and check results.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import re
import socket
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.engines.config import EngineConfig, EngineConfigError
from dagster_project.engines.resource import current_loads_of
from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.files import delivery_years, find_extract, sha256_file
from dagster_project.ingest.raw_tables import CurrentLoad
from dagster_project.ingest.sources import SOURCES
from dagster_project.operations.lock import run_lock, warehouse_lock
from dagster_project.operations.log import BATCH_TAG, TRIGGER_TAG, RunContext, log_step
from dagster_project.operations.summary import RunReport, read_report, summary_lines
from dagster_project.settings import REPO_ROOT, Settings

INSTANCE_CONFIG = """\
# Written by the warehouse on first use. Every DuckDB writer is in the pool below: one at a time.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def ensure_dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "data" / "dagster_home"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_CONFIG, encoding="utf-8")
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


#: Keep the console to warnings; the Dagster UI holds the full event log of every run.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                messages.append(f"check {evaluation.check_name} failed: {evaluation.description}")
        elif event.is_step_failure:
            error = event.step_failure_data.error
            messages.append(
                f"step {event.step_key} failed: {error.message.strip() if error else event.message}"
            )
    return messages or [f"run {result.run_id} failed"]


def _metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    events = [
        e.event_specific_data.materialization
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key == key
    ]
    return {k: v.value for k, v in events[-1].metadata.items()} if events else {}


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


def new_batch_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


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
) -> RunSummary:
    """Ingest the deliveries (all year folders, or a range: a backfill), then build.

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
        summary = _run_batch(instance, settings, tags, years)
        summary.batch_id, summary.waited = batch_id, waited
        with warehouse_lock(settings.warehouse_db):  # a run started by the daemon may be writing
            summary.report = read_report(settings.warehouse_db, batch_id)
    return summary


def _run_batch(
    instance: dg.DagsterInstance,
    settings: Settings,
    tags: dict[str, str],
    year_range: tuple[int, int] | None,
) -> RunSummary:
    from dagster_project.definitions import build_definitions

    defs = build_definitions(settings)
    summary = RunSummary()
    current = current_loads_of(EngineConfig.from_env(), settings.warehouse_db)
    unchanged: list[_Unchanged] = []
    for source in SOURCES:
        years = delivery_years(settings.landing_dir, source.name)
        if year_range:
            years = [y for y in years if year_range[0] <= int(y) <= year_range[1]]
        if not years and year_range:
            continue  # a backfill of years this source has no deliveries for
        if not years:
            summary.failures.append(
                f"no deliveries for {source.name} in {settings.landing_dir / source.name}"
            )
            continue
        partitions = f"{source.name}_years"
        new = [y for y in years if not instance.has_dynamic_partition(partitions, y)]
        if new:
            instance.add_dynamic_partitions(partitions, new)
        job = defs.resolve_job_def(f"ingest_{source.name}")
        for year in years:
            if year_range is None and (same := _unchanged_file(settings, current, source.name, year)):
                unchanged.append(same)
                summary.loaded.append(same.summary_line())
                continue
            loaded, failures = _ingest(job, instance, source.name, year, tags)
            summary.failures += failures
            summary.loaded += loaded
    _log_unchanged(settings, unchanged, RunContext(batch_id=tags[BATCH_TAG]))
    if summary.failures:
        return summary
    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=instance, run_config=QUIET, raise_on_error=False, tags=tags
    )
    if not result.success:
        summary.failures += _failure_messages(result)
        return summary
    summary.built = True
    return summary


def _ingest(
    job: dg.JobDefinition, instance: dg.DagsterInstance, source: str, year: str, tags: dict
) -> tuple[list[str], list[str]]:
    """One delivery's ingest run; returns its summary line or its failures.

    The run's result holds the delivery's frame (in-process outputs), so it is dropped, and its
    reference cycles collected, before the next delivery is read: one delivery in memory at a time.
    The captured outputs are emptied first: Dagster's own module state can keep a step context,
    and through it this dict, alive after the run (a whole SF100 delivery, ~1.5 GB, otherwise).
    """
    result = job.execute_in_process(
        instance=instance, partition_key=year, run_config=QUIET, raise_on_error=False, tags=tags
    )
    try:
        if not result.success:
            return [], [f"{source} {year}: {m}" for m in _failure_messages(result)]
        meta = _metadata(result, dg.AssetKey(["raw", source]))
    finally:
        result._output_capture.clear()  # no public way to release the captured outputs
        del result
        _return_memory()
    state = "unchanged, already loaded" if meta.get("unchanged") else "loaded"
    line = (
        f"{source} {year}: {meta.get('file')} ({meta.get('dagster/row_count')} rows, "
        f"sha256 {str(meta.get('sha256'))[:12]}, {state})"
    )
    return [line], []


def _return_memory() -> None:
    """Collect the delivery's objects and hand the freed heap back to the system.

    glibc keeps freed small blocks (a frame of strings is millions of them) for reuse; without
    ``malloc_trim`` the run would hold ~0.5 GB per SF100 delivery it no longer needs through the
    dbt build that follows.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True)
class _Unchanged:
    """A delivery whose file is the one already loaded."""

    source: str
    year: int
    file_name: str
    sha256: str
    loaded: CurrentLoad

    def summary_line(self) -> str:
        return (
            f"{self.source} {self.year}: {self.file_name} ({self.loaded.row_count} rows, "
            f"sha256 {self.sha256[:12]}, unchanged, not read again)"
        )


def _unchanged_file(
    settings: Settings, current: dict[tuple[str, int], CurrentLoad], source: str, year: str
) -> _Unchanged | None:
    """A delivery whose file is the one already loaded is not read or checked again.

    It passed its suite when it was loaded, and loading it again is a no-op; skipping it keeps a
    new year's run from re-reading every earlier year. A backfill (``--years``) re-reads on purpose.
    """
    loaded = current.get((source, int(year)))
    if loaded is None:
        return None
    try:
        path = find_extract(settings.landing_dir, source, year)
    except ExtractError:
        return None  # the ingest job reports it, naming the folder and the rule
    sha256 = sha256_file(path)
    if sha256 != loaded.sha256 or path.name != loaded.file_name:
        return None
    return _Unchanged(source, int(year), path.name, sha256, loaded)


def _log_unchanged(settings: Settings, unchanged: list[_Unchanged], run: RunContext) -> None:
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
                source=same.source,
                delivery_year=same.year,
                file_name=same.file_name,
                file_sha256=same.sha256,
                row_count=same.loaded.row_count,
                detail=f"not read again: the file of load {same.loaded.load_id}",
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--years",
        type=parse_years,
        help="backfill: (re)load only these delivery years, e.g. 2016-2018, then build and publish",
    )
    args = parser.parse_args(argv)
    try:
        engine = EngineConfig.from_env()
    except EngineConfigError as error:
        print(f"  FAIL  {error}", file=sys.stderr)
        return 2
    ensure_dagster_home()
    settings = Settings.from_env()
    with dg.DagsterInstance.get() as instance:
        summary = run_pipeline(instance, settings, years=args.years)
    if summary.waited >= 1:
        print(f"(waited {summary.waited:.0f} s for another run to finish with the warehouse)")
    for line in summary.failures:
        print(f"  FAIL  {line}", file=sys.stderr)
    if summary.report:
        print("\n" + "\n".join(summary_lines(summary.report)) + "\n")
    if not summary.success:
        print("Nothing was published: the serving copy and reports are as before.", file=sys.stderr)
        return 1
    print(f"\nWorking warehouse : {settings.warehouse_db}")
    print(f"Reports           : {settings.reports_dir}/<year>/indikatorstatus_<year>.html|.xlsx")
    for report in sorted(settings.reports_dir.glob("*/indikatorstatus_*.html")):
        print(f"                    {report}")
    print(f"Survey reports    : {settings.reports_dir}/<wave>/sporreundersokelse_<instrument>_<wave>.*")
    for report in sorted(settings.reports_dir.glob("*/sporreundersokelse_*.html")):
        print(f"                    {report}")
    if engine.is_postgres:
        print(f"Published for BI  : schema published on the server (read-only role {engine.bi_role})")
        return 0
    print(f"Published for BI  : {settings.serving_dir / 'warehouse.duckdb'}")
    print(f"                    {settings.serving_dir / 'parquet'}/*.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
