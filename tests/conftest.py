"""Shared pytest setup for the test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


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
