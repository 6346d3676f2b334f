"""Measuring one pipeline run: wall time, peak memory of the process tree, and time per stage.

The run is ``python -m dagster_project.cli`` in a fresh process with its own landing folder,
warehouse and Dagster home, as a scheduled yearly run would be. Stage times come from the step
records that run leaves in its Dagster instance.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.core.operations.log import BATCH_TAG
from dagster_project.settings import REPO_ROOT

#: The benchmark's own dbt target folder: runs never share dbt/target with make run or the tests.
DBT_TARGET = REPO_ROOT / "data" / "bench" / "work" / "dbt_target"

#: Dagster step key (prefix) -> stage of the pipeline.
STAGES = {
    "ingest": "_delivery",  # one step per delivery: read and type the file, GE suite, raw load
    "dbt": "warehouse_dbt_models",
    "reports": "reports__",
    "publish": "serving__",
}
STAGE_NAMES = ("ingest", "dbt", "reports", "publish", "other")


@dataclass
class RunMeasure:
    wall_s: float
    peak_rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Workspace:
    """Where one pipeline run reads and writes (the environment of ``make run``)."""

    root: Path
    landing: Path

    def env(self, row_count_scale: int) -> dict[str, str]:
        return {
            **os.environ,
            "WAREHOUSE_LANDING_DIR": str(self.landing),
            "WAREHOUSE_DB": str(self.root / "warehouse.duckdb"),
            "WAREHOUSE_SERVING_DIR": str(self.root / "serving"),
            "WAREHOUSE_REPORTS_DIR": str(self.root / "reports"),
            "WAREHOUSE_ROW_COUNT_SCALE": str(row_count_scale),
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "WAREHOUSE_DBT_TARGET": str(DBT_TARGET),
            "GX_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in kB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_pipeline(workspace: Workspace, row_count_scale: int, log: Path) -> RunMeasure:
    """One ``python -m dagster_project.cli``; raises if it fails (a benchmark of a failure is void)."""
    peak = 0
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.cli"],
            cwd=REPO_ROOT,
            env=workspace.env(row_count_scale),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                peak = max(peak, _tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    if code != 0:
        raise RuntimeError(f"the pipeline run failed (exit {code}); see {log}")
    return RunMeasure(wall_s=wall, peak_rss_mb=peak / 1024, stages=stage_times(workspace, wall))


def stage_times(workspace: Workspace, wall: float) -> dict[str, float]:
    """Seconds per stage of the newest batch in the workspace's Dagster instance; 'other' is the rest
    of the wall time (process start, imports, Dagster's own bookkeeping between steps)."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(workspace.root / "dagster_home")
    stages = dict.fromkeys(STAGE_NAMES, 0.0)
    with dg.DagsterInstance.get() as instance:
        records = instance.get_run_records(limit=1)
        if not records:
            return stages
        batch = records[0].dagster_run.tags.get(BATCH_TAG)
        runs = instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch}))
        for run in runs:
            for step in instance.get_run_step_stats(run.run_id):
                if step.start_time is None or step.end_time is None:
                    continue
                stage = next((name for name, key in STAGES.items() if key in step.step_key), "other")
                stages[stage] += step.end_time - step.start_time
    stages["other"] = max(0.0, wall - sum(v for k, v in stages.items() if k != "other"))
    return stages


def median_and_spread(values: list[float]) -> tuple[float, float]:
    """Median, and the spread as (max - min) / median: how much these noisy machines varied."""
    if not values:
        return float("nan"), float("nan")
    middle = statistics.median(values)
    return middle, (max(values) - min(values)) / middle if middle else 0.0
