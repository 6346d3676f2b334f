"""Dagster's SQLite bookkeeping under DAGSTER_HOME commits without a disk flush; nothing else changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dagster_project.defs.bookkeeping import relax_bookkeeping_fsync
from dagster_project.settings import Settings


def _synchronous(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        value = conn.execute(text("PRAGMA synchronous")).scalar_one()
    engine.dispose()
    return value


def test_only_databases_under_dagster_home_skip_the_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "dagster_home", tmp_path / "other"
    for folder in (home / "history", elsewhere):
        folder.mkdir(parents=True)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert relax_bookkeeping_fsync() and relax_bookkeeping_fsync()  # idempotent
    assert _synchronous(home / "history" / "runs.db") == 0  # OFF
    assert _synchronous(elsewhere / "other.db") == 2  # FULL, SQLite's default
    with sqlite3.connect(home / "plain.db") as plain:  # outside SQLAlchemy: untouched
        assert plain.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_the_environment_can_keep_full_durability() -> None:
    assert not Settings.from_env({}).dagster_fsync
    settings = Settings.from_env({"WAREHOUSE_DAGSTER_FSYNC": "1"})
    assert settings.dagster_fsync and not relax_bookkeeping_fsync(keep_fsync=settings.dagster_fsync)
