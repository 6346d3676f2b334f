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
