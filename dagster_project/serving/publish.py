"""Copy the marts into a fresh serving database and Parquet files, then swap them in atomically.

BI tools never open the working warehouse. The serving file is built beside the old one, flushed
to disk and renamed over it, so a reader sees the old publication or the new one, never a mix.
Parquet files go into a new versioned folder and ``serving/parquet`` is a symlink that is swapped
the same way. Only the ``marts`` schema is copied: nothing from raw or staging is published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dagster_project.settings import REPO_ROOT

SERVING_DB_NAME = "warehouse.duckdb"
PARQUET_LINK = "parquet"
VERSIONS_DIR = ".versions"
PUBLISHED_SCHEMA = "marts"


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
    """Keep the dbt descriptions (persist_docs) so BI users see them in the published copy."""
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


def publish(working_db: Path, serving_dir: Path, *, run_id: str) -> Publication:
    serving_dir.mkdir(parents=True, exist_ok=True)
    published_at = datetime.now(UTC).replace(tzinfo=None)
    publication_id = published_at.strftime("%Y%m%dT%H%M%S") + "-" + run_id[:8]
    staging_db = serving_dir / f".{SERVING_DB_NAME}.{publication_id}.tmp"
    version_dir = serving_dir / VERSIONS_DIR / publication_id
    parquet_dir = version_dir / PARQUET_LINK
    parquet_dir.mkdir(parents=True)
    tables: dict[str, int] = {}
    conn = duckdb.connect(str(staging_db))
    try:
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
            select ? as publication_id, ?::timestamp as published_at, ? as run_id, ? as code_version,
                   source, delivery_year, file_name, file_sha256, loaded_at
            from src.{PUBLISHED_SCHEMA}.fct_extract_loads where is_current
            """,
            [publication_id, published_at, run_id, code_version()],
        )
        conn.execute(
            f"comment on table {PUBLISHED_SCHEMA}.publication is "
            "'Which run, code version and extract files (sha256) produced this published copy.'"
        )
        for table in [*tables, "publication"]:
            target = parquet_dir / f"{table}.parquet"
            conn.execute(f"copy {PUBLISHED_SCHEMA}.{table} to '{target}' (format parquet)")
            _fsync(target)
        conn.execute("detach src")
        conn.execute("checkpoint")
    finally:
        conn.close()
    _fsync(staging_db)
    os.replace(staging_db, serving_dir / SERVING_DB_NAME)
    _swap_symlink(serving_dir / PARQUET_LINK, parquet_dir)
    _fsync(serving_dir)
    _prune_versions(serving_dir / VERSIONS_DIR, keep={publication_id})
    return Publication(publication_id, published_at, tables, serving_dir / SERVING_DB_NAME, parquet_dir)


def _swap_symlink(link: Path, target: Path) -> None:
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain folder from an older layout
    temporary = link.with_name(f".{link.name}.new")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target.relative_to(link.parent))
    os.replace(temporary, link)


def _prune_versions(versions: Path, keep: set[str], retain: int = 2) -> None:
    """Keep the current and the previous Parquet version (a reader may still be on the old one)."""
    existing = sorted(p for p in versions.iterdir() if p.is_dir())
    for old in existing[:-retain]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
