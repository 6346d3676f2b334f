"""The publish step: runs last, only when every upstream asset and blocking check succeeded."""

import json
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.core.operations.lock import warehouse_lock
from dagster_project.core.operations.log import BATCH_TAG, RunContext, log_step
from dagster_project.core.privacy.marts import PRIVACY_MARTS
from dagster_project.core.serving.publish import PublicationRefused, publish
from dagster_project.defs.engines.publication import publish_on_postgres
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.privacy.assets import mart_key
from dagster_project.defs.resources import WarehousePaths
from dagster_project.defs.transform.project import DBT_PROJECT
from dagster_project.settings import WAREHOUSE_WRITER_POOL


def mart_keys() -> list[dg.AssetKey]:
    """Every dbt model in the marts layer, from the manifest: with the privacy marts (written outside
    dbt, ``privacy/marts.py``), what publish() copies, as lineage."""
    manifest = json.loads(Path(DBT_PROJECT.manifest_path).read_text(encoding="utf-8"))
    names = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "marts" in node["fqn"]
    )
    return [dg.AssetKey(["marts", name]) for name in names]


@dg.asset(
    key=dg.AssetKey(["serving", "published_warehouse"]),
    group_name="serving",
    kinds={"duckdb", "parquet"},
    pool=WAREHOUSE_WRITER_POOL,
    deps=[
        dg.AssetKey(["reports", "indicator_status_report"]),
        dg.AssetKey(["reports", "survey_report"]),
        dg.AssetKey(["reports", "service_mapping_report"]),
        dg.AssetKey(["reports", "brukerplan_report"]),
        *mart_keys(),
        *(mart_key(mart.name) for mart in PRIVACY_MARTS),
    ],
    description=(
        "The read-only copy for BI tools: serving/warehouse.duckdb (marts only, with column descriptions "
        "and a marts.publication record of run, code version and extract sha256) and "
        "serving/parquet/*.parquet, "
        "replaced atomically: both belong to one publication folder made current by one symlink swap."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: WarehousePaths, engine: WarehouseEngine
) -> dg.MaterializeResult:
    run = RunContext(batch_id=context.run.tags.get(BATCH_TAG, context.run.run_id), run_id=context.run.run_id)
    if engine.config.is_postgres:  # the published schema on the server, swapped in one transaction
        with warehouse_lock(Path(duckdb.database)), duckdb.get_connection() as conn:
            try:
                return publish_on_postgres(engine, conn, run)
            except PublicationRefused as refused:
                raise dg.Failure(description=str(refused)) from None
    with warehouse_lock(Path(duckdb.database)):
        try:
            publication = publish(Path(duckdb.database), paths.serving, run_id=context.run.run_id)
        except PublicationRefused as refused:
            raise dg.Failure(description=str(refused)) from None
        with duckdb.get_connection() as conn:
            log_step(
                conn,
                run,
                "publish",
                "published",
                row_count=sum(publication.tables.values()),
                publication_id=publication.publication_id,
                detail=", ".join(f"{t} ({n})" for t, n in sorted(publication.tables.items())),
            )
    return dg.MaterializeResult(
        metadata={
            "publication_id": publication.publication_id,
            "serving_db": dg.MetadataValue.path(str(publication.serving_db)),
            "parquet_dir": dg.MetadataValue.path(str(publication.parquet_dir)),
            "tables": dg.MetadataValue.json(publication.tables),
            "dagster/row_count": sum(publication.tables.values()),
        }
    )
