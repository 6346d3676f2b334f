"""Copy the marts into a fresh serving database and Parquet files, then swap them in atomically.

BI tools never open the working warehouse. Each publication is written complete into its own
folder ``serving/.versions/<id>/`` (``warehouse.duckdb`` + ``parquet/``), flushed to disk, and then
made current with ONE atomic rename: the symlink ``serving/current`` is replaced. The contract's
paths ``serving/warehouse.duckdb`` and ``serving/parquet`` are fixed symlinks through ``current``,
so the database and the Parquet files always belong to the same publication, also after a crash at
any point. A reader that opened the old file keeps reading it (same inode) until it reconnects.
Only the ``marts`` schema is copied: nothing from raw or staging is published. Timestamps are
served as UTC (``timestamptz``), every table and column carries its description (DuckDB comments,
Parquet metadata), and no text column may hold an identity number (``refuse_identity_numbers``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dagster_project.core.operations.faults import crash_point
from dagster_project.core.serving import served_text
from dagster_project.core.serving.served_text import CANDIDATE_PATTERN
from dagster_project.core.serving.served_text import (
    PublicationRefused as PublicationRefused,
)  # the step catches it
from dagster_project.settings import REPO_ROOT

SERVING_DB_NAME = "warehouse.duckdb"
PARQUET_LINK = "parquet"
CURRENT_LINK = "current"
VERSIONS_DIR = ".versions"
PUBLISHED_SCHEMA = "marts"
#: The oldest DuckDB client that sees a new publication on reconnecting while another connection
#: to the serving file is open in the same process (older ones reuse the open, old instance).
MIN_FRESH_CLIENT = (1, 5)


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    tables: dict[str, int]
    serving_db: Path
    parquet_dir: Path


def code_version() -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
        return result.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mart_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "select table_name from duckdb_tables() where database_name = 'src' and schema_name = ? order by 1",
        [PUBLISHED_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def _copy_comments(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    """Keep the descriptions (dbt persist_docs; the privacy-mart registry, written as comments by
    their step) so BI users see them in the published copy."""
    comment = conn.execute(
        "select comment from duckdb_tables() "
        "where database_name = 'src' and schema_name = ? and table_name = ?",
        [PUBLISHED_SCHEMA, table],
    ).fetchone()
    if comment and comment[0]:
        conn.execute(f"comment on table {PUBLISHED_SCHEMA}.{table} is $${comment[0]}$$")
    for column, text in conn.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = 'src' and schema_name = ? and table_name = ? and comment is not null",
        [PUBLISHED_SCHEMA, table],
    ).fetchall():
        conn.execute(f'comment on column {PUBLISHED_SCHEMA}.{table}."{column}" is $${text}$$')


#: Column descriptions of the publication record. The marts' are their table comments: the dbt yml
#: (persist_docs) for the dbt marts, the registry (privacy/marts.py) for the privacy marts.
PUBLICATION_TABLE_COMMENT = (
    "Which run, code version and extract files (sha256) produced this published copy: one row per "
    "extract file in it."
)
PUBLICATION_COLUMNS = {
    "publication_id": "Id of this publication (UTC time of publishing and the run).",
    "published_at": "When this copy was published (UTC).",
    "run_id": "Dagster run that built and published it.",
    "code_version": "Git commit of the warehouse code that built it.",
    "source": "Source of an extract file in this publication.",
    "delivery_year": "Delivery year (year folder) of the extract file.",
    "file_name": "Name of the extract file as delivered.",
    "file_sha256": "SHA-256 of the extract file.",
    "loaded_at": "When the extract file was loaded (UTC).",
}


def publish(working_db: Path, serving_dir: Path, *, run_id: str) -> Publication:
    serving_dir.mkdir(parents=True, exist_ok=True)
    published_at = datetime.now(UTC)
    publication_id = published_at.strftime("%Y%m%dT%H%M%S") + "-" + run_id[:8]
    version_dir = serving_dir / VERSIONS_DIR / publication_id
    parquet_dir = version_dir / PARQUET_LINK
    parquet_dir.mkdir(parents=True)
    version_db = version_dir / SERVING_DB_NAME
    tables: dict[str, int] = {}
    conn = duckdb.connect(str(version_db))
    try:
        conn.execute("set TimeZone = 'UTC'")  # timestamps are served, and written to Parquet, as UTC
        conn.execute(f"attach '{working_db}' as src (read_only)")
        conn.execute(f"create schema {PUBLISHED_SCHEMA}")
        for table in _mart_tables(conn):
            conn.execute(
                f"create table {PUBLISHED_SCHEMA}.{table} as select * from src.{PUBLISHED_SCHEMA}.{table}"
            )
            _copy_comments(conn, table)
            tables[table] = conn.execute(f"select count(*) from {PUBLISHED_SCHEMA}.{table}").fetchone()[0]
        conn.execute(
            f"""
            create table {PUBLISHED_SCHEMA}.publication as
            select ?::varchar as publication_id, ?::timestamptz as published_at, ?::varchar as run_id,
                   ?::varchar as code_version, source, delivery_year, file_name, file_sha256, loaded_at
            from src.{PUBLISHED_SCHEMA}.fct_extract_loads where is_current
            """,
            [publication_id, published_at, run_id, code_version()],
        )
        conn.execute(f"comment on table {PUBLISHED_SCHEMA}.publication is $${PUBLICATION_TABLE_COMMENT}$$")
        for column, text in PUBLICATION_COLUMNS.items():
            conn.execute(f"comment on column {PUBLISHED_SCHEMA}.publication.{column} is $${text}$$")
        conn.execute("detach src")
        refuse_identity_numbers(conn)
        for table in [*tables, "publication"]:
            target = parquet_dir / f"{table}.parquet"
            write_parquet(conn, table, target)
            _fsync(target)
        conn.execute("checkpoint")
    except BaseException:
        conn.close()
        shutil.rmtree(version_dir, ignore_errors=True)  # never half a publication on disk
        raise
    conn.close()
    _fsync(version_db)
    _fsync(parquet_dir)
    _fsync(version_dir)
    crash_point("publish_before_swap")
    current = serving_dir / CURRENT_LINK
    previous = os.readlink(current) if current.is_symlink() else None
    _swap_symlink(current, version_dir)  # the one atomic step: the new publication is live
    _ensure_fixed_links(serving_dir)
    _fsync(serving_dir)
    crash_point("publish_after_swap")
    keep = {publication_id} | ({Path(previous).name} if previous else set())
    _prune_versions(serving_dir / VERSIONS_DIR, keep=keep)
    return Publication(publication_id, published_at, tables, serving_dir / SERVING_DB_NAME, parquet_dir)


def refuse_identity_numbers(conn: duckdb.DuckDBPyConnection) -> None:
    """Every text column about to be served is scanned as the deliveries are: a free-text remark
    that reached a mart with an identity number in it stops the publication (served_text)."""
    text_columns = conn.execute(
        "select table_name, column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and data_type = 'VARCHAR' order by table_name, column_index",
        [PUBLISHED_SCHEMA],
    ).fetchall()

    def candidates(table: str, column: str) -> list[str]:
        rows = conn.execute(
            f'select distinct "{column}" from {PUBLISHED_SCHEMA}.{table} where regexp_matches("{column}", ?)',
            [CANDIDATE_PATTERN],
        ).fetchall()
        return [text for (text,) in rows]

    served_text.refuse_identity_numbers(PUBLISHED_SCHEMA, text_columns, candidates)


def write_parquet(conn: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """A served table as Parquet, with its description and its columns' descriptions in the file:
    as Arrow field and schema metadata (``description``), which pyarrow, pandas and Arrow-based BI
    tools show, and as the file's key-value metadata ``description`` and ``column_descriptions``."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    comment = conn.execute(
        "select comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [PUBLISHED_SCHEMA, table],
    ).fetchone()
    columns = dict(
        conn.execute(
            "select column_name, comment from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [PUBLISHED_SCHEMA, table],
        ).fetchall()
    )
    result = conn.execute(f"select * from {PUBLISHED_SCHEMA}.{table}")
    data = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.fetch_arrow_table()
    fields = [
        field.with_metadata({"description": columns[field.name]}) if columns.get(field.name) else field
        for field in data.schema
    ]
    metadata = {
        "description": (comment[0] if comment and comment[0] else ""),
        "column_descriptions": json.dumps({k: v for k, v in columns.items() if v}, ensure_ascii=False),
        "table": f"{PUBLISHED_SCHEMA}.{table}",
    }
    data = data.cast(pa.schema(fields, metadata=metadata))
    pq.write_table(data, target, compression="zstd")


def current_publication_dir(serving_dir: Path) -> Path | None:
    """The folder of the live publication (what ``serving/current`` points to), if any."""
    current = serving_dir / CURRENT_LINK
    return current.resolve() if current.is_symlink() else None


def _ensure_fixed_links(serving_dir: Path) -> None:
    """``warehouse.duckdb`` and ``parquet`` point through ``current``; replaced once if older layout."""
    for name in (SERVING_DB_NAME, PARQUET_LINK):
        link = serving_dir / name
        wanted = Path(CURRENT_LINK) / name
        if link.is_symlink() and Path(os.readlink(link)) == wanted:
            continue
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a plain folder from an older layout
        _swap_symlink(link, serving_dir / wanted)


def _swap_symlink(link: Path, target: Path) -> None:
    temporary = link.with_name(f".{link.name}.new")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


def _prune_versions(versions: Path, keep: set[str]) -> None:
    """Keep the live and the previous publication (a reader may still be on the old one).

    Anything else goes, including the folder of a publication that crashed before its swap.
    """
    for old in versions.iterdir():
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
