"""Nothing of the delivered data lives in the Dagster instance: no pickled frames, no rows.

The sample run goes through a persistent instance (tests/integration/conftest.py); every file it
left under DAGSTER_HOME is scanned for pickles and for person-level values of the deliveries.
"""

from __future__ import annotations

import pickletools

import duckdb
import pytest

from tests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def _is_pickle(data: bytes) -> bool:
    if len(data) < 2 or data[0] != 0x80 or data[1] not in range(2, 6):
        return False
    try:
        pickletools.dis(data, out=open("/dev/null", "w"))  # noqa: SIM115
    except Exception:
        return False
    return True


def test_the_dagster_home_holds_no_delivered_rows(sample_warehouse: Warehouse) -> None:
    home = sample_warehouse.dagster_home
    assert home is not None and any(home.rglob("*")), "the sample run used a persistent instance"
    with duckdb.connect(str(sample_warehouse.settings.warehouse_db), read_only=True) as conn:
        markers = [
            row[0].encode()
            for sql in (
                "select distinct registration_key from raw.brukerplan using sample 100 rows",
                "select distinct respondent_id from raw.user_satisfaction using sample 100 rows",
            )
            for row in conn.execute(sql).fetchall()
            if row[0] and len(row[0]) >= 8
        ]
    assert len(markers) > 50

    files = [p for p in home.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not _is_pickle(data), f"{path.relative_to(home)} is a pickle"
        found = [m.decode() for m in markers if m in data]
        assert not found, f"{path.relative_to(home)} holds delivered values, e.g. {found[:3]}"
    stored = {p.relative_to(home).parts[1] for p in home.glob("storage/*/*") if p.is_dir()}
    assert not stored & {"landing", "raw"}, "an IO manager stored asset outputs"
