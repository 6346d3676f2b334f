"""Pure operations logic: noticing deliveries, deciding a build, the writer lock, the summary."""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import pytest

from dagster_project.operations.deliveries import build_ready, plan_deliveries
from dagster_project.operations.lock import WarehouseBusy, warehouse_lock
from dagster_project.operations.summary import DeliveryLine, RunReport, summary_lines
from dagster_project.run import parse_years


def deliver(landing: Path, year: int, text: str = "a;b\n", name: str = "x.csv") -> Path:
    path = landing / "national_figures" / str(year) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (time.time() - 600, time.time() - 600))
    return path


def test_new_changed_and_settling_folders(tmp_path: Path) -> None:
    deliver(tmp_path, 2017)
    first = plan_deliveries(tmp_path, ["national_figures", "other_source"], {})
    assert [s.key for s in first.changed] == ["national_figures/2017"]
    assert not plan_deliveries(tmp_path, ["national_figures"], first.cursor).changed

    path = deliver(tmp_path, 2017, "a;b\n1;2\n")  # same name, new content
    deliver(tmp_path, 2018)
    second = plan_deliveries(tmp_path, ["national_figures"], first.cursor)
    assert [s.key for s in second.changed] == ["national_figures/2017", "national_figures/2018"]

    os.utime(path)  # touched, not changed: nothing to do
    assert not plan_deliveries(tmp_path, ["national_figures"], second.cursor, settle_seconds=0).changed

    fresh = tmp_path / "national_figures" / "2019" / "y.csv"  # still being copied in
    fresh.parent.mkdir()
    fresh.write_text("a;", encoding="utf-8")
    third = plan_deliveries(tmp_path, ["national_figures"], second.cursor, settle_seconds=60)
    assert not third.changed and [s.key for s in third.settling] == ["national_figures/2019"]
    assert "national_figures/2019" not in third.cursor
    later = plan_deliveries(
        tmp_path, ["national_figures"], second.cursor, settle_seconds=60, now=time.time() + 61
    )
    assert [s.key for s in later.changed] == ["national_figures/2019"]


def test_a_second_file_in_a_folder_is_a_change(tmp_path: Path) -> None:
    deliver(tmp_path, 2018)
    first = plan_deliveries(tmp_path, ["national_figures"], {})
    deliver(tmp_path, 2018, name="y.xlsx")
    assert [s.key for s in plan_deliveries(tmp_path, ["national_figures"], first.cursor).changed] == [
        "national_figures/2018"
    ]


def test_the_build_waits_for_the_whole_batch_and_never_follows_a_failure() -> None:
    assert build_ready(["SUCCESS"], 2) == (False, "1 of 2 ingest runs done; the build waits for the rest")
    assert build_ready(["SUCCESS", "SUCCESS"], 2)[0]
    ready, reason = build_ready(["SUCCESS", "FAILURE"], 2)
    assert not ready and "1 of 2 ingest runs failed" in reason


def test_the_lock_queues_writers_and_is_reentrant(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    order: list[str] = []

    def second_writer() -> None:
        with warehouse_lock(db, poll=0.01) as waited:
            order.append(f"second after {waited:.1f}")

    with warehouse_lock(db) as waited, warehouse_lock(db) as inner:
        assert waited < 0.2 and inner == 0.0  # a free lock is taken at the first try, no poll slept
        other = threading.Thread(target=second_writer)
        other.start()
        time.sleep(0.3)
        order.append("first done")
    other.join()
    assert order[0] == "first done" and order[1].startswith("second after")
    assert float(order[1].split()[-1]) >= 0.2
    refused: list[str] = []

    def impatient_writer() -> None:
        try:
            with warehouse_lock(db, timeout=0.1):
                refused.append("got it")
        except WarehouseBusy as busy:
            refused.append(str(busy))

    with warehouse_lock(db):
        thread = threading.Thread(target=impatient_writer)
        thread.start()
        thread.join()
    assert "being written by another run (pid " in refused[0]


def test_summary_lines() -> None:
    report = RunReport(
        batch_id="20190301T060000-abcd1234",
        deliveries=[
            DeliveryLine("national_figures", 2018, "a.csv", "f" * 64, "loaded", 64, 14, 0),
            DeliveryLine("national_figures", 2017, "b.xlsx", "e" * 64, "unchanged", 84, 14, 0),
        ],
        dbt_passed=55,
        dbt_failed=0,
        publication_id="20190301T060100-ffff0000",
        published="fct_indicator_values (195)",
    )
    lines = summary_lines(report)
    assert lines[1].startswith("  national_figures 2017  b.xlsx  84 rows")
    assert "checks in total: 83 passed, 0 failed" in "\n".join(lines)
    assert lines[-1] == "  published 20190301T060100-ffff0000: fct_indicator_values (195)"
    rejected = RunReport(batch_id="x", quarantined=["national_figures 2018: bad.csv: rule 'has_rows'"])
    assert "nothing published" in "\n".join(summary_lines(rejected))


def test_parse_years() -> None:
    assert parse_years("2016-2018") == (2016, 2018)
    assert parse_years("2018") == (2018, 2018)
    for bad in ("2018-2016", "20x8", "2016-"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_years(bad)
