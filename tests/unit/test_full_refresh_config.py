"""`make run FULL_REFRESH=1` reaches dbt through the build job's run config, the one the daemon's
runs use with its default (incremental)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dagster_project.definitions import build_definitions
from dagster_project.defs.run import QUIET
from dagster_project.defs.transform.assets import DbtBuildConfig, dbt_build_run_config
from dagster_project.settings import Settings


def test_full_refresh_is_valid_run_config_of_the_build_job(tmp_path: Path) -> None:
    settings = Settings(
        tmp_path / "landing", tmp_path / "w.duckdb", tmp_path / "serving", tmp_path / "reports"
    )
    job = build_definitions(settings).resolve_job_def("build_warehouse")
    for full_refresh in (True, False):
        assert dg.validate_run_config(job, {**QUIET, **dbt_build_run_config(full_refresh)})
    assert DbtBuildConfig().full_refresh is False  # the daemon's builds stay incremental
