"""BrukerPlan 2015 (the booklet's year, 2015 format with weights and «blodrød") through the pipeline."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def test_booklet_area_and_index_shares_come_out_of_the_distribution_mart(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select measure, category, share from marts.mart_brukerplan_distribution "
        "where year = 2015 and group_type = 'total'",
    )
    shares = {(m, c): round(s) for m, c, s in rows}
    assert [shares[("area_aktivitet", c)] for c in ("green", "yellow", "red")] == [26, 36, 38]
    assert [shares[("area_bolig", c)] for c in ("green", "yellow", "red")] == [70, 21, 9]
    index = [shares[("index_weighted", c)] for c in ("green", "yellow", "red", "blue_light")]
    assert index == [6, 38, 44, 12]


def test_weights_expand_to_the_booklets_total(sample_warehouse: Warehouse) -> None:
    rows = dict(
        query(
            sample_warehouse,
            "select row_label, coalesce(weighted_n, weighted_mean) from marts.mart_brukerplan_booklet "
            "where year = 2015 and table_id = 'Innledning'",
        )
    )
    assert round(rows["Tjenestemottakere (vektet)"]) == 27813
    assert rows["Registreringer"] == 18913 and rows["Kommuner"] == 222
    assert abs(rows["Oppregningsfaktor"] - 1.4706) < 0.001


def test_weighted_index_has_blodrod_and_later_years_have_no_weight(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select delivery_year, min(weight), max(weight), "
        "count(*) filter (where index_weighted_label = 'blodrød') "
        "from staging.stg_brukerplan__registrations where is_current_load "
        "group by delivery_year order by 1",
    )
    by_year = {r[0]: r[1:] for r in rows}
    assert by_year[2015][2] > 0 and by_year[2015][0] > 1.47
    assert by_year[2016][:2] == (1.0, 1.0) and by_year[2016][2] == 0


def test_booklet_cells_are_weighted_and_small_cells_suppressed(sample_warehouse: Warehouse) -> None:
    heavy = query(
        sample_warehouse,
        "select share_percent from marts.mart_brukerplan_booklet "
        "where year = 2015 and table_id = 'Tabell 11' and row_label = 'Rød eller blodrød' "
        "order by column_label",
    )
    assert [round(r[0]) for r in heavy] == [35, 73]  # Alle andre, Tunge brukere
    leaks = query(
        sample_warehouse,
        "select count(*) from marts.mart_brukerplan_booklet "
        "where (n_registrations between 1 and 4 or is_suppressed) "
        "and (weighted_n is not null or share_percent is not null)",
    )
    assert leaks == [(0,)]


def test_booklet_report_is_written(sample_warehouse: Warehouse) -> None:
    folder = sample_warehouse.settings.reports_dir / "2015"
    html = (folder / "brukerplan_2015.html").read_text(encoding="utf-8")
    assert "SYNTETISKE" in html and "blodrød" in html and "27 813" in html
    assert (folder / "brukerplan_2015.xlsx").exists()
