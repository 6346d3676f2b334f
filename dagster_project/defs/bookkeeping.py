"""Dagster's own SQLite storage in DAGSTER_HOME without a disk flush per event.

Dagster's SQLite run and event-log storage opens a connection per event, commits it and closes
it; with SQLite's default (``synchronous=FULL``) every commit, and the WAL checkpoint when the last
connection closes, waits for the disk. A build run writes ~1000 events (a planned event, an output
and a materialization or check result per dbt node), ~3000 commits: measured, the largest single
fixed cost of ``make run`` and of every run the daemon launches.

With ``synchronous=OFF`` SQLite hands the write to the operating system and goes on. A crashed or
killed process loses nothing (the data is in the OS); only an operating-system crash or power loss
can lose or damage the last writes of the run history. That is bookkeeping: the warehouse itself
(DuckDB, its own durability) is what planning reads, and a damaged DAGSTER_HOME can be deleted.
``WAREHOUSE_DAGSTER_FSYNC=1`` (``Settings.dagster_fsync``) keeps SQLite's default.

Only SQLite databases under DAGSTER_HOME are touched; the listener is registered once per process
(by ``definitions.py``, so in ``make run``, the code server and every run worker).
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Set on a connection record whose SQLite file lies under DAGSTER_HOME.
_IN_HOME = "warehouse_dagster_home"


@functools.lru_cache(maxsize=256)
def _under(database: str, home: str) -> bool:
    return Path(database).resolve().is_relative_to(Path(home).resolve())


def _note_file(dialect: Any, record: Any, cargs: list, cparams: dict) -> None:
    """Before SQLite opens a file: is it Dagster's, under DAGSTER_HOME? (The path is known only here.)"""
    if dialect.name != "sqlite":
        return
    home = os.environ.get("DAGSTER_HOME")
    database = cargs[0] if cargs else cparams.get("database")
    record.info[_IN_HOME] = bool(home and isinstance(database, str) and _under(database, home))


def _no_flush(dbapi_connection: Any, record: Any) -> None:
    if record.info.get(_IN_HOME) and isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def relax_bookkeeping_fsync(keep_fsync: bool = False) -> bool:
    """Register the listener (idempotent); not when ``keep_fsync`` (WAREHOUSE_DAGSTER_FSYNC=1)."""
    if keep_fsync:
        return False
    if not event.contains(Engine, "connect", _no_flush):
        event.listen(Engine, "do_connect", _note_file)
        event.listen(Engine, "connect", _no_flush)
    return True
