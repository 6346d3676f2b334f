"""A real pipeline run on the bundled sample, into a temporary warehouse, shared by the tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.core.engines.config import EngineConfig
from dagster_project.defs.run import RunSummary, run_pipeline
from dagster_project.sample.generate import generate
from dagster_project.settings import REPO_ROOT, Settings


@dataclass(frozen=True)
class Warehouse:
    root: Path
    settings: Settings
    summary: RunSummary
    #: The persistent Dagster instance the sample run went through (scanned for delivered data).
    dagster_home: Path | None = None


def settings_under(root: Path, engine: EngineConfig | None = None) -> Settings:
    """A warehouse under ``root``; on DuckDB unless another engine is given (Settings carries it)."""
    return Settings(
        landing_dir=root / "landing",
        warehouse_db=root / "warehouse.duckdb",
        serving_dir=root / "serving",
        reports_dir=root / "reports",
        engine=engine or EngineConfig(),
    )


def run(root: Path, dagster_home: Path | None = None) -> RunSummary:
    if dagster_home is None:
        with dg.DagsterInstance.ephemeral() as instance:
            return run_pipeline(instance, settings_under(root))
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return run_pipeline(instance, settings_under(root))


def copy_warehouse(source: Warehouse, target: Path) -> Warehouse:
    """An independent copy of a built warehouse (files only), for tests that change it."""
    shutil.copytree(source.root, target, symlinks=True)
    return Warehouse(root=target, settings=settings_under(target), summary=source.summary)


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("sample")
    home = tmp_path_factory.mktemp("sample_dagster_home")
    generate(root / "landing")
    summary = run(root, home)
    assert summary.success, summary.failures
    return Warehouse(root=root, settings=settings_under(root), summary=summary, dagster_home=home)
