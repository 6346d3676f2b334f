"""Run the whole pipeline on what is in the landing folder: ``python -m dagster_project.run``.

For every source and every year folder it registers the delivery year as a partition and runs the
ingest job (read -> blocking GE check -> raw load) unless the file is exactly the one already loaded
for that delivery (same sha256: nothing to do, and large microdata files are not read again); when
all deliveries loaded, it runs the build job
(dbt build -> reports -> publish). Runs go through the persistent Dagster instance in DAGSTER_HOME,
so they show up in the UI with their lineage, metadata and check results.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.files import delivery_years, find_extract, sha256_file
from dagster_project.ingest.sources import SOURCES
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


def _current_loads(warehouse_db: Path) -> dict[tuple[str, int], tuple[str, int]]:
    """sha256 and row count of the current load per source and delivery year, if the warehouse exists."""
    import duckdb

    if not warehouse_db.exists():
        return {}
    with duckdb.connect(str(warehouse_db), read_only=True) as conn:
        if not conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'extract_loads'"
        ).fetchone()[0]:
            return {}
        rows = conn.execute(
            "select source, delivery_year, arg_max(file_sha256, loaded_at), arg_max(row_count, loaded_at) "
            "from raw.extract_loads group by 1, 2"
        ).fetchall()
    return {(source, int(year)): (sha, int(count)) for source, year, sha, count in rows}


def _unchanged(settings: Settings, loads: dict, source: str, year: str) -> str | None:
    """The file name when the delivery is exactly the current load: nothing to read, check or load."""
    try:
        path = find_extract(settings.landing_dir, source, year)
    except ExtractError:
        return None  # let the ingest job report it, with its rule
    current = loads.get((source, int(year)))
    if current and current[0] == sha256_file(path):
        return (
            f"{source} {year}: {path.name} ({current[1]} rows, sha256 {current[0][:12]}, "
            "unchanged, already loaded)"
        )
    return None


def run_pipeline(instance: dg.DagsterInstance, settings: Settings) -> RunSummary:
    from dagster_project.definitions import build_definitions

    defs = build_definitions(settings)
    summary = RunSummary()
    loads = _current_loads(settings.warehouse_db)
    for source in SOURCES:
        years = delivery_years(settings.landing_dir, source.name)
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
            unchanged = _unchanged(settings, loads, source.name, year)
            if unchanged:
                summary.loaded.append(unchanged)
                continue
            result = job.execute_in_process(
                instance=instance, partition_key=year, run_config=QUIET, raise_on_error=False
            )
            if not result.success:
                summary.failures += [f"{source.name} {year}: {m}" for m in _failure_messages(result)]
                continue
            meta = _metadata(result, dg.AssetKey(["raw", source.name]))
            state = "unchanged, already loaded" if meta.get("unchanged") else "loaded"
            summary.loaded.append(
                f"{source.name} {year}: {meta.get('file')} ({meta.get('dagster/row_count')} rows, "
                f"sha256 {str(meta.get('sha256'))[:12]}, {state})"
            )
    if summary.failures:
        return summary
    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=instance, run_config=QUIET, raise_on_error=False
    )
    if not result.success:
        summary.failures += _failure_messages(result)
        return summary
    summary.built = True
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    ensure_dagster_home()
    settings = Settings.from_env()
    with dg.DagsterInstance.get() as instance:
        summary = run_pipeline(instance, settings)
    for line in summary.loaded:
        print(f"  ok    {line}")
    for line in summary.failures:
        print(f"  FAIL  {line}", file=sys.stderr)
    if not summary.success:
        print("Nothing was published: the serving copy and reports are as before.", file=sys.stderr)
        return 1
    print(f"\nWorking warehouse : {settings.warehouse_db}")
    print(f"Reports           : {settings.reports_dir}/<year>/indikatorstatus_<year>.html|.xlsx")
    for report in sorted(settings.reports_dir.glob("*/indikatorstatus_*.html")):
        print(f"                    {report}")
    print(f"Published for BI  : {settings.serving_dir / 'warehouse.duckdb'}")
    print(f"                    {settings.serving_dir / 'parquet'}/*.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
