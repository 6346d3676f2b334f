"""Pure operations logic: noticing deliveries, deciding a build, the writer lock, the summary."""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import pytest

from dagster_project.core.ingest.files import sha256_file
from dagster_project.core.ingest.raw_tables import CurrentLoad
from dagster_project.core.operations.lock import WarehouseBusy, warehouse_lock
from dagster_project.core.operations.planning import build_ready, ingest_requests, plan_loads
from dagster_project.core.operations.summary import DeliveryLine, RunReport, summary_lines
from dagster_project.defs.run import parse_years


def deliver(
    landing: Path, year: int, text: str = "a;b\n", name: str = "x.csv", source: str = "national_figures"
) -> Path:
    path = landing / source / str(year) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (time.time() - 600, time.time() - 600))
    return path


def loaded(path: Path, load_id: str = "load-1", rows: int = 1) -> CurrentLoad:
    """The warehouse's record of ``path`` as the current load of its delivery."""
    return CurrentLoad(load_id, path.name, sha256_file(path), rows)


def keys(loads) -> list[str]:
    return [load.state.key for load in loads]


def test_a_delivery_is_loaded_exactly_when_its_file_differs_from_the_current_load(tmp_path: Path) -> None:
    path = deliver(tmp_path, 2017)
    first = plan_loads(tmp_path, ["national_figures", "other_source"], {})
    assert keys(first.to_load) == ["national_figures/2017"] and first.to_load[0].reason == "new delivery"
    assert first.missing_sources == ["other_source"]

    current = {("national_figures", 2017): loaded(path)}
    same = plan_loads(tmp_path, ["national_figures"], current)
    assert not same.to_load and [u.state.key for u in same.unchanged] == ["national_figures/2017"]
    os.utime(path)  # touched, not changed: nothing to do
    assert not plan_loads(tmp_path, ["national_figures"], current).to_load

    deliver(tmp_path, 2017, "a;b\n1;2\n")  # same name, new content
    deliver(tmp_path, 2018)
    second = plan_loads(tmp_path, ["national_figures"], current)
    assert keys(second.to_load) == ["national_figures/2017", "national_figures/2018"]
    assert second.to_load[0].reason.startswith("changed file (replaces x.csv")

    renamed = tmp_path / "national_figures" / "2017" / "renamed.csv"  # same bytes, another name
    path.write_text("a;b\n", encoding="utf-8")
    path.rename(renamed)
    assert keys(plan_loads(tmp_path, ["national_figures"], current).to_load)[0] == "national_figures/2017"

    assert keys(plan_loads(tmp_path, ["national_figures"], current, years=(2018, 2018)).to_load) == [
        "national_figures/2018"
    ]


def test_a_backfill_reloads_unchanged_deliveries_on_purpose(tmp_path: Path) -> None:
    path = deliver(tmp_path, 2017)
    current = {("national_figures", 2017): loaded(path)}
    plan = plan_loads(tmp_path, ["national_figures"], current, years=(2017, 2017), reload=True)
    assert keys(plan.to_load) == ["national_figures/2017"]


def test_a_folder_being_copied_in_waits(tmp_path: Path) -> None:
    fresh = tmp_path / "national_figures" / "2019" / "y.csv"  # still being copied in
    fresh.parent.mkdir(parents=True)
    fresh.write_text("a;", encoding="utf-8")
    waiting = plan_loads(tmp_path, ["national_figures"], {}, settle_seconds=60)
    assert not waiting.to_load and [s.key for s in waiting.settling] == ["national_figures/2019"]
    later = plan_loads(tmp_path, ["national_figures"], {}, settle_seconds=60, now=time.time() + 61)
    assert keys(later.to_load) == ["national_figures/2019"]


def test_a_folder_that_is_not_one_extract_is_planned_for_its_ingest_to_reject(tmp_path: Path) -> None:
    path = deliver(tmp_path, 2018)
    current = {("national_figures", 2018): loaded(path)}
    deliver(tmp_path, 2018, name="y.xlsx")
    (load,) = plan_loads(tmp_path, ["national_figures"], current).to_load
    assert load.state.file_name is None and load.replaces == current[("national_figures", 2018)]


def test_one_attempt_per_content_and_current_load(tmp_path: Path) -> None:
    path = deliver(tmp_path, 2018)
    (before,) = plan_loads(tmp_path, ["national_figures"], {}).to_load
    (again,) = plan_loads(tmp_path, ["national_figures"], {}).to_load
    assert before.attempt_key == again.attempt_key  # the sensor does not request it twice
    after_load = plan_loads(tmp_path, ["national_figures"], {("national_figures", 2018): loaded(path)})
    assert not after_load.to_load
    (request,) = ingest_requests(plan_loads(tmp_path, ["national_figures"], {}), "b1", "sensor")
    assert (request.job_name, request.partition_key, request.run_key, request.sources) == (
        "ingest_deliveries",
        "2018",
        before.attempt_key,
        ("national_figures",),
    )
    assert request.tags["warehouse/batch_size"] == "1" and request.tags["warehouse/batch"] == "b1"


def test_one_ingest_run_per_delivery_year_of_a_batch(tmp_path: Path) -> None:
    for year in (2017, 2018):
        deliver(tmp_path, year)
        deliver(tmp_path, year, source="population")
    deliver(tmp_path, 2016, source="population")
    plan = plan_loads(tmp_path, ["national_figures", "population"], {})
    requests = ingest_requests(plan, "b2", "make run")
    assert [(r.partition_key, r.sources) for r in requests] == [
        ("2016", ("population",)),
        ("2017", ("national_figures", "population")),
        ("2018", ("national_figures", "population")),
    ]
    assert {r.tags["warehouse/batch_size"] for r in requests} == {"3"}  # runs, not deliveries
    assert requests[1].tags["warehouse/sources"] == "national_figures,population"
    # The run key names every attempt of the run: the same content over the same loads, the same key.
    again = ingest_requests(plan_loads(tmp_path, ["national_figures", "population"], {}), "b3", "sensor")
    assert [r.run_key for r in again] == [r.run_key for r in requests]
    attempts = sorted(p.attempt_key for p in plan.to_load if p.year == "2017")
    assert requests[1].run_key == "|".join(attempts)


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


def test_a_delivery_past_its_expected_date_is_overdue_and_irregular_sources_never_are() -> None:
    from datetime import date

    from dagster_project.core.operations.freshness import lateness, read_calendar

    calendar = read_calendar()
    is24_8 = calendar["is24_8"]
    assert lateness(is24_8, {2018}, date(2019, 2, 28)).on_time  # not due yet
    assert lateness(is24_8, {2018}, date(2019, 3, 2)).on_time  # delivered
    late = lateness(is24_8, {2017}, date(2019, 3, 2))
    assert not late.on_time and late.data_year == 2018 and "overdue" in late.message
    assert "1 days ago" in late.message
    assert lateness(calendar["user_satisfaction"], set(), date(2030, 1, 1)).on_time
    price_index = calendar["price_index"]  # the deflator is due with the national figures
    assert price_index.due(date(2019, 6, 1)) == (2018, date(2019, 3, 1))
    assert not lateness(price_index, {2017}, date(2019, 3, 2)).on_time
    assert lateness(None, set(), date(2030, 1, 1)).on_time


def test_every_source_has_a_row_in_the_delivery_calendar() -> None:
    """A source without a row would silently never warn; an irregular one says so with an empty date."""
    from datetime import date

    from dagster_project.core.ingest.sources import SOURCES
    from dagster_project.core.operations.freshness import read_calendar

    calendar = read_calendar()
    assert set(calendar) == {source.name for source in SOURCES}
    assert all(expected.note for expected in calendar.values())
    assert calendar["brukerplan"].due(date(2030, 1, 1)) is not None
    assert calendar["service_mapping_gp"].due(date(2030, 1, 1)) is None  # a one-off wave


def test_failure_lines_name_every_failing_indicator_capped_with_the_count_of_the_rest() -> None:
    from dagster_project.core.operations.outcomes import FailedCheck, check_lines, console_lines

    mismatches = [
        {"indicator_no": n, "year": 2018, "computed": 42.0, "published": 27.0, "difference": 15.0,
         "tolerance": 0.5, "computed_from": "is24_8"}
        for n in range(1, 26)
    ]  # fmt: skip
    lines = check_lines("indicator 1 2018: ... (+24 more)", {"mismatches": mismatches})
    assert len(lines) == 25 and lines[3].startswith("indicator 4 2018: computed 42.0000 vs published 27")
    check = FailedCheck("marts/fct_indicator_values", "reconcile", "indicator 1 2018: ...", lines)
    shown = console_lines([check], ["step x failed: Blocking check 'reconcile' failed"], cap=20)
    assert len(shown) == 21 and all(line.startswith("reconcile: ") for line in shown)
    assert shown[-1] == "reconcile: ... and 5 more (all of them in the Dagster UI, Checks tab)"
    # A rejected suite: one line per rule, with the failing rows of the file.
    suite = check_lines(
        "x",
        {
            "messages": ["f.csv, row 13, column 'verdi': rule 'percent_within_0_100' (...): value=140"],
            "rules_failed": ["percent_within_0_100"],
            "failing_rows": {"percent_within_0_100": [13, 17, 18]},
        },
    )
    assert suite == [
        "f.csv, row 13, column 'verdi': rule 'percent_within_0_100' (...): value=140; "
        "failing rows in the file: 13, 17, 18"
    ]
    # A step error no check explains is shown as it is.
    assert console_lines([], ["step dbt failed: dbt build failed"]) == ["step dbt failed: dbt build failed"]
