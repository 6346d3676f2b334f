"""The ledger of printed figures: computed from the marts, compared with what was printed."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

DOCUMENTS = {
    "Fafo-rapport 2019:33",
    "KoRus 2018: brukertilfredshet 2017",
    "Rambøll 2011: utvalgsundersøkelse",
    "Kartlegging av tjenester til rusmiddelmisbrukere 2003",
    "BrukerPlan temahefte 2016 (data 2015)",
}


def ledger(warehouse: Warehouse, where: str = "true") -> list[dict]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        cursor = conn.execute(f"select * from marts.mart_published_figure_checks where {where}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_every_document_is_in_the_ledger_and_most_figures_reproduce(sample_warehouse: Warehouse) -> None:
    rows = ledger(sample_warehouse)
    assert {r["document"] for r in rows} == DOCUMENTS
    for document in DOCUMENTS:
        mine = [r for r in rows if r["document"] == document]
        computable = [r for r in mine if r["status"] != "not_computable"]
        assert sum(bool(r["matches"]) for r in computable) >= 0.85 * len(computable), document


def test_figures_of_the_2003_mapping_and_the_booklet_reproduce_or_say_why(
    sample_warehouse: Warehouse,
) -> None:
    rows = ledger(
        sample_warehouse,
        "document in ('Kartlegging av tjenester til rusmiddelmisbrukere 2003', "
        "'BrukerPlan temahefte 2016 (data 2015)')",
    )
    unexplained = [r["check_id"] for r in rows if not r["matches"] and not r["note"]]
    assert unexplained == []
    by_id = {r["check_id"]: r for r in rows}
    assert by_id["S001-22"]["computed"] == 86 and by_id["S001-22"]["matches"]
    assert by_id["S003-19d"]["expected_text"] == "12" and by_id["S003-19d"]["matches"]
    assert by_id["S003-27"]["status"] == "not_computable"


def test_computed_comes_from_the_marts_not_from_the_printed_value(
    sample_warehouse: Warehouse, tmp_path
) -> None:
    rows = ledger(sample_warehouse, "check_id = 'S003-16ap'")  # the booklet's own slip: 57 printed, 56.5 true
    assert rows[0]["computed"] == 56 and rows[0]["matches"] is False and "56,5" in rows[0]["note"]
    na = ledger(sample_warehouse, "expected_text = 'N/A'")
    assert na and all(r["computed"] is None and r["matches"] for r in na)


def test_the_ledger_is_published(sample_warehouse: Warehouse) -> None:
    served = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    with duckdb.connect(str(served), read_only=True) as conn:
        count = conn.execute("select count(*) from marts.mart_published_figure_checks").fetchone()[0]
    assert count > 500
