"""Shared pytest setup for the test suite.

Each test session (each pytest-xdist worker) gets its own Dagster instance and its own copy of dbt's
target folder, so that parallel workers and a developer's own runs never write the same file.
Under pytest-xdist (``make test``), the tests are ordered so that the expensive shared fixtures
are built at once on different workers (see ``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The tests that take longest (mostly waiting on runs in other processes): started first.
LONGEST_FIRST = ("test_crash_and_concurrency.py",)
#: Long, mostly waiting on the daemon: on the second worker, after the PostgreSQL group, so the two
#: longest tests do not queue behind each other on the worker that builds the sample warehouse.
SECOND_WORKER_FIRST = ("test_daemon.py",)

_dbt_target: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """dbt writes run results and its partial parse into its target folder: give the session its own
    copy of the one `make manifest` prepared (read at import, so set before any test module loads)."""
    source = Path(os.environ.get("WAREHOUSE_DBT_TARGET") or REPO_ROOT / "dbt" / "target")
    copy = Path(tempfile.mkdtemp(prefix="warehouse-test-dbt-target-"))
    if source.is_dir():
        for path in source.iterdir():
            if path.is_file():
                shutil.copy2(path, copy / path.name)
    _dbt_target.update(previous=os.environ.get("WAREHOUSE_DBT_TARGET"), copy=str(copy))
    os.environ["WAREHOUSE_DBT_TARGET"] = str(copy)


def pytest_unconfigure(config: pytest.Config) -> None:
    if "copy" not in _dbt_target:
        return
    copy = _dbt_target.pop("copy")
    shutil.rmtree(copy, ignore_errors=True)
    Path(f"{copy}-warehouse").unlink(missing_ok=True)  # tests/integration/conftest.py: _TestSettings
    previous = _dbt_target.pop("previous")
    if previous is None:
        os.environ.pop("WAREHOUSE_DBT_TARGET", None)
    else:
        os.environ["WAREHOUSE_DBT_TARGET"] = previous


def _worksteal_chunks(count: int, workers: int) -> list[int]:
    """How pytest-xdist's worksteal scheduler first splits ``count`` tests over the workers."""
    sizes = []
    for worker in range(workers):
        sizes.append(count // (workers - worker))
        count -= sizes[-1]
    return sizes


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On xdist workers: the first worker's queue starts with the tests of the shared sample
    warehouse (the longest first), so it builds it; the second's with the PostgreSQL run, the daemon
    test and the other integration tests; unit tests fill both, and under worksteal an idle worker steals from
    the end of another's queue. (Every worker orders the same way, as xdist requires.)"""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))  # set on xdist workers only
    if workers < 2:
        return

    def longest_first(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    postgres = [i for i in items if "postgres_warehouse" in i.fixturenames]
    postgres.sort(key=lambda i: "sample_warehouse" in i.fixturenames)  # the comparison last
    postgres += [i for i in items if i.path.name in SECOND_WORKER_FIRST and i not in postgres]
    sample = sorted(
        (i for i in items if "sample_warehouse" in i.fixturenames and i not in postgres), key=longest_first
    )
    taken = {id(i) for i in postgres + sample}
    integration = [i for i in items if id(i) not in taken and "integration" in i.path.parts]
    taken |= {id(i) for i in integration}
    rest = [i for i in items if id(i) not in taken]

    sizes = _worksteal_chunks(len(items), workers)
    queues: list[list[pytest.Item]] = [sample, postgres + integration] + [[] for _ in sizes[2:]]
    pool: list[pytest.Item] = []
    for queue, size in zip(queues, sizes, strict=True):
        pool += queue[size:]
        del queue[size:]
    pool += rest
    for queue, size in zip(queues, sizes, strict=True):
        missing = size - len(queue)
        queue += pool[:missing]
        del pool[:missing]
    assert not pool
    items[:] = [item for queue in queues for item in queue]


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never touch the repository's own Dagster instance (data/dagster_home)."""
    from dagster_project.defs.run import ensure_dagster_home

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("dagster_home"))
    ensure_dagster_home()
    yield
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous
