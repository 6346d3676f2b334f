"""The second engine: the whole sample pipeline on PostgreSQL, compared with the DuckDB run.

One pipeline run on a throwaway local server (tests/support/postgres.py), shared by the tests
below; the DuckDB side is the session's sample warehouse. Served marts must agree (floats to 1e-9).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import psycopg
import pytest

from dagster_project.core.engines.config import EngineConfig
from dagster_project.core.engines.postgres import PUBLISHED_SCHEMA, publish_schema
from dagster_project.defs.run import RunSummary, run_pipeline
from dagster_project.sample.generate import generate
from tests.integration.conftest import Warehouse, settings_under
from tests.support.postgres import postgres_server
from tests.support.served_schema import served_marts

#: Column types that mean the same on both engines.
SAME_TYPE = {
    "INTEGER": {"integer"},
    "BIGINT": {"bigint"},
    "DOUBLE": {"double precision"},
    "VARCHAR": {"text", "character varying"},
    "BOOLEAN": {"boolean"},
    "TIMESTAMP": {"timestamp without time zone"},
    "HUGEINT": {"bigint", "numeric"},
}
#: Columns that differ between any two runs (when the files were loaded), left out of the comparison.
RUN_SPECIFIC = {"loaded_at"}


@dataclass(frozen=True)
class PostgresWarehouse:
    url: str
    root: Path
    summary: RunSummary


def _engine(url: str) -> EngineConfig:
    """The postgres engine as WAREHOUSE_ENGINE=postgres and WAREHOUSE_POSTGRES_URL give it."""
    return EngineConfig.from_env({"WAREHOUSE_ENGINE": "postgres", "WAREHOUSE_POSTGRES_URL": url})


def _deliveries(root: Path) -> int:
    """Delivery folders (source/year) of the sample landing area: one current load each."""
    return sum(1 for folder in (root / "landing").glob("*/*") if folder.is_dir())


@pytest.fixture(scope="session")
def postgres_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresWarehouse]:
    root = tmp_path_factory.mktemp("postgres")
    generate(root / "landing")
    with postgres_server() as url:
        with dg.DagsterInstance.ephemeral() as instance:
            summary = run_pipeline(instance, settings_under(root, _engine(url)))
        assert summary.success, summary.failures
        yield PostgresWarehouse(url=url, root=root, summary=summary)


def _sort_key(row: tuple) -> tuple:
    return tuple((value is None, round(value, 6) if isinstance(value, float) else value) for value in row)


def _same(left: object, right: object) -> bool:
    """Equal, floats to 1e-9 (relative, or absolute near zero): the engines sum in another order, and a
    weighted total of ~20 000 float weights differs in its last bits."""
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-9)
    return left == right


def test_the_pipeline_runs_on_postgres(postgres_warehouse: PostgresWarehouse) -> None:
    with psycopg.connect(postgres_warehouse.url) as conn:
        raw = conn.execute("select count(*) from raw.extract_loads").fetchone()[0]
        published = conn.execute(f"select count(*) from {PUBLISHED_SCHEMA}.publication").fetchone()[0]
    deliveries = _deliveries(postgres_warehouse.root)
    assert raw == deliveries and published == deliveries  # the current file of every delivery
    reports = sorted(p.name for p in (postgres_warehouse.root / "reports").rglob("*.html"))
    assert "indikatorstatus_2018.html" in reports
    assert any(name.startswith("sporreundersokelse_") for name in reports)


def test_served_marts_agree_between_the_engines(
    sample_warehouse: Warehouse, postgres_warehouse: PostgresWarehouse
) -> None:
    serving_db = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    with (
        duckdb.connect(str(serving_db), read_only=True) as served,
        psycopg.connect(postgres_warehouse.url) as pg,
    ):
        duck_tables = {
            r[0]
            for r in served.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
        pg_tables = {
            r[0]
            for r in pg.execute(
                "select table_name from information_schema.tables where table_schema = %s", [PUBLISHED_SCHEMA]
            ).fetchall()
        }
        assert pg_tables == duck_tables
        for table in sorted(duck_tables - {"publication"}):
            duck_types = {r[0]: r[1] for r in served.execute(f"describe marts.{table}").fetchall()}
            pg_types = dict(
                pg.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    [PUBLISHED_SCHEMA, table],
                ).fetchall()
            )
            assert list(pg_types) == list(duck_types), table
            for column, duck_type in duck_types.items():
                assert pg_types[column] in SAME_TYPE.get(duck_type, {duck_type.lower()}), (table, column)
            columns = ", ".join(f'"{c}"' for c in duck_types if c not in RUN_SPECIFIC)
            duck_rows = sorted(
                served.execute(f"select {columns} from marts.{table}").fetchall(), key=_sort_key
            )
            pg_rows = sorted(
                pg.execute(f"select {columns} from {PUBLISHED_SCHEMA}.{table}").fetchall(), key=_sort_key
            )
            assert len(pg_rows) == len(duck_rows), table
            for duck_row, pg_row in zip(duck_rows, pg_rows, strict=True):
                differing = [
                    (column, a, b)
                    for column, a, b in zip(columns.split(", "), duck_row, pg_row, strict=True)
                    if not _same(a, b)
                ]
                assert not differing, (table, duck_row[:6], differing)


def test_bi_role_reads_the_published_schema_only(postgres_warehouse: PostgresWarehouse) -> None:
    with psycopg.connect(postgres_warehouse.url, user="warehouse_bi", autocommit=True) as conn:
        assert conn.execute("select count(*) from mart_indicator_changes").fetchone()[0] > 0  # search_path
        for forbidden in (
            "marts.mart_indicator_changes",
            "raw.brukerplan",
            "intermediate.int_survey_responses",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select count(*) from {forbidden}")
        with pytest.raises((psycopg.errors.ReadOnlySqlTransaction, psycopg.errors.InsufficientPrivilege)):
            conn.execute(f"create table {PUBLISHED_SCHEMA}.scratch (a integer)")


def test_a_failed_publication_leaves_the_published_schema_untouched(
    postgres_warehouse: PostgresWarehouse,
) -> None:
    from datetime import datetime

    url = postgres_warehouse.url
    with psycopg.connect(url, autocommit=True) as conn:
        before = conn.execute(
            f"select distinct publication_id from {PUBLISHED_SCHEMA}.publication"
        ).fetchall()
        conn.execute("alter table marts.fct_extract_loads rename to fct_extract_loads_hidden")
    try:
        with pytest.raises(psycopg.errors.UndefinedTable):
            publish_schema(
                url,
                publication_id="broken",
                published_at=datetime(2026, 1, 1),
                run_id="broken",
                code_version="test",
                bi_role="warehouse_bi",
            )
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("alter table marts.fct_extract_loads_hidden rename to fct_extract_loads")
    with psycopg.connect(url) as conn:
        after = conn.execute(f"select distinct publication_id from {PUBLISHED_SCHEMA}.publication").fetchall()
        schemas = {r[0] for r in conn.execute("select nspname from pg_namespace").fetchall()}
        tables = conn.execute(
            "select count(*) from information_schema.tables where table_schema = %s", [PUBLISHED_SCHEMA]
        ).fetchone()[0]
    assert after == before
    assert "published_next" not in schemas
    assert tables == len(served_marts()) + 1  # every mart (privacy marts included) and the publication record


def test_a_served_text_with_an_identity_number_is_not_published_on_postgres(
    postgres_warehouse: PostgresWarehouse,
) -> None:
    """The DuckDB publication's rule (core/serving/served_text.py), on the server: refused, plainly,
    with the number masked, and the published schema left as it was."""
    from datetime import datetime

    from dagster_project.core.serving.publish import PublicationRefused
    from tests.unit.test_input_contracts import HAND_COMPUTED

    url = postgres_warehouse.url
    history = "marts.fct_indicator_value_history"
    published = f"select distinct publication_id from {PUBLISHED_SCHEMA}.publication"
    remark = f"Tall kontrollert mot sak for {HAND_COMPUTED}, ok"
    with psycopg.connect(url, autocommit=True) as conn:
        before = conn.execute(published).fetchall()
        row = conn.execute(f"select ctid, note from {history} limit 1").fetchone()
        conn.execute(f"update {history} set note = %s where ctid = %s", [remark, row[0]])
    try:
        with pytest.raises(PublicationRefused) as refused:
            publish_schema(
                url,
                publication_id="refused",
                published_at=datetime(2026, 1, 1),
                run_id="refused",
                code_version="test",
                bi_role="warehouse_bi",
            )
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"update {history} set note = %s where note = %s", [row[1], remark])
    message = str(refused.value)
    assert "fct_indicator_value_history" in message and "'note'" in message
    assert "no_national_identity_numbers" in message
    assert HAND_COMPUTED not in message and HAND_COMPUTED[:6] + "*****" in message
    with psycopg.connect(url) as conn:
        assert conn.execute(published).fetchall() == before
        schemas = {r[0] for r in conn.execute("select nspname from pg_namespace").fetchall()}
    assert "published_next" not in schemas


def test_a_second_run_reads_no_delivery_again_and_publishes_the_same(
    postgres_warehouse: PostgresWarehouse,
) -> None:
    url = postgres_warehouse.url
    query = f"select * from {PUBLISHED_SCHEMA}.mart_indicator_changes order by 1, 2, 3, 6"
    with psycopg.connect(url) as conn:
        before = conn.execute(query).fetchall()
    with dg.DagsterInstance.ephemeral() as instance:
        summary = run_pipeline(instance, settings_under(postgres_warehouse.root, _engine(url)))
    assert summary.success, summary.failures
    assert summary.loaded and all("unchanged, not read again" in line for line in summary.loaded)
    with psycopg.connect(url) as conn:
        assert conn.execute(query).fetchall() == before
        assert conn.execute("select count(*) from raw.extract_loads").fetchone()[0] == _deliveries(
            postgres_warehouse.root
        )
