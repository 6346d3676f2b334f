"""Jobs: ingest one delivery year of a source, and build everything downstream of raw.

Both run in-process: one process start for the whole run (great_expectations and dbt imports
dominate small runs), and a single DuckDB writer at a time.
"""

from __future__ import annotations

import dagster as dg

from dagster_project.ingest.sources import SOURCES

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
