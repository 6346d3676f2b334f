"""The one validation engine: GE's SQL engine on DuckDB (duckdb-engine), for staged tables and frames.

Held here: GE's result buffering fix (without it every metric comes back empty), the codebook
pair rule in SQL against its pandas definition, and that a suite run on a DuckDB table names the
failing rows by their row number in the file.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.ingest.reference import national_figures_parameters
from dagster_project.core.quality.expectations import pairs_in_set, pairs_in_set_sql
from dagster_project.core.quality.suites import patch_execute_query, validate_frame, validate_table

ALLOWED = [["Q9", 1], ["Q9", 2], ["Q10", 1], ["Q11", None], [None, 3]]
VARIABLE = st.one_of(st.none(), st.sampled_from(["Q9", "Q10", "Q11", "Q99"]))
CODE = st.one_of(st.none(), st.integers(0, 3))


@settings(max_examples=60, deadline=None, database=None)
@given(rows=st.lists(st.tuples(VARIABLE, CODE), min_size=1, max_size=30))
def test_codebook_pairs_in_sql_equal_the_pandas_metric(rows) -> None:
    variables = pd.Series([v for v, _ in rows], dtype="string")
    codes = pd.Series(pd.array([c for _, c in rows], dtype="Int8"))
    expected = pairs_in_set(variables, codes, ALLOWED).tolist()
    frame = pd.DataFrame({"position": range(len(rows)), "a": variables, "b": codes})
    with duckdb.connect() as conn:
        conn.register("frame", frame)
        conn.execute("create table t as select * from frame")
        table = sa.table("t", sa.column("position"), sa.column("a"), sa.column("b"))
        condition = pairs_in_set_sql(table.c.a, table.c.b, ALLOWED)
        query = sa.select(table.c.position, condition).order_by(table.c.position)
        sql = str(query.compile(compile_kwargs={"literal_binds": True}))
        got = [bool(flag) for _, flag in conn.execute(sql).fetchall()]
    assert got == expected


def test_result_buffering_is_patched_once() -> None:
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    patch_execute_query()
    first = SqlAlchemyExecutionEngine.execute_query
    patch_execute_query()
    assert SqlAlchemyExecutionEngine.execute_query is first
    assert getattr(first, "buffers_result", False)


def test_a_duckdb_table_is_validated_and_failing_rows_are_named_in_file_order() -> None:
    rows = [(7, 2018, 101.0 + i, "prosent", f"row {i}") for i in range(3)]
    rows += [(7, 2017, 150.0, "prosent", "bad"), (7, 2018, 160.0, "prosent", "bad too")]
    with duckdb.connect() as conn:
        conn.execute(
            "create table delivered (indicator_no integer, year integer, value double, unit varchar, "
            "note varchar, source_reference varchar, source_row bigint, parse_error varchar)"
        )
        for number, (indicator, year, value, unit, note) in reversed(list(enumerate(rows, start=3))):
            conn.execute(
                "insert into delivered values (?, ?, ?, ?, ?, 'SSB', ?, NULL)",
                [indicator, year, value, unit, note, number],
            )
        result = validate_table(conn, "delivered", "national_figures", national_figures_parameters(2018))
        still_there = conn.execute("select count(*) from delivered").fetchone()[0]
    assert still_there == len(rows)  # the caller's connection and table are left as they were
    assert not result.success
    rules = {f.rule: f for f in result.failures}
    percent = rules["percent_within_0_100"]
    assert percent.unexpected_count == len(rows)
    assert [r["source_row"] for r in percent.rows] == sorted(r["source_row"] for r in percent.rows)
    assert percent.first_row() == 3


def test_a_frame_is_validated_by_the_same_sql_suite() -> None:
    frame = pd.DataFrame(
        {
            "indicator_no": pd.array([7, 7], dtype="Int64"),
            "year": pd.array([2018, 2018], dtype="Int64"),
            "value": pd.array([10.0, 12.0], dtype="Float64"),
            "unit": pd.array(["prosent", "prosent"], dtype="string"),
            "source_reference": pd.array(["SSB", "SSB"], dtype="string"),
            "note": pd.array([None, None], dtype="string"),
            "source_row": pd.array([2, 3], dtype="Int64"),
            "parse_error": pd.array([None, None], dtype="string"),
        }
    )
    result = validate_frame(frame, "national_figures", national_figures_parameters(2018))
    duplicate = next(f for f in result.failures if f.rule == "one_value_per_indicator_year")
    assert [r["source_row"] for r in duplicate.rows] == [2, 3]
