"""A real pipeline run on the bundled sample, into a temporary warehouse, shared by the tests."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class _TestSettings(Settings):
    """Settings whose dbt reaches the warehouse through one fixed path per test session.

    dbt keys its partial parse on the connection (the warehouse path among it), so each new test
    warehouse made dbt parse the whole project again (~5 s a build). The session's fixed path is a
    symbolic link to the folder of the warehouse being built (tests in a session run one after the
    other; concurrent runs in a test share its warehouse): dbt builds the same file, parsing only
    what changed. Everything but dbt uses the real path.
    """

    def dbt_env(self) -> dict[str, str]:
        env = super().dbt_env()
        link = _dbt_warehouse_link()
        if link is not None:
            _point(link, self.warehouse_db.parent)
            env["WAREHOUSE_DB"] = str(link / self.warehouse_db.name)
        return env


def _dbt_warehouse_link() -> Path | None:
    """Next to the session's copy of dbt's target folder (tests/conftest.py), which holds the parse."""
    target = os.environ.get("WAREHOUSE_DBT_TARGET")
    return Path(f"{target}-warehouse") if target else None


def _point(link: Path, folder: Path) -> None:
    """Point ``link`` at ``folder`` in one atomic rename (a forked run may do it at the same time)."""
    if link.is_symlink() and Path(os.readlink(link)) == folder:
        return
    temporary = link.with_name(f"{link.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(folder, target_is_directory=True)
    os.replace(temporary, link)


def settings_under(root: Path, engine: EngineConfig | None = None) -> Settings:
    """A warehouse under ``root``; on DuckDB unless another engine is given (Settings carries it).

    Everything a run writes stays under ``root`` (dbt's build log too), so parallel test workers
    never share a file."""
    return _TestSettings(
        landing_dir=root / "landing",
        warehouse_db=root / "warehouse.duckdb",
        serving_dir=root / "serving",
        reports_dir=root / "reports",
        log_dir=root / "logs",
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


def _build_sample(root: Path, home: Path) -> Warehouse:
    generate(root / "landing")
    summary = run(root, home)
    assert summary.success, summary.failures
    return Warehouse(root=root, settings=settings_under(root), summary=summary, dagster_home=home)


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The sample, loaded, built and published once per test session.

    Under pytest-xdist the first worker that needs it builds it into the run's shared temporary
    folder; every worker (the builder too) then works on its own copy of the files (warehouse,
    serving, reports and the Dagster instance), as tests that copy the warehouse already do.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _build_sample(
            tmp_path_factory.mktemp("sample"), tmp_path_factory.mktemp("sample_dagster_home")
        )
    shared = tmp_path_factory.getbasetemp().parent / "shared_sample"
    summary_file = shared / "run_summary.pickle"  # run metadata only, never rows; not in DAGSTER_HOME
    with _exclusive(tmp_path_factory.getbasetemp().parent / "shared_sample.lock"):
        if not summary_file.exists():
            shutil.rmtree(shared, ignore_errors=True)  # a builder that failed half-way
            (shared / "dagster_home").mkdir(parents=True)
            built = _build_sample(shared / "sample", shared / "dagster_home")
            summary_file.write_bytes(pickle.dumps(built.summary))
    summary = pickle.loads(summary_file.read_bytes())
    mine = tmp_path_factory.mktemp("sample_copy")
    shutil.copytree(shared / "dagster_home", mine / "dagster_home", symlinks=True)
    copied = copy_warehouse(
        Warehouse(shared / "sample", settings_under(shared / "sample"), summary), mine / "sample"
    )
    return replace(copied, dagster_home=mine / "dagster_home")
