"""A population year delivered as JSON-stat and another as PC-Axis load through the pipeline like CSV."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from dagster_project.sample import agency_formats
from tests.integration.conftest import Warehouse, copy_warehouse, run

pytestmark = pytest.mark.integration


def rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


POPULATION = (
    "select delivery_year, municipality_code, population from raw.population "
    "where load_id in (select load_id from marts.fct_extract_loads "
    "where is_current and source = 'population') "
    "order by 1, 2"
)


def test_jsonstat_and_px_population_deliveries_load_like_the_csv_ones(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = rows(warehouse, POPULATION)
    sizes = rows(
        warehouse,
        "select year, size_class, count(*) from marts.dim_municipality_year group by 1, 2 order by 1, 2",
    )
    landing = warehouse.settings.landing_dir / "population"
    for year, suffix in ((2017, ".json"), (2018, ".px")):
        folder = landing / str(year)
        csv_file = next(folder.glob("*.csv"))
        frame = agency_formats.population_frame(year, tmp_path / "scratch")
        csv_file.unlink()
        target = folder / f"folkemengde_07459_{year}{suffix}"
        if suffix == ".json":
            target.write_text(json.dumps(agency_formats.population_jsonstat(frame, year)), encoding="utf-8")
        else:
            target.write_bytes(agency_formats.population_px(frame, year).encode("cp1252"))

    summary = run(warehouse.root)

    assert summary.success, summary.failures
    assert rows(warehouse, POPULATION) == before
    files = dict(
        rows(
            warehouse,
            "select delivery_year, file_name from marts.fct_extract_loads "
            "where is_current and source = 'population'",
        )
    )
    assert files[2017].endswith(".json") and files[2018].endswith(".px")
    assert (
        rows(
            warehouse,
            "select year, size_class, count(*) from marts.dim_municipality_year group by 1, 2 order by 1, 2",
        )
        == sizes
    )
