"""All dbt models, seeds and tests as one Dagster multi-asset (one ``dbt build`` per run)."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.settings import WAREHOUSE_WRITER_POOL
from dagster_project.transform.project import DBT_PROJECT
from dagster_project.transform.translator import WarehouseTranslator


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseTranslator(),
    pool=WAREHOUSE_WRITER_POOL,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate and marts; dbt tests run in the same build and are asset checks."""
    # Reuse the target folder that `make manifest` parsed into, so dbt parses partially, not from scratch.
    yield from dbt.cli(["build"], context=context, target_path=DBT_PROJECT.target_path).stream()
