"""The served marts built from microdata (BrukerPlan booklet, 2003 mapping) on the sample build: no
hidden cell follows by subtraction along a line that adds up. The lines are found in the unsuppressed
intermediate cells, independently of the marts' own line definitions: a column whose category rows
add up to its base, and a row whose group columns add up to its total column (or to its base)."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.conftest import Warehouse
from tests.support.line_attack import attack

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_no_hidden_brukerplan_cell_follows_by_subtraction(sample_warehouse: Warehouse) -> None:
    raw = {
        (str(year), table, row, column): (row_order, n, base)
        for year, table, row, column, row_order, n, base in query(
            sample_warehouse,
            "select year, table_id, row_label, column_label, min(row_order), count(*) filter (where is_hit), "
            "case when min(base_scope) = 'column' then sum(count(*)) over (partition by year, table_id, "
            "column_label, min(base_scope)) else count(*) end "
            "from intermediate.int_brukerplan__booklet_hits "
            "group by year, table_id, row_label, column_label",
        )
    }
    rows = query(
        sample_warehouse,
        "select year, table_id, row_label, column_label, is_suppressed, suppression, n_registrations, "
        "base_registrations, weighted_n, share_percent, weighted_mean from marts.mart_brukerplan_booklet",
    )
    served = {}
    for year, table, row, column, hidden, why, n, base, weighted, share, mean in rows:
        assert (why is not None) == hidden, (table, row, column)
        if hidden:
            assert (n, weighted, share, mean) == (None, None, None, None), (table, row, column)
        served[(str(year), table, row, column)] = (hidden, base)
    assert attack(raw, served) > 20


def test_no_hidden_mapping_cell_follows_by_subtraction(sample_warehouse: Warehouse) -> None:
    raw = {
        (stream, table, row, column): (row_order, n, base)
        for stream, table, row, column, row_order, n, base in query(
            sample_warehouse,
            "select form_stream, table_id, row_label, column_label, min(row_order), "
            "count(*) filter (where is_hit), count(*) "
            "from intermediate.int_service_mapping__figure_hits "
            "group by form_stream, table_id, row_label, column_label",
        )
    }
    served = {}
    for stream, table, row, column, hidden, why, n, base, share, mean in query(
        sample_warehouse,
        "select form_stream, table_id, row_label, column_label, is_suppressed, suppression, n, base_n, "
        "percent_of_base, mean_value from marts.mart_service_mapping_figures",
    ):
        assert (why is not None) == hidden, (table, row, column)
        if hidden:
            assert (n, share, mean) == (None, None, None), (table, row, column)
        served[(stream, table, row, column)] = (hidden, base)
    assert attack(raw, served) > 20


def test_need_offered_shows_no_small_count(sample_warehouse: Warehouse) -> None:
    """Need and offer are ticks of one form each (several measures per form): no line adds up, so the
    primary rule is the whole protection; a shown count or its percentage is never 1-4 forms."""
    for need_n, offered_n, base_n, ratio in query(
        sample_warehouse,
        "select need_n, offered_n, base_n, ratio from marts.mart_service_mapping_need_offered",
    ):
        assert need_n is None or not 1 <= need_n <= 4
        assert offered_n is None or not 1 <= offered_n <= 4
        assert base_n is None or not 1 <= base_n <= 4
        if need_n is None or offered_n is None:
            assert ratio is None
