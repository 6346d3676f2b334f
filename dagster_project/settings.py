"""Every setting of the warehouse, read from the environment in one place: ``Settings.from_env``.

The paths of the external contract (landing, warehouse, serving, reports) are resolved to absolute
paths once, so that dbt (a subprocess with its own working directory) and Dagster agree on the same
files. No other module reads a ``WAREHOUSE_*`` variable; nothing here writes to the environment.

| variable | default | what |
|---|---|---|
| WAREHOUSE_LANDING_DIR | data/landing | where deliveries arrive (SOURCE/YEAR/one file) |
| WAREHOUSE_DB | data/warehouse.duckdb | the working warehouse |
| WAREHOUSE_SERVING_DIR | data/serving | the published read-only copy for BI |
| WAREHOUSE_REPORTS_DIR | data/reports | the HTML and Excel reports |
| WAREHOUSE_LOG_DIR | data/logs | dbt's per-node log of each build |
| WAREHOUSE_DBT_TARGET | dbt/target | dbt's target folder (manifest, run results) |
| WAREHOUSE_YEARLY_CRON | 0 6 1 3 * | when the yearly schedule runs (Europe/Oslo) |
| WAREHOUSE_DATA_YEAR_LAG | 1 | the yearly run in year Y loads year Y - lag |
| WAREHOUSE_SETTLE_SECONDS | 60 | a delivery folder must be unchanged this long before the sensor loads it |
| WAREHOUSE_SENSOR_INTERVAL | 60 | seconds between two looks of the new_deliveries sensor |
| WAREHOUSE_LOCK_TIMEOUT | 3600 | seconds a writer waits for another run before giving up |
| WAREHOUSE_ROW_COUNT_SCALE | 1 | multiplies plausible row counts of person-level data (benchmarks only) |
| WAREHOUSE_CRASH_AT | unset | fault injection for the crash tests (see operations/faults.py) |
| WAREHOUSE_ENGINE | duckdb | `duckdb` or `postgres`: where raw, the dbt build and the publication live |
| WAREHOUSE_POSTGRES_URL | unset | postgresql://user:password@host:port/dbname (with the postgres engine) |
| WAREHOUSE_POSTGRES_BI_ROLE | warehouse_bi | the read-only role BI tools use on PostgreSQL |
| WAREHOUSE_DAGSTER_FSYNC | 0 | 1: Dagster's SQLite history flushed to disk per event (defs/bookkeeping.py) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dagster_project.core.engines.config import EngineConfig

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

#: The single Dagster concurrency pool that every DuckDB writer joins (limit 1 in dagster.yaml).
WAREHOUSE_WRITER_POOL = "duckdb_warehouse"


def _path(env: Mapping[str, str], var: str, default: Path) -> Path:
    value = env.get(var)
    return Path(value).expanduser().resolve() if value else default


def _whole(env: Mapping[str, str], var: str, default: int, minimum: int = 0) -> int:
    text = env.get(var, str(default)).strip()
    if not text.isdigit() or int(text) < minimum:
        raise ValueError(f"{var} must be a whole number >= {minimum}, not '{text}'")
    return int(text)


def _seconds(env: Mapping[str, str], var: str, default: float) -> float:
    text = env.get(var, str(default)).strip()
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{var} must be a number of seconds, not '{text}'") from None
    if value < 0:
        raise ValueError(f"{var} must not be negative, not '{text}'")
    return value


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_db: Path
    serving_dir: Path
    reports_dir: Path
    log_dir: Path = REPO_ROOT / "data" / "logs"
    dbt_target_dir: Path = DBT_PROJECT_DIR / "target"
    yearly_cron: str = "0 6 1 3 *"
    data_year_lag: int = 1
    settle_seconds: float = 60.0
    sensor_interval_seconds: int = 60
    #: How long a sensor tick waits for the warehouse before it tries again next tick.
    sensor_lock_timeout: float = 20.0
    lock_timeout: float = 3600.0
    row_count_scale: int = 1
    crash_at: str | None = None
    #: Dagster's SQLite history in DAGSTER_HOME flushed to disk on every commit (SQLite's default).
    dagster_fsync: bool = False
    engine: EngineConfig = field(default_factory=EngineConfig)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data = REPO_ROOT / "data"
        return cls(
            landing_dir=_path(env, "WAREHOUSE_LANDING_DIR", data / "landing"),
            warehouse_db=_path(env, "WAREHOUSE_DB", data / "warehouse.duckdb"),
            serving_dir=_path(env, "WAREHOUSE_SERVING_DIR", data / "serving"),
            reports_dir=_path(env, "WAREHOUSE_REPORTS_DIR", data / "reports"),
            log_dir=_path(env, "WAREHOUSE_LOG_DIR", data / "logs"),
            dbt_target_dir=_path(env, "WAREHOUSE_DBT_TARGET", DBT_PROJECT_DIR / "target"),
            yearly_cron=env.get("WAREHOUSE_YEARLY_CRON", "0 6 1 3 *"),
            data_year_lag=_whole(env, "WAREHOUSE_DATA_YEAR_LAG", 1),
            settle_seconds=_seconds(env, "WAREHOUSE_SETTLE_SECONDS", 60.0),
            sensor_interval_seconds=_whole(env, "WAREHOUSE_SENSOR_INTERVAL", 60, minimum=1),
            lock_timeout=_seconds(env, "WAREHOUSE_LOCK_TIMEOUT", 3600.0),
            row_count_scale=_whole(env, "WAREHOUSE_ROW_COUNT_SCALE", 1, minimum=1),
            crash_at=env.get("WAREHOUSE_CRASH_AT") or None,
            dagster_fsync=env.get("WAREHOUSE_DAGSTER_FSYNC", "").strip().lower() in ("1", "true", "yes"),
            engine=EngineConfig.from_env(env),
        )

    def dbt_env(self) -> dict[str, str]:
        """What dbt's profiles.yml reads: handed to the dbt process, never written to os.environ."""
        return {"WAREHOUSE_DB": str(self.warehouse_db), **self.engine.dbt_env()}


@cache
def process_settings() -> Settings:
    """The settings of this process, read once (for values needed at import or deep in a call)."""
    return Settings.from_env()


def row_count_scale() -> int:
    """WAREHOUSE_ROW_COUNT_SCALE: multiplies the plausible row counts of person-level microdata, for
    scaled benchmark data only (``make bench``); real deliveries leave it unset."""
    return Settings.from_env().row_count_scale


#: dbt's target folder (manifest, partial parse, run results); the dbt assets need it at import.
DBT_TARGET_DIR = process_settings().dbt_target_dir
