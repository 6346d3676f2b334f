"""The one Definitions object of the code location."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.automation import BUILD_JOB, INGEST_JOBS
from dagster_project.ingest.assets import INGEST_ASSETS, INGEST_CHECKS
from dagster_project.quality.reconciliation_check import computed_values_reconcile
from dagster_project.reports.assets import indicator_status_report
from dagster_project.resources import WarehousePaths, warehouse_resource
from dagster_project.serving.assets import published_warehouse
from dagster_project.settings import Settings
from dagster_project.transform.assets import warehouse_dbt_models
from dagster_project.transform.project import DBT_PROJECT


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or Settings.from_env()
    settings.export_for_dbt()
    return dg.Definitions(
        assets=[*INGEST_ASSETS, warehouse_dbt_models, indicator_status_report, published_warehouse],
        asset_checks=[*INGEST_CHECKS, computed_values_reconcile],
        jobs=[*INGEST_JOBS.values(), BUILD_JOB],
        resources={
            "duckdb": warehouse_resource(settings),
            "dbt": DbtCliResource(
                project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).parent / "dbt")
            ),
            "paths": WarehousePaths.from_settings(settings),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
