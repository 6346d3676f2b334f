"""The yearly schedule, the delivery sensor and the build that follows a batch, on a real instance."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from dagster_project.core.operations.log import BATCH_SIZE_TAG, BATCH_TAG
from dagster_project.definitions import build_definitions
from dagster_project.defs.automation import (
    build_after_ingest_sensor,
    build_delivery_sensor,
    build_yearly_schedule,
    ingest_job,
)
from tests.integration.conftest import Warehouse, copy_warehouse

pytestmark = pytest.mark.integration

OSLO = ZoneInfo("Europe/Oslo")


def test_the_yearly_schedule_plans_last_years_delivery_against_the_warehouse(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    settings = warehouse.settings
    repository = build_definitions(settings).get_repository_def()
    schedule = build_yearly_schedule(settings)
    assert schedule.cron_schedule == "0 6 1 3 *" and schedule.execution_timezone == "Europe/Oslo"

    def tick(instance, when: datetime, definition=schedule):
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=when, repository_def=repository
        )
        return definition.evaluate_tick(context)

    with dg.instance_for_test() as instance:
        loaded = tick(instance, datetime(2019, 3, 1, 6, 0, tzinfo=OSLO))
        assert not loaded.run_requests and "already loaded, unchanged" in loaded.skip_message

        changed = settings.landing_dir / "national_figures" / "2018" / "nasjonale_tall_2018.csv"
        changed.write_text(changed.read_text(encoding="utf-8").replace(";15894;", ";15900;"), "utf-8")
        population = settings.landing_dir / "population" / "2018"
        (moved := next(population.iterdir())).rename(moved.with_name("folkemengde_2018_v2.csv"))
        # Both changed deliveries of 2018 in one run: its selection names them, one step each.
        (request,) = tick(instance, datetime(2019, 3, 1, 6, 0, tzinfo=OSLO)).run_requests
        assert request.partition_key == "2018" and request.job_name == "ingest_deliveries"
        assert request.tags[BATCH_TAG] == "yearly-2018" and request.tags[BATCH_SIZE_TAG] == "1"
        assert {k.to_user_string() for k in request.asset_selection} == {
            "landing/national_figures",
            "raw/national_figures",
            "landing/population",
            "raw/population",
        }
        assert {k.asset_key.to_user_string() for k in request.asset_check_keys} == {
            "landing/national_figures",
            "landing/population",
        }
        assert instance.has_dynamic_partition("delivery_years", "2018")

        early = tick(instance, datetime(2020, 3, 1, 6, 0, tzinfo=OSLO))
        assert not early.run_requests and "2019: no delivery yet" in early.skip_message

        configured = build_yearly_schedule(replace(settings, yearly_cron="0 7 15 1 *", data_year_lag=2))
        assert configured.cron_schedule == "0 7 15 1 *"
        (request,) = tick(instance, datetime(2020, 1, 15, 7, 0, tzinfo=OSLO), configured).run_requests
        assert request.partition_key == "2018"


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
    settings = replace(warehouse.settings, settle_seconds=0)
    defs = build_definitions(settings)
    sensor = build_delivery_sensor(settings)
    with dg.instance_for_test() as instance:
        # A new instance on a built warehouse: every delivery is the one loaded, nothing to request.
        first = sensor(dg.build_sensor_context(instance=instance, definitions=defs))
        assert not first.run_requests and "no new or changed deliveries" in first.skip_reason.skip_message

        delivered = add_2019_delivery(settings.landing_dir)
        second = sensor(dg.build_sensor_context(instance=instance, definitions=defs, cursor=first.cursor))
        (request,) = second.run_requests
        assert (request.job_name, request.partition_key) == ("ingest_deliveries", "2019")
        assert request.asset_selection == [
            dg.AssetKey(["landing", "national_figures"]),
            dg.AssetKey(["raw", "national_figures"]),
        ]
        assert request.tags[BATCH_SIZE_TAG] == "1"
        assert [list(p.partition_keys) for p in second.dynamic_partitions_requests] == [["2019"]]
        # Requested once: the next tick does not ask again while the run is queued or running.
        assert not sensor(
            dg.build_sensor_context(instance=instance, definitions=defs, cursor=second.cursor)
        ).run_requests

        # What the daemon does with the request: the ingest run, then build_after_ingest's build.
        instance.add_dynamic_partitions("delivery_years", ["2019"])
        ingest = ingest_job(defs, ["national_figures"]).execute_in_process(
            instance=instance, partition_key="2019", tags=request.tags
        )
        build_request = build_after_ingest_sensor(settings)(
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
        # Loaded: a sensor with no memory of its own (a new cursor) requests nothing either.
        assert not sensor(dg.build_sensor_context(instance=instance, definitions=defs)).run_requests

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
    build_after_ingest = build_after_ingest_sensor(settings)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("delivery_years", ["2017", "2018"])
        job = ingest_job(defs, ["national_figures"])
        good = job.execute_in_process(instance=instance, partition_key="2017", tags=tags)
        context = dg.build_run_status_sensor_context(
            sensor_name="build_after_ingest",
            dagster_instance=instance,
            dagster_run=good.dagster_run,
            dagster_event=good.get_run_success_event(),
        )
        assert "1 of 2 ingest runs done" in build_after_ingest(context).skip_message
        # One run for 2018 with a good and a bad delivery: the bad one fails the run, not its neighbour.
        failed = ingest_job(defs, ["national_figures", "population"]).execute_in_process(
            instance=instance, partition_key="2018", tags=tags, raise_on_error=False
        )
        assert not failed.success
        assert "1 of 2 ingest runs failed" in build_after_ingest(context).skip_message
        # The rejected delivery is no materialized partition: its check failed, with the reasons.
        for layer in ("landing", "raw"):
            key = dg.AssetKey([layer, "national_figures"])
            assert instance.get_materialized_partitions(key) == {"2017"}
            assert instance.get_materialized_partitions(dg.AssetKey([layer, "population"])) == {"2018"}
        check = dg.AssetCheckKey(dg.AssetKey(["landing", "national_figures"]), "great_expectations_suite")
        (evaluation,) = [
            r.dagster_event.event_specific_data
            for r in instance.all_logs(failed.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
            if not r.dagster_event.event_specific_data.passed
        ]
        assert evaluation.asset_check_key == check and not evaluation.passed
        assert "nasjonale_tall_2018.csv" in evaluation.metadata["file"].value
