"""The published copy as a BI tool reads it: every Parquet file (pyarrow) and the serving DuckDB
file carry the types and descriptions declared (dbt yml for the SQL marts, the registry for the
privacy marts); timestamps are UTC."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.core.serving.publish import PUBLICATION_COLUMNS, PUBLICATION_TABLE_COMMENT
from tests.integration.conftest import Warehouse
from tests.support.served_schema import served_marts, text

pytestmark = pytest.mark.integration

ARROW_TYPES = {
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "float8": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
DUCKDB_TYPES = {
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float8": "DOUBLE",
    "varchar": "VARCHAR",
    "text": "VARCHAR",
    "boolean": "BOOLEAN",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
    "date": "DATE",
}


def declared() -> dict[str, dict]:
    """Served tables: the dbt marts, the privacy marts, and the publication record."""
    marts = served_marts()
    marts["publication"] = {
        "description": PUBLICATION_TABLE_COMMENT,
        "columns": {
            "publication_id": ("varchar", PUBLICATION_COLUMNS["publication_id"]),
            "published_at": ("timestamptz", PUBLICATION_COLUMNS["published_at"]),
            "run_id": ("varchar", PUBLICATION_COLUMNS["run_id"]),
            "code_version": ("varchar", PUBLICATION_COLUMNS["code_version"]),
            "source": ("varchar", PUBLICATION_COLUMNS["source"]),
            "delivery_year": ("integer", PUBLICATION_COLUMNS["delivery_year"]),
            "file_name": ("varchar", PUBLICATION_COLUMNS["file_name"]),
            "file_sha256": ("varchar", PUBLICATION_COLUMNS["file_sha256"]),
            "loaded_at": ("timestamptz", PUBLICATION_COLUMNS["loaded_at"]),
        },
    }
    return marts


def matches(field: pa.Field, data_type: str) -> bool:
    if data_type in ("varchar", "text"):
        return pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
    if data_type == "timestamptz":
        return pa.types.is_timestamp(field.type) and field.type.tz in ("UTC", "Etc/UTC")
    return field.type == ARROW_TYPES[data_type]


def test_every_parquet_file_has_the_declared_types_and_descriptions(sample_warehouse: Warehouse) -> None:
    parquet_dir = sample_warehouse.settings.serving_dir / "parquet"
    tables = declared()
    files = {p.stem: p for p in parquet_dir.glob("*.parquet")}
    assert set(files) == set(tables)
    for name, table in sorted(tables.items()):
        schema = pq.read_schema(files[name])
        assert [f.name for f in schema] == [f.name for f in schema if f.name in table["columns"]]
        assert {f.name for f in schema} == set(table["columns"]), name
        assert text(schema.metadata[b"description"].decode()) == text(table["description"]), name
        for field in schema:
            data_type, description = table["columns"][field.name]
            assert matches(field, data_type), f"{name}.{field.name}: {field.type} is not {data_type}"
            assert field.metadata and text(field.metadata[b"description"].decode()) == description, (
                f"{name}.{field.name}: description"
            )


def test_the_serving_database_has_the_declared_types_and_comments(sample_warehouse: Warehouse) -> None:
    tables = declared()
    serving_db = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    with duckdb.connect(str(serving_db), read_only=True) as conn:
        columns = conn.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
        comments = dict(
            conn.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
    assert {t for t, *_ in columns} == set(tables)
    for table, column, data_type, comment in columns:
        declared_type, description = tables[table]["columns"][column]
        assert data_type == DUCKDB_TYPES[declared_type], f"{table}.{column}: {data_type}"
        assert text(comment) == description, f"{table}.{column}: comment"
    assert text(comments["publication"]) == text(PUBLICATION_TABLE_COMMENT)
