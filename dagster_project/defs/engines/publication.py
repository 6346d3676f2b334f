"""Publication on PostgreSQL, as the publish asset runs it (the DuckDB path is serving/publish.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from dagster_project.core.operations.log import RunContext, log_step
from dagster_project.core.serving.publish import code_version
from dagster_project.defs.engines.resource import WarehouseEngine


def publish_on_postgres(engine: WarehouseEngine, duckdb_conn, run: RunContext) -> dg.MaterializeResult:
    # psycopg only where a server is used: not in every process that loads the definitions.
    from dagster_project.core.engines.postgres import PUBLISHED_SCHEMA, publish_schema

    published_at = datetime.now(UTC).replace(tzinfo=None)
    publication_id = published_at.strftime("%Y%m%dT%H%M%S") + "-" + run.run_id[:8]
    tables = publish_schema(
        engine.postgres_url,
        publication_id=publication_id,
        published_at=published_at,
        run_id=run.run_id,
        code_version=code_version(),
        bi_role=engine.bi_role,
    )
    log_step(
        duckdb_conn,
        run,
        "publish",
        "published",
        row_count=sum(tables.values()),
        publication_id=publication_id,
        detail=", ".join(f"{t} ({n})" for t, n in sorted(tables.items())),
    )
    return dg.MaterializeResult(
        metadata={
            "publication_id": publication_id,
            "engine": "postgres",
            "published_schema": PUBLISHED_SCHEMA,
            "bi_role": engine.bi_role,
            "tables": dg.MetadataValue.json(tables),
            "dagster/row_count": sum(tables.values()),
        }
    )
