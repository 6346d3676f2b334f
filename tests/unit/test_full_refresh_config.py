"""`make run FULL_REFRESH=1` and a backfill's years (`make run YEARS=`) reach dbt through the build
job's run config, the one the daemon's runs use with its default (incremental, no extra years)."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from dagster_project.definitions import build_definitions
from dagster_project.defs.run import QUIET
from dagster_project.defs.transform.assets import DbtBuildConfig, dbt_build_args, dbt_build_run_config
from dagster_project.settings import Settings


def test_full_refresh_is_valid_run_config_of_the_build_job(tmp_path: Path) -> None:
    settings = Settings(
        tmp_path / "landing", tmp_path / "w.duckdb", tmp_path / "serving", tmp_path / "reports"
    )
    job = build_definitions(settings).resolve_job_def("build_warehouse")
    for full_refresh in (True, False):
        assert dg.validate_run_config(job, {**QUIET, **dbt_build_run_config(full_refresh)})
    assert dg.validate_run_config(job, {**QUIET, **dbt_build_run_config(False, [2018, 2016, 2017])})
    assert DbtBuildConfig().full_refresh is False  # the daemon's builds stay incremental
    assert DbtBuildConfig().rebuild_years == []


def test_dbt_gets_the_full_refresh_flag_or_the_backfill_years() -> None:
    assert dbt_build_args(DbtBuildConfig()) == ["build", "--log-level-file", "warn"]
    assert dbt_build_args(DbtBuildConfig(full_refresh=True))[-1] == "--full-refresh"
    args = dbt_build_args(DbtBuildConfig(rebuild_years=[2018, 2016]))
    assert args[-2] == "--vars" and json.loads(args[-1]) == {"rebuild_years": [2016, 2018]}
