"""The unattended path for real: `dagster-daemon run` on a built warehouse, as `make ui` starts it.

One daemon session, three cases in turn (short sensor intervals through the environment, every
wait bounded):
1. unchanged deliveries: the sensor ticks and requests nothing;
2. a new year folder: one ingest run per delivery year (a step per delivery), one build, one
   publication serving it;
3. a rejected file: its ingest run fails, no build follows, serving stays byte-identical, and
   the rejected delivery is no materialized partition of landing or raw.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.settings import REPO_ROOT
from tests.integration.conftest import Warehouse, copy_warehouse
from tests.integration.test_automation import add_2019_delivery

pytestmark = pytest.mark.integration

INTERVAL = 2  # seconds between two looks of each sensor
DEADLINE = 300  # seconds any one case may take at most (a hang guard: parallel workers share the cores)
#: The test's instance takes queued runs off the queue every second (Dagster's default: every 5 s).
QUICK_QUEUE = """
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
"""


def wait_for(what: str, condition: Callable[[], bool], timeout: float = DEADLINE) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(1)


def sensor_ticks(instance: dg.DagsterInstance, name: str) -> list:
    states = [s for s in instance.all_instigator_state() if s.instigator_name == name]
    return [t for s in states for t in instance.get_ticks(s.instigator_origin_id, s.selector_id, limit=100)]


def serving_bytes(serving: Path) -> dict[str, bytes]:
    current = (serving / "current").resolve()
    return {str(p.relative_to(current)): p.read_bytes() for p in sorted(current.rglob("*")) if p.is_file()}


def finished(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> bool:
    statuses = [instance.get_run_by_id(r.run_id).status for r in runs]
    return all(s in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE) for s in statuses)


@pytest.fixture
def daemon(sample_warehouse: Warehouse, tmp_path: Path) -> Iterator[tuple[Warehouse, dg.DagsterInstance]]:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (REPO_ROOT / "dagster.yaml").read_text(encoding="utf-8") + QUICK_QUEUE, encoding="utf-8"
    )
    s = warehouse.settings
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "WAREHOUSE_LANDING_DIR": str(s.landing_dir),
        "WAREHOUSE_DB": str(s.warehouse_db),
        "WAREHOUSE_SERVING_DIR": str(s.serving_dir),
        "WAREHOUSE_REPORTS_DIR": str(s.reports_dir),
        "WAREHOUSE_LOG_DIR": str(tmp_path / "logs"),
        "WAREHOUSE_SENSOR_INTERVAL": str(INTERVAL),
        "WAREHOUSE_SETTLE_SECONDS": "1",
    }
    log = (tmp_path / "daemon.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            yield warehouse, instance
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_the_daemon_loads_what_changed_once_and_nothing_else(daemon) -> None:
    warehouse, instance = daemon
    settings = warehouse.settings

    # 1. Unchanged deliveries: several looks of the sensor, not one run.
    wait_for("three looks of new_deliveries", lambda: len(sensor_ticks(instance, "new_deliveries")) >= 3)
    assert instance.get_runs() == []

    # 2. A new year folder: one ingest run, then one build that publishes it.
    add_2019_delivery(settings.landing_dir)
    wait_for(
        "the ingest and the build",
        lambda: len(runs := instance.get_runs()) >= 2 and finished(instance, runs),
    )
    runs = instance.get_runs()
    assert sorted((r.job_name, r.status.value) for r in runs) == [
        ("build_warehouse", "SUCCESS"),
        ("ingest_deliveries", "SUCCESS"),
    ], [(r.job_name, r.status.value) for r in runs]
    with duckdb.connect(str(settings.serving_dir / "warehouse.duckdb"), read_only=True) as conn:
        (published,) = conn.execute("select max(delivery_year) from marts.publication").fetchone()
    assert published == 2019
    published_once = serving_bytes(settings.serving_dir)
    ticks = len(sensor_ticks(instance, "new_deliveries"))
    wait_for("two more looks", lambda: len(sensor_ticks(instance, "new_deliveries")) >= ticks + 2)
    assert len(instance.get_runs()) == 2  # loaded: no second request for the same file

    # 3. A rejected file: its ingest run fails, and nothing is built or published.
    bad = settings.landing_dir / "national_figures" / "2019" / "nasjonale_tall_2019.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(";15894;", ";15.894;"), encoding="utf-8")
    wait_for(
        "the rejected ingest", lambda: len(runs := instance.get_runs()) >= 3 and finished(instance, runs)
    )
    ticks = len(sensor_ticks(instance, "new_deliveries"))
    wait_for("two more looks", lambda: len(sensor_ticks(instance, "new_deliveries")) >= ticks + 2)
    runs = instance.get_runs()
    assert [(r.job_name, r.status.value) for r in runs[: len(runs) - 2]] == [("ingest_deliveries", "FAILURE")]
    assert serving_bytes(settings.serving_dir) == published_once
    for layer in ("landing", "raw"):
        key = dg.AssetKey([layer, "national_figures"])
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=["2019"]), limit=10
        ).records
        assert [r.run_id for r in records] == [runs[-1].run_id]  # the good file's run only
    wait_for(
        "the skipped build in raw.run_log",
        lambda: (
            _skipped_steps(settings.warehouse_db, runs[0].tags["warehouse/batch"]) == {"build", "publish"}
        ),
        timeout=30,
    )


def _skipped_steps(warehouse_db: Path, batch: str) -> set[str]:
    from dagster_project.core.operations.lock import warehouse_lock

    with warehouse_lock(warehouse_db), duckdb.connect(str(warehouse_db), read_only=True) as conn:
        rows = conn.execute(
            "select step from raw.run_log where batch_id = ? and outcome = 'skipped'", [batch]
        ).fetchall()
    return {r[0] for r in rows}
