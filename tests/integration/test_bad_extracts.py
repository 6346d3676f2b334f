"""A bad delivery fails at its check, names file, row, column and rule, and changes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import Warehouse, copy_warehouse, run

pytestmark = pytest.mark.integration

BAD = Path(__file__).parents[1] / "fixtures" / "national_figures" / "bad"

CASES = {
    "missing_column.csv": ("columns_match_contract", "missing column(s) verdi"),
    "unknown_indicator.csv": ("indicator_in_catalogue", "row 4, column 'indikator'"),
    "duplicate_key.csv": ("one_value_per_indicator_year", "row 4, column 'indikator, år'"),
    "percent_140.csv": ("percent_within_0_100", "row 4, column 'verdi'"),
    "comma_delimiter.csv": ("semicolon_delimiter", "row 1"),
}


def fingerprint(warehouse: Warehouse) -> dict[str, object]:
    """What a reader could see: marts content, report files and the published copy, byte for byte."""
    settings = warehouse.settings
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        marts = {
            table: conn.execute(f"select * from marts.{table} order by all").fetchall()
            for (table,) in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
        raw_rows = conn.execute("select count(*) from raw.national_figures").fetchone()[0]
    files = sorted(
        p for p in [*settings.reports_dir.rglob("*"), *settings.serving_dir.rglob("*")] if p.is_file()
    )
    return {
        "marts": marts,
        "raw_rows": raw_rows,
        "files": {
            str(p.relative_to(warehouse.root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
        },
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_delivery_is_rejected_and_nothing_changes(
    sample_warehouse: Warehouse, tmp_path: Path, name: str
) -> None:
    rule, where = CASES[name]
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = fingerprint(warehouse)
    delivery = warehouse.settings.landing_dir / "national_figures" / "2018"
    for old in delivery.iterdir():
        old.unlink()
    shutil.copy(BAD / name, delivery / name)

    summary = run(warehouse.root)

    assert not summary.success
    assert not summary.built
    message = next(m for m in summary.failures if f"rule '{rule}'" in m)
    assert name in message and where in message
    assert fingerprint(warehouse) == before


def quarantined(warehouse: Warehouse, file_name: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(
            "select stage, rule, row_number, column_name, message from raw.quarantine "
            "where file_name = ? order by quarantined_at, row_number nulls first",
            [file_name],
        ).fetchall()


def test_a_rejected_delivery_is_quarantined_and_in_the_run_summary(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    delivery = warehouse.settings.landing_dir / "national_figures" / "2018"
    for old in delivery.iterdir():
        old.unlink()
    shutil.copy(BAD / "percent_140.csv", delivery / "nasjonale_tall_2018.csv")

    summary = run(warehouse.root)

    assert not summary.success
    ((stage, rule, row, column, message),) = quarantined(warehouse, "nasjonale_tall_2018.csv")
    assert (stage, rule, row, column) == ("check", "percent_within_0_100", 4, "verdi")
    assert message.startswith("nasjonale_tall_2018.csv, row 4, column 'verdi'")
    report = summary.report
    assert report is not None and report.publication_id is None
    assert any("percent_within_0_100" in q for q in report.quarantined)
    (rejected,) = [d for d in report.deliveries if d.outcome == "rejected"]
    assert (rejected.delivery_year, rejected.checks_failed) == (2018, 1)
    others = [
        d.outcome for d in report.deliveries if (d.source, d.delivery_year) != ("national_figures", 2018)
    ]
    assert others and set(others) == {"unchanged"}


def test_bad_files_of_every_stage_through_the_real_ingest_job(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    """Bad files of every stage, as the ingest job meets them: rejected, quarantined, not loaded."""
    import dagster as dg

    from dagster_project.definitions import build_definitions
    from dagster_project.defs.automation import ingest_job
    from tests.unit.test_national_figures_extracts import FOLDER_FAILURES, READER_FAILURES, SUITE_FAILURES

    expected = {
        **{name: rule for name, (rule, _, _) in {**READER_FAILURES, **SUITE_FAILURES}.items()},
        **FOLDER_FAILURES,
    }
    # One file per stage and kind of rule keeps this affordable; the unit tests cover every file.
    chosen = [
        "old_excel_format.xls",
        "utf16_unicode_text.csv",
        "bom_comma_delimiter.csv",
        "title_row.csv",
        "damaged_sheet.xlsx",
        "data_on_second_sheet.xlsx",
        "mojibake_header.csv",
        "year_as_date.xlsx",
        "file_of_another_year.csv",
        "merged_indicator_cells.xlsx",
    ]
    one_per_rule = {expected[name]: name for name in chosen}
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = fingerprint(warehouse)
    delivery = warehouse.settings.landing_dir / "national_figures" / "2018"
    with dg.DagsterInstance.ephemeral() as instance:
        # Resolved inside the instance context, as a code location would be.
        job = ingest_job(build_definitions(warehouse.settings), ["national_figures"])
        instance.add_dynamic_partitions("delivery_years", ["2018"])
        for rule, name in sorted(one_per_rule.items()):
            for old in delivery.iterdir():
                old.unlink()
            shutil.copy(BAD / name, delivery / name)
            result = job.execute_in_process(instance=instance, partition_key="2018", raise_on_error=False)
            assert not result.success, name
            entries = quarantined(warehouse, name)
            assert entries and entries[0][1] == rule, (name, entries)
            assert entries[0][4].startswith(name)
    assert len(one_per_rule) == len(chosen)
    assert fingerprint(warehouse) == before  # raw, marts, reports and serving untouched
