"""Where the warehouse reads and writes: the external contract's paths and their env-var overrides.

Paths are resolved to absolute paths once, so that dbt (a subprocess with its own working
directory) and Dagster agree on the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

#: The single Dagster concurrency pool that every DuckDB writer joins (limit 1 in dagster.yaml).
WAREHOUSE_WRITER_POOL = "duckdb_warehouse"


def row_count_scale() -> int:
    """WAREHOUSE_ROW_COUNT_SCALE (default 1): multiplies the plausible row counts of person-level
    microdata, for scaled benchmark data only (``make bench``); real deliveries leave it unset."""
    text = os.environ.get("WAREHOUSE_ROW_COUNT_SCALE", "1")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"WAREHOUSE_ROW_COUNT_SCALE must be a whole number >= 1, not '{text}'")
    return int(text)


def _path_from_env(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


#: dbt's target folder (manifest, partial parse, run results). WAREHOUSE_DBT_TARGET gives a separate
#: one to a process that must not share dbt/target with `make run` or the tests (``make bench``).
DBT_TARGET_DIR = _path_from_env("WAREHOUSE_DBT_TARGET", DBT_PROJECT_DIR / "target")


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_db: Path
    serving_dir: Path
    reports_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        data = REPO_ROOT / "data"
        return cls(
            landing_dir=_path_from_env("WAREHOUSE_LANDING_DIR", data / "landing"),
            warehouse_db=_path_from_env("WAREHOUSE_DB", data / "warehouse.duckdb"),
            serving_dir=_path_from_env("WAREHOUSE_SERVING_DIR", data / "serving"),
            reports_dir=_path_from_env("WAREHOUSE_REPORTS_DIR", data / "reports"),
        )

    def export_for_dbt(self) -> None:
        """dbt's profiles.yml reads WAREHOUSE_DB; give it the absolute path we resolved."""
        os.environ["WAREHOUSE_DB"] = str(self.warehouse_db)
