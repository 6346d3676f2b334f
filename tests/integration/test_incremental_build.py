"""The build is incremental by delivery year, and a full refresh gives the same marts.

On a copy of the sample warehouse (built once, every year), a new year arrives together with a
corrected vintage of an old year: the incremental build takes both up. Then the same warehouse is
rebuilt with ``full_refresh`` (what ``make run FULL_REFRESH=1`` runs), and every mart table is
compared with the incremental one row by row (floats to 9 significant digits).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.defs.run import run_pipeline
from dagster_project.sample import brukerplan, municipal, national_figures
from tests.integration.conftest import Warehouse, copy_warehouse, run, settings_under

NEW_YEAR = 2019
CORRECTED_YEAR = 2016
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def _correct_vintage(path: Path, rows: int = 30) -> None:
    """A corrected delivery of the same file: a few recipients' housing (bolig) recoded from green (1)
    to red (3), little enough that the year still reconciles with the published figure."""
    comment, header, *data = path.read_text(encoding="utf-8").splitlines()
    column = header.split(";").index("bolig")
    changed = 0
    for number, line in enumerate(data):
        cells = line.split(";")
        if cells[column] == "1" and changed < rows:
            cells[column] = "3"
            data[number] = ";".join(cells)
            changed += 1
    assert changed == rows
    path.write_text("\n".join([comment, header, *data]) + "\n", encoding="utf-8")


def _rows(conn: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple]:
    """The table's rows, sorted on every column (floats on 6 significant digits for the order)."""
    columns = conn.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = 'marts' and table_name = ? order by column_index",
        [catalog, table],
    ).fetchall()
    order = ", ".join(
        f'round("{name}", 6 - ceil(log10(abs("{name}") + 1e-300))::integer)'
        if data_type in FLOAT_TYPES
        else f'"{name}"'
        for name, data_type in columns
    )
    return conn.execute(f"select * from {catalog}.marts.{table} order by {order} nulls first").fetchall()


def _same(left: tuple, right: tuple) -> bool:
    """Equal rows; floats to 9 significant digits (a parallel sum's last bits vary from run to run)."""
    return len(left) == len(right) and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(a, float) and isinstance(b, float)
        else a == b
        for a, b in zip(left, right, strict=True)
    )


def _differences(incremental: Path, full: Path) -> dict[str, int]:
    """Per mart table: rows that differ between the two builds (or the difference in row count)."""
    with duckdb.connect() as conn:
        conn.execute(f"attach '{incremental}' as inc (read_only)")
        conn.execute(f"attach '{full}' as ful (read_only)")
        tables = {
            catalog: {
                name
                for (name,) in conn.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = ? and schema_name = 'marts'",
                    [catalog],
                ).fetchall()
            }
            for catalog in ("inc", "ful")
        }
        assert tables["inc"] == tables["ful"] and len(tables["inc"]) > 10
        differences = {}
        for table in sorted(tables["inc"]):
            left, right = _rows(conn, "inc", table), _rows(conn, "ful", table)
            differing = abs(len(left) - len(right)) + sum(
                not _same(a, b) for a, b in zip(left, right, strict=False)
            )
            if differing:
                differences[table] = differing
        return differences


def _housing_value(conn: duckdb.DuckDBPyConnection) -> float:
    """The corrected year's national BrukerPlan housing indicator."""
    return conn.execute(
        "select value from intermediate.int_indicator_values__brukerplan where year = ? and indicator_no = "
        "(select min(indicator_no) from staging.stg_reference__brukerplan_indicator_definitions "
        "where item = 'area_bolig')",
        [CORRECTED_YEAR],
    ).fetchone()[0]


def test_incremental_build_equals_a_full_refresh(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "incremental")
    landing = warehouse.settings.landing_dir
    for write in (national_figures.write_delivery, municipal.write_population, municipal.write_is24_8):
        write(landing, NEW_YEAR)
    brukerplan.write_delivery(landing, NEW_YEAR)
    _correct_vintage(landing / "brukerplan" / str(CORRECTED_YEAR) / f"brukerplan_{CORRECTED_YEAR}.csv")

    summary = run(warehouse.root)  # incremental: the new year and the corrected one
    assert summary.success, summary.failures

    db = warehouse.settings.warehouse_db
    with duckdb.connect(str(db), read_only=True) as conn:
        current = dict(
            conn.execute(
                "select delivery_year, load_id from intermediate.int_extract_loads "
                "where source = 'brukerplan' and is_current"
            ).fetchall()
        )
        built_from = conn.execute(
            "select distinct year, load_key from intermediate.int_indicator_values__brukerplan order by year"
        ).fetchall()
        housing = _housing_value(conn)
    with duckdb.connect(str(sample_warehouse.settings.warehouse_db), read_only=True) as conn:
        housing_before = _housing_value(conn)
    # Every year is built from its current load (one key a year), the corrected and the new year too.
    years = [year for year, _ in built_from]
    assert len(years) == len(set(years)) and {CORRECTED_YEAR, NEW_YEAR} <= set(years)
    for year, load_key in built_from:
        assert load_key.startswith(current[year] + "@"), (year, load_key, current[year])
    assert housing != housing_before  # the corrected vintage reached the indicator

    full_root = tmp_path / "full"
    shutil.copytree(warehouse.root, full_root, symlinks=True)
    with dg.DagsterInstance.ephemeral() as instance:
        refreshed = run_pipeline(instance, settings_under(full_root), full_refresh=True)
    assert refreshed.success, refreshed.failures

    assert _differences(db, settings_under(full_root).warehouse_db) == {}
