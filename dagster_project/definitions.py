"""The one Definitions object of the code location (``workspace.yaml`` loads ``defs``)."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.automation import (
    BUILD_JOB,
    DAILY_DEADLINES,
    DEADLINES_JOB,
    INGEST_JOB_DEF,
    build_after_ingest_sensor,
    build_delivery_sensor,
    build_failure_sensor,
    build_yearly_schedule,
)
from dagster_project.defs.bookkeeping import relax_bookkeeping_fsync
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.ingest.assets import FRESHNESS_CHECKS, INGEST_ASSETS
from dagster_project.defs.privacy.assets import privacy_marts
from dagster_project.defs.quality.reconciliation import computed_values_reconcile_with_published
from dagster_project.defs.reports.assets import indicator_status_report
from dagster_project.defs.reports.brukerplan_assets import brukerplan_report
from dagster_project.defs.reports.mapping_assets import service_mapping_report
from dagster_project.defs.reports.survey_assets import survey_report
from dagster_project.defs.resources import WarehousePaths, dbt_resource, warehouse_resource
from dagster_project.defs.serving.assets import published_warehouse
from dagster_project.defs.transform.assets import warehouse_dbt_models
from dagster_project.settings import Settings


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or Settings.from_env()
    relax_bookkeeping_fsync(keep_fsync=settings.dagster_fsync)
    return dg.Definitions(
        assets=[
            *INGEST_ASSETS,
            warehouse_dbt_models,
            privacy_marts,
            indicator_status_report,
            survey_report,
            service_mapping_report,
            brukerplan_report,
            published_warehouse,
        ],
        asset_checks=[*FRESHNESS_CHECKS, computed_values_reconcile_with_published],
        jobs=[INGEST_JOB_DEF, BUILD_JOB, DEADLINES_JOB],
        schedules=[build_yearly_schedule(settings), DAILY_DEADLINES],
        sensors=[
            build_delivery_sensor(settings),
            build_after_ingest_sensor(settings),
            build_failure_sensor(settings),
        ],
        resources={
            "duckdb": warehouse_resource(settings),
            "dbt": dbt_resource(settings),
            "paths": WarehousePaths.from_settings(settings),
            "engine": WarehouseEngine.from_config(settings.engine, settings.warehouse_db),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
