"""A year after the newest municipality list (2024) loads, builds and publishes with no code change:
the newest list is carried forward, and only the new year's files are read."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.sample import brukerplan, municipal, national_figures
from tests.integration.conftest import Warehouse, copy_warehouse, run


def test_a_year_after_the_newest_municipality_list(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "later")
    landing = warehouse.settings.landing_dir
    for write in (national_figures.write_delivery, municipal.write_population, municipal.write_is24_8):
        write(landing, 2026)
    brukerplan.write_delivery(landing, 2026)

    summary = run(warehouse.root)

    assert summary.success, summary.failures
    new = [line for line in summary.loaded if " 2026: " in line]
    assert len(new) == 4 and all(line.endswith(", loaded)") for line in new)
    assert all("not read again" in line for line in summary.loaded if " 2026: " not in line)
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        listed = conn.execute(
            "select year, count(*) from marts.dim_municipality_year where year in (2024, 2025, 2026) "
            "group by year order by year"
        ).fetchall()
        computed = conn.execute(
            "select indicator_no, computed_from from marts.fct_indicator_values "
            "where year = 2026 and computed_from is not null order by indicator_no"
        ).fetchall()
    assert listed == [(2024, 357), (2025, 357), (2026, 357)]  # every year up to the newest delivery
    assert {source for _, source in computed} == {"is24_8", "brukerplan"}
    assert (warehouse.settings.reports_dir / "2026" / "indikatorstatus_2026.html").exists()
