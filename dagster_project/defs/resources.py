"""Resources shared by the asset modules: where files live, the DuckDB warehouse, and dbt."""

from __future__ import annotations

import importlib.metadata
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliInvocation, DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from dagster_project.defs.transform.project import DBT_PROJECT
from dagster_project.settings import Settings


class WarehousePaths(dg.ConfigurableResource):
    """File locations of the external contract (landing, reports, serving)."""

    landing_dir: str
    reports_dir: str
    serving_dir: str
    log_dir: str

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehousePaths:
        return cls(
            landing_dir=str(settings.landing_dir),
            reports_dir=str(settings.reports_dir),
            serving_dir=str(settings.serving_dir),
            log_dir=str(settings.log_dir),
        )

    @property
    def logs(self) -> Path:
        return Path(self.log_dir)

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def reports(self) -> Path:
        return Path(self.reports_dir)

    @property
    def serving(self) -> Path:
        return Path(self.serving_dir)


#: DuckDB's memory in the Dagster process (it spills to disk beyond this): that process also holds
#: the delivery being loaded as a frame. dbt's own DuckDB has its limit in dbt/profiles.yml.
DUCKDB_MEMORY_LIMIT = "512MB"


def warehouse_resource(settings: Settings) -> DuckDBResource:
    settings.warehouse_db.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(
        database=str(settings.warehouse_db), connection_config={"memory_limit": DUCKDB_MEMORY_LIMIT}
    )


class WarehouseDbtCli(DbtCliResource):
    """dagster-dbt's CLI resource, without a ``dbt --version`` process or a dbt adapter before every build.

    The resource asks the dbt executable for its version (a separate Python process: seconds of
    every run) to tell dbt Core from the Fusion engine. Ours is the dbt-core installed beside
    Dagster in the same environment (``dbt_executable`` below), so its package version is the answer.
    """

    #: What dbt's profiles.yml reads (the working warehouse, the engine and its server), handed to
    #: dbt with each invocation: ``Settings.dbt_env``.
    dbt_env: dict[str, str]

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        """No dbt adapter in the Dagster process.

        dagster-dbt builds one before starting dbt (profile, project, every macro from the partial
        parse file: seconds before dbt even starts) only for ``fetch_column_metadata`` and
        ``fetch_row_counts``, which this project does not use; the invocation takes None.
        """
        return None

    def cli(self, args, **kwargs) -> DbtCliInvocation:  # type: ignore[override]
        """Start dbt with this warehouse's path and engine in its environment.

        dagster-dbt builds the dbt process's environment from ``os.environ`` when it starts it; the
        path is set only for that moment, then restored.
        """
        with _environment(**self.dbt_env):
            return super().cli(args, **kwargs)


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    previous = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v})
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_resource(settings: Settings) -> WarehouseDbtCli:
    return WarehouseDbtCli(
        project_dir=DBT_PROJECT,
        dbt_executable=str(Path(sys.executable).parent / "dbt"),
        dbt_env=settings.dbt_env(),
    )
