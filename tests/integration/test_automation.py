"""The yearly schedule, the delivery sensor and the build that follows a batch, on a real instance."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from dagster_project.automation import build_after_ingest, build_delivery_sensor, build_yearly_schedule
from dagster_project.definitions import build_definitions
from dagster_project.ingest.sources import NATIONAL_FIGURES
from dagster_project.operations.log import BATCH_SIZE_TAG, BATCH_TAG
from tests.integration.conftest import Warehouse, copy_warehouse

pytestmark = pytest.mark.integration

OSLO = ZoneInfo("Europe/Oslo")


def test_the_yearly_schedule_requests_last_years_delivery(sample_warehouse: Warehouse, monkeypatch) -> None:
    settings = sample_warehouse.settings
    repository = build_definitions(settings).get_repository_def()
    schedule = build_yearly_schedule(NATIONAL_FIGURES, settings)
    assert schedule.cron_schedule == "0 6 1 3 *" and schedule.execution_timezone == "Europe/Oslo"
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2019, 3, 1, 6, 0, tzinfo=OSLO),
            repository_def=repository,
        )
        (request,) = schedule.evaluate_tick(context).run_requests
        assert request.partition_key == "2018"
        # The batch is every source's 2018 delivery: the build waits for all of their ingest runs.
        sources_2018 = [p for p in settings.landing_dir.iterdir() if (p / "2018").is_dir()]
        assert request.tags[BATCH_TAG] == "yearly-2018"
        assert request.tags[BATCH_SIZE_TAG] == str(len(sources_2018))
        assert instance.has_dynamic_partition("national_figures_years", "2018")

        early = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2020, 3, 1, 6, 0, tzinfo=OSLO),
            repository_def=repository,
        )
        skipped = schedule.evaluate_tick(early)
        assert not skipped.run_requests
        assert "national_figures/2019" in skipped.skip_message

    monkeypatch.setenv("WAREHOUSE_YEARLY_CRON", "0 7 15 1 *")
    monkeypatch.setenv("WAREHOUSE_DATA_YEAR_LAG", "2")
    configured = build_yearly_schedule(NATIONAL_FIGURES, settings)
    assert configured.cron_schedule == "0 7 15 1 *"
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2018, 1, 15, 7, 0, tzinfo=OSLO),
            repository_def=repository,
        )
        (request,) = configured.evaluate_tick(context).run_requests
        assert request.partition_key == "2016"


def add_2019_delivery(landing: Path) -> Path:
    """A synthetic 2019 delivery: the 2018 figures moved one year on (values are not real)."""
    source = landing / "national_figures" / "2018" / "nasjonale_tall_2018.csv"
    target = landing / "national_figures" / "2019" / "nasjonale_tall_2019.csv"
    target.parent.mkdir(parents=True)
    lines = source.read_text(encoding="utf-8").splitlines()
    moved = [lines[0], lines[1]] + [
        line.replace(";2018;", ";2019;", 1) for line in lines[2:] if ";2018;" in line
    ]
    target.write_text("\n".join(moved) + "\n", encoding="utf-8")
    return target


def test_a_new_year_folder_is_noticed_loaded_built_and_published(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    settings = warehouse.settings
    defs = build_definitions(settings)
    sensor = build_delivery_sensor(settings, settle_seconds=0)
    with dg.instance_for_test() as instance:
        # First look: every existing folder is new to this instance (loading them again is a no-op).
        first = sensor(dg.build_sensor_context(instance=instance, definitions=defs))
        national = [r for r in first.run_requests if r.job_name == "ingest_national_figures"]
        assert [r.partition_key for r in national] == ["2016", "2017", "2018"]
        (partitions,) = [
            p for p in first.dynamic_partitions_requests if p.partitions_def_name == "national_figures_years"
        ]
        assert list(partitions.partition_keys) == ["2016", "2017", "2018"]
        for request in first.dynamic_partitions_requests:  # every source's years, as the sensor asked
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        instance.add_dynamic_partitions("national_figures_years", ["2016", "2017", "2018"])
        quiet = sensor(dg.build_sensor_context(instance=instance, definitions=defs, cursor=first.cursor))
        assert not quiet.run_requests

        delivered = add_2019_delivery(settings.landing_dir)
        second = sensor(dg.build_sensor_context(instance=instance, definitions=defs, cursor=first.cursor))
        (request,) = second.run_requests
        assert (request.job_name, request.partition_key) == ("ingest_national_figures", "2019")
        assert request.tags[BATCH_SIZE_TAG] == "1"
        assert [list(p.partition_keys) for p in second.dynamic_partitions_requests] == [["2019"]]
        national = {key for key in json.loads(second.cursor) if key.startswith("national_figures/")}
        assert national == {f"national_figures/{y}" for y in (2016, 2017, 2018, 2019)}

        # What the daemon does with the request: the ingest run, then build_after_ingest's build.
        instance.add_dynamic_partitions("national_figures_years", ["2019"])
        ingest = defs.resolve_job_def("ingest_national_figures").execute_in_process(
            instance=instance, partition_key="2019", tags=request.tags
        )
        build_request = build_after_ingest(
            dg.build_run_status_sensor_context(
                sensor_name="build_after_ingest",
                dagster_instance=instance,
                dagster_run=ingest.dagster_run,
                dagster_event=ingest.get_run_success_event(),
            )
        )
        assert isinstance(build_request, dg.RunRequest)
        assert build_request.run_key == f"build:{request.tags[BATCH_TAG]}"
        build = defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance, tags=build_request.tags
        )
        assert build.success

        # A changed file in an existing folder is noticed too (a new vintage).
        delivered.write_text(delivered.read_text(encoding="utf-8").replace(";15894;", ";15900;"), "utf-8")
        third = sensor(dg.build_sensor_context(instance=instance, definitions=defs, cursor=second.cursor))
        assert [r.partition_key for r in third.run_requests] == ["2019"]
        assert not third.dynamic_partitions_requests

    with duckdb.connect(str(settings.serving_dir / "warehouse.duckdb"), read_only=True) as conn:
        published = conn.execute(
            "select delivery_year, file_name from marts.publication order by 1"
        ).fetchall()
    assert published[-1] == (2019, "nasjonale_tall_2019.csv")
    assert (settings.reports_dir / "2019" / "indikatorstatus_2019.html").exists()


def test_a_failed_ingest_in_the_batch_stops_the_build(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    settings = warehouse.settings
    defs = build_definitions(settings)
    bad = settings.landing_dir / "national_figures" / "2018" / "nasjonale_tall_2018.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(";15894;", ";15.894;"), encoding="utf-8")
    tags = {BATCH_TAG: "sensor-test", BATCH_SIZE_TAG: "2"}
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("national_figures_years", ["2017", "2018"])
        job = defs.resolve_job_def("ingest_national_figures")
        good = job.execute_in_process(instance=instance, partition_key="2017", tags=tags)
        context = dg.build_run_status_sensor_context(
            sensor_name="build_after_ingest",
            dagster_instance=instance,
            dagster_run=good.dagster_run,
            dagster_event=good.get_run_success_event(),
        )
        assert "1 of 2 ingest runs done" in build_after_ingest(context).skip_message
        failed = job.execute_in_process(
            instance=instance, partition_key="2018", tags=tags, raise_on_error=False
        )
        assert not failed.success
        assert "1 of 2 ingest runs failed" in build_after_ingest(context).skip_message
