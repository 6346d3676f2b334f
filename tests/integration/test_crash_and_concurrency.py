"""Killed runs, runs started together and BI readers during a run: serving is never a mixture.

Runs are forked from the test process (imports already warm), use a persistent Dagster instance as
`make run` does, and are killed with SIGKILL at the fault points of
``dagster_project.core.operations.faults``; the BI reader is a separate process that queries the
published copy through SQLAlchemy + duckdb-engine, as Superset does, for the whole time.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.core.operations.faults import CRASH_ENV
from dagster_project.settings import Settings
from tests.integration.conftest import Warehouse, copy_warehouse, settings_under

pytestmark = pytest.mark.integration


def _child(root: str, crash_at: str | None, dagster_home: str) -> None:
    """One `make run` of the 2018 delivery, with a persistent instance (pool slots and runs persist)."""
    import dagster as dg

    from dagster_project.defs.run import ensure_dagster_home, run_pipeline

    if crash_at:
        os.environ[CRASH_ENV] = crash_at
    os.environ["DAGSTER_HOME"] = dagster_home
    ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        summary = run_pipeline(instance, settings_under(Path(root)), years=(2018, 2018))
    os._exit(0 if summary.success else 1)


def start_run(root: Path, dagster_home: Path, crash_at: str | None = None) -> multiprocessing.Process:
    args = (str(root), crash_at, str(dagster_home))
    process = multiprocessing.get_context("fork").Process(target=_child, args=args)
    process.start()
    return process


def finish(process: multiprocessing.Process, timeout: float = 600) -> int | None:
    """A hang guard, not a speed limit: parallel test workers share the cores with the run."""
    process.join(timeout)
    if process.is_alive():
        process.kill()
        pytest.fail("the run did not finish")
    return process.exitcode


def serving_state(settings: Settings) -> dict[str, object]:
    """The live publication, checked for consistency: database and Parquet of one publication."""
    serving = settings.serving_dir
    version = (serving / "current").resolve()
    with duckdb.connect(str(serving / "warehouse.duckdb"), read_only=True) as conn:
        ids = conn.execute("select distinct publication_id from marts.publication").fetchall()
        published = set(conn.execute("select file_sha256 from marts.publication").fetchall())
        current = set(
            conn.execute("select file_sha256 from marts.fct_extract_loads where is_current").fetchall()
        )
    parquet_ids = duckdb.sql(
        f"select distinct publication_id from '{serving / 'parquet' / 'publication.parquet'}'"
    ).fetchall()
    assert len(ids) == 1 and ids == parquet_ids, (ids, parquet_ids)
    assert published == current
    assert version.name == ids[0][0]
    return {
        "id": ids[0][0],
        "files": {
            str(p.relative_to(version)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(version.rglob("*"))
            if p.is_file()
        },
    }


def change_2018_delivery(warehouse: Warehouse) -> None:
    delivery = warehouse.settings.landing_dir / "national_figures" / "2018" / "nasjonale_tall_2018.csv"
    delivery.write_text(
        delivery.read_text(encoding="utf-8").replace("\n11;2018;5449;", "\n11;2018;5450;"), encoding="utf-8"
    )


def loads_2018(settings: Settings) -> int:
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        return conn.execute(
            "select count(*) from raw.extract_loads "
            "where source = 'national_figures' and delivery_year = 2018"
        ).fetchone()[0]


READER = r"""
import json, sys, time, pathlib
import duckdb
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

serving, stop, out = (pathlib.Path(a) for a in sys.argv[1:4])
# One connection per query (NullPool): a reconnect sees the newest publication.
url = f"duckdb:///{serving / 'warehouse.duckdb'}?access_mode=read_only"
engine = sa.create_engine(url, poolclass=NullPool)
seen, errors, inconsistent, queries = [], [], [], 0
while True:
    last = stop.exists()
    try:
        with engine.connect() as conn:
            ids = [r[0] for r in conn.execute(
                sa.text("select distinct publication_id from marts.publication"))]
            published = {r[0] for r in conn.execute(sa.text("select file_sha256 from marts.publication"))}
            current = {r[0] for r in conn.execute(sa.text(
                "select file_sha256 from marts.fct_extract_loads where is_current"))}
            values = conn.execute(sa.text("select count(*) from marts.fct_indicator_values")).scalar()
        version = (serving / "current").resolve()
        with duckdb.connect(str(version / "warehouse.duckdb"), read_only=True) as conn:
            db_id = conn.execute("select distinct publication_id from marts.publication").fetchall()
        parquet_id = duckdb.sql(
            f"select distinct publication_id from '{version / 'parquet' / 'publication.parquet'}'").fetchall()
        queries += 1
        if len(ids) != 1 or published != current or values != 195 or db_id != parquet_id:
            inconsistent.append(
                [ids, sorted(published), sorted(current), values, str(db_id), str(parquet_id)])
        elif not seen or seen[-1] != ids[0]:
            seen.append(ids[0])
    except Exception as exc:
        errors.append(repr(exc))
    if queries == 1:
        out.with_suffix(".ready").touch()
    if last:
        break
    time.sleep(0.2)
out.write_text(json.dumps({"seen": seen, "errors": errors, "inconsistent": inconsistent, "queries": queries}))
"""


def test_killed_runs_then_two_runs_at_once_while_a_bi_client_reads_throughout(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    """Kill a run during ingest, during dbt and during publish; then start two runs at once.

    A BI client (SQLAlchemy + duckdb-engine, its own process, one connection per query) reads the
    served copy the whole time: it must never get an error and never see a publication whose
    tables, publication record and Parquet files disagree. Serving stays the old publication
    through every kill; the next runs complete (the first one frees the pool slots the killed
    runs held) and queue behind each other instead of colliding.
    """
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    settings = warehouse.settings
    home = tmp_path / "dagster_home"
    change_2018_delivery(warehouse)
    old = serving_state(settings)
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        earlier = {b for (b,) in conn.execute("select distinct batch_id from raw.run_log").fetchall()}
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(settings.serving_dir), str(stop), str(out)])
    try:
        deadline = time.monotonic() + 60
        while not out.with_suffix(".ready").exists():
            assert reader.poll() is None and time.monotonic() < deadline, "the BI reader did not start"
            time.sleep(0.1)

        # Killed inside the raw load transaction: nothing of the new vintage is in the warehouse.
        assert finish(start_run(warehouse.root, home, "ingest_mid_transaction")) == -signal.SIGKILL
        assert loads_2018(settings) == 1
        assert serving_state(settings) == old
        # The next run loads it, and is killed in the middle of dbt build (dbt dies with it).
        assert finish(start_run(warehouse.root, home, "dbt_mid_build")) == -signal.SIGKILL
        assert loads_2018(settings) == 2
        assert serving_state(settings) == old
        # The next one writes a complete new publication and is killed just before the swap.
        assert finish(start_run(warehouse.root, home, "publish_before_swap")) == -signal.SIGKILL
        assert serving_state(settings) == old

        first, second = start_run(warehouse.root, home), start_run(warehouse.root, home)
        assert (finish(first), finish(second)) == (0, 0)
        time.sleep(1)
        stop.touch()
        reader.wait(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()

    seen = json.loads(out.read_text())
    assert seen["errors"] == []
    assert seen["inconsistent"] == []
    final = serving_state(settings)
    assert seen["seen"][0] == old["id"] and seen["seen"][-1] == final["id"] and len(seen["seen"]) >= 2
    assert seen["queries"] > 10
    with duckdb.connect(str(settings.serving_dir / "warehouse.duckdb"), read_only=True) as conn:
        value = conn.execute(
            "select value from marts.fct_indicator_values where indicator_no = 11 and year = 2018"
        ).fetchone()[0]
    assert value == 5450.0  # a published (not computed) indicator, so reconciliation is not involved
    assert loads_2018(settings) == 2  # the killed attempts left no duplicate; the last run found it unchanged
    versions = {p.name for p in (settings.serving_dir / ".versions").iterdir()}
    assert final["id"] in versions and len(versions) == 2  # the unswapped, crashed one is gone

    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        failed = [r for r in instance.get_runs() if r.status == dg.DagsterRunStatus.FAILURE]
        started = [r for r in instance.get_runs() if r.status == dg.DagsterRunStatus.STARTED]
        claimed = instance.event_log_storage.get_concurrency_info("duckdb_warehouse").claimed_slots
    assert len(failed) == 3 and not started and not claimed

    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        spans = conn.execute(
            "select batch_id, min(logged_at), max(logged_at), count(*) filter (where step = 'publish') "
            "from raw.run_log group by batch_id order by 2"
        ).fetchall()
    completed = [s for s in spans if s[0] not in earlier and s[3] == 1]
    assert len(completed) == 2
    assert completed[0][2] < completed[1][1], "the two runs overlapped instead of queueing"
