"""Writing a validated extract into ``raw.<source>``, keeping every delivery (vintage).

Each load is one transaction: the rows and their entry in ``raw.extract_loads`` appear together
or not at all. Loading the file that is already the current one for its delivery is a no-op, so
re-running a year gives the same warehouse; a changed file is a new vintage beside the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.core.ingest.tabular import Contract
from dagster_project.core.operations.faults import crash_point
from dagster_project.core.operations.lock import warehouse_lock

_SQL_TYPES = {"int": "INTEGER", "decimal": "DOUBLE", "text": "VARCHAR"}

LOADS_DDL = """
create table if not exists raw.extract_loads (
    load_id varchar primary key,
    source varchar not null,
    delivery_year integer not null,
    file_name varchar not null,
    file_sha256 varchar not null,
    loaded_at timestamp not null,
    row_count integer not null,
    file_comment varchar,
    run_id varchar
)
"""


@dataclass(frozen=True)
class LoadOutcome:
    load_id: str
    loaded_at: datetime
    row_count: int
    unchanged: bool


def load_id_for(source: str, delivery_year: int, sha256: str) -> str:
    return f"{source}/{delivery_year}/{sha256[:16]}"


def _table_ddl(contract: Contract) -> str:
    columns = ",\n    ".join(f"{c.name} {_SQL_TYPES[c.kind]}" for c in contract.columns)
    return f"""
create table if not exists raw.{contract.source} (
    load_id varchar not null,
    delivery_year integer not null,
    source_row integer not null,
    {columns},
    file_name varchar not null,
    file_sha256 varchar not null,
    loaded_at timestamp not null,
    file_comment varchar
)
"""


@dataclass(frozen=True)
class CurrentLoad:
    """The load that is current for a delivery (its newest vintage)."""

    load_id: str
    file_name: str
    sha256: str
    row_count: int


#: The current load of each (source, delivery year): its newest.
CURRENT_LOADS = """
    select * from raw.extract_loads
    qualify row_number() over (partition by source, delivery_year order by loaded_at desc) = 1
"""


def current_loads(warehouse_db: Path, timeout: float | None = None) -> dict[tuple[str, int], CurrentLoad]:
    """Per (source, delivery year): the current load, read under the writer lock."""
    if not warehouse_db.exists():
        return {}
    lock = warehouse_lock(warehouse_db) if timeout is None else warehouse_lock(warehouse_db, timeout)
    with lock, duckdb.connect(str(warehouse_db), read_only=True) as conn:
        if not conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'extract_loads'"
        ).fetchone()[0]:
            return {}
        rows = conn.execute(
            f"select source, delivery_year, load_id, file_name, file_sha256, row_count from ({CURRENT_LOADS})"
        ).fetchall()
    return {(r[0], r[1]): CurrentLoad(*r[2:]) for r in rows}


def write_load(
    conn: duckdb.DuckDBPyConnection,
    contract: Contract,
    frame: pd.DataFrame,
    *,
    delivery_year: int,
    file_name: str,
    sha256: str,
    comment: str | None,
    run_id: str | None = None,
) -> LoadOutcome:
    """A validated frame into ``raw.<source>`` (DuckDB scans the frame's columns, without a copy)."""
    conn.register("incoming_rows", frame)
    try:
        return write_staged_load(
            conn,
            contract,
            "incoming_rows",
            delivery_year=delivery_year,
            file_name=file_name,
            sha256=sha256,
            comment=comment,
            run_id=run_id,
        )
    finally:
        conn.unregister("incoming_rows")


def write_staged_load(
    conn: duckdb.DuckDBPyConnection,
    contract: Contract,
    table: str,
    *,
    delivery_year: int,
    file_name: str,
    sha256: str,
    comment: str | None,
    run_id: str | None = None,
) -> LoadOutcome:
    """The validated rows of ``table`` (a staging table or a registered frame of the connection)
    into ``raw.<source>``, with their ``raw.extract_loads`` row, in one transaction."""
    source = contract.source
    load_id = load_id_for(source, delivery_year, sha256)
    conn.execute("create schema if not exists raw")
    conn.execute(LOADS_DDL)
    conn.execute(_table_ddl(contract))
    for column in contract.columns:  # a contract version may add columns: add them to an older table
        conn.execute(
            f"alter table raw.{source} add column if not exists {column.name} {_SQL_TYPES[column.kind]}"
        )
    current = conn.execute(
        f"select load_id, loaded_at, row_count from ({CURRENT_LOADS}) where source = ? and delivery_year = ?",
        [source, delivery_year],
    ).fetchone()
    if current and current[0] == load_id:
        return LoadOutcome(load_id=load_id, loaded_at=current[1], row_count=current[2], unchanged=True)

    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from raw.{source} where load_id = ?", [load_id])
        conn.execute("delete from raw.extract_loads where load_id = ?", [load_id])
        names = ", ".join(contract.names)
        conn.execute(
            f"insert into raw.{source} (load_id, delivery_year, source_row, {names}, "
            "file_name, file_sha256, loaded_at, file_comment) "
            f'select ?, ?, source_row, {names}, ?, ?, ?, ? from "{table}"',
            [load_id, delivery_year, file_name, sha256, loaded_at, comment],
        )
        row_count = conn.execute(f'select count(*) from "{table}"').fetchone()[0]
        conn.execute(
            "insert into raw.extract_loads values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, source, delivery_year, file_name, sha256, loaded_at, row_count, comment, run_id],
        )
        crash_point("ingest_mid_transaction")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return LoadOutcome(load_id=load_id, loaded_at=loaded_at, row_count=row_count, unchanged=False)
