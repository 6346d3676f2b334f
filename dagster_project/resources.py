"""Resources shared by the asset modules: where files live and the DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.settings import Settings


class WarehousePaths(dg.ConfigurableResource):
    """File locations of the external contract (landing, reports, serving)."""

    landing_dir: str
    reports_dir: str
    serving_dir: str

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehousePaths:
        return cls(
            landing_dir=str(settings.landing_dir),
            reports_dir=str(settings.reports_dir),
            serving_dir=str(settings.serving_dir),
        )

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def reports(self) -> Path:
        return Path(self.reports_dir)

    @property
    def serving(self) -> Path:
        return Path(self.serving_dir)


def warehouse_resource(settings: Settings) -> DuckDBResource:
    settings.warehouse_db.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(settings.warehouse_db))
