"""Copy the marts into a fresh serving database and Parquet files, then swap them in atomically.

BI tools never open the working warehouse. Each publication is written complete into its own
folder ``serving/.versions/<id>/`` (``warehouse.duckdb`` + ``parquet/``), flushed to disk, and then
made current with ONE atomic rename: the symlink ``serving/current`` is replaced. The contract's
paths ``serving/warehouse.duckdb`` and ``serving/parquet`` are fixed symlinks through ``current``,
so the database and the Parquet files always belong to the same publication, also after a crash at
any point. A reader that opened the old file keeps reading it (same inode) until it reconnects.
Only the ``marts`` schema is copied: nothing from raw or staging is published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dagster_project.operations.faults import crash_point
from dagster_project.settings import REPO_ROOT

SERVING_DB_NAME = "warehouse.duckdb"
PARQUET_LINK = "parquet"
CURRENT_LINK = "current"
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
    version_dir = serving_dir / VERSIONS_DIR / publication_id
    parquet_dir = version_dir / PARQUET_LINK
    parquet_dir.mkdir(parents=True)
    version_db = version_dir / SERVING_DB_NAME
    tables: dict[str, int] = {}
    conn = duckdb.connect(str(version_db))
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
