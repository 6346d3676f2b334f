"""Run a GE 1.x suite from ``expectations/<name>.json`` on a table in DuckDB.

Suites are data, reviewed like code; values that depend on reference data (the catalogue's
indicator numbers, the delivery year) are ``{"$PARAMETER": ...}`` placeholders filled at run time.
There is one validation engine, GE's SQL engine on DuckDB (through duckdb-engine): a large CSV
delivery is typed into a staging table of the warehouse connection and validated there
(``validate_table``); a frame from a small reader (XLSX, SPSS, agency formats) is copied into an
in-memory DuckDB and validated the same way (``validate_frame``). Great Expectations is imported
lazily: it costs seconds, and only check execution needs it.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import duckdb
import pandas as pd

from dagster_project.settings import EXPECTATIONS_DIR

#: Failing rows kept per expectation in results and check metadata.
MAX_ROWS_PER_FAILURE = 20


@dataclass(frozen=True)
class Failure:
    """One failed expectation with the rows (by their row number in the file) that broke it."""

    rule: str
    description: str
    expectation: str
    column: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    unexpected_count: int | None = None
    observed: Any = None

    def first_row(self) -> int | None:
        return self.rows[0].get("source_row") if self.rows else None


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    success: bool
    evaluated: int
    failures: list[Failure]


def load_suite(name: str) -> dict[str, Any]:
    with (EXPECTATIONS_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


#: The DuckDB connection GE's SQL engine validates on, for the length of one ``validate_table``.
_CONNECTION: duckdb.DuckDBPyConnection | None = None
_VALIDATING = threading.Lock()
DATA_SOURCE = "duckdb_tables"


def _shared_connection():
    """SQLAlchemy's ``creator``: the connection being validated, wrapped so that SQLAlchemy's
    ``close`` leaves it open (its temporary staging table and open work belong to the caller)."""
    from duckdb_engine import ConnectionWrapper

    class Borrowed(ConnectionWrapper):
        def close(self) -> None:
            pass

    if _CONNECTION is None:  # GE tests the data source when it is added: an empty database
        return ConnectionWrapper(duckdb.connect(":memory:"))
    return Borrowed(_CONNECTION)


def patch_execute_query() -> None:
    """Buffer GE's query results before their connection is returned to the pool.

    GE 1.24's ``SqlAlchemyExecutionEngine.execute_query`` returns the cursor result after the
    ``with`` block has closed its connection; duckdb-engine then drops the unfetched rows, so every
    metric comes back empty (``table.row_count`` fails with an IndexError). ``freeze()`` inside the
    block keeps the rows; calling the frozen result replays them as a result. Idempotent.
    """
    from great_expectations.execution_engine.sqlalchemy_execution_engine import (
        SqlAlchemyExecutionEngine,
    )

    if getattr(SqlAlchemyExecutionEngine.execute_query, "buffers_result", False):
        return

    def execute_query(self, query):
        with self.get_connection() as connection:
            return self._execute_query_with_recovery(connection, query).freeze()()

    execute_query.buffers_result = True  # type: ignore[attr-defined]
    SqlAlchemyExecutionEngine.execute_query = execute_query


@cache
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    import sqlalchemy as sa
    from great_expectations.data_context.types.base import ProgressBarsConfig

    import dagster_project.core.quality.expectations  # noqa: F401  (registers our expectation types)

    patch_execute_query()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_sql(
        DATA_SOURCE,
        connection_string="duckdb://",
        kwargs={"creator": _shared_connection, "poolclass": sa.pool.StaticPool},
    )
    return context


@cache
def _suite(name: str):
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = load_suite(name)
    return _context().suites.add(
        ExpectationSuite(
            name=spec["name"],
            meta=spec.get("meta", {}),
            expectations=[ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]],
        )
    )


@cache
def _validation_definition(name: str, table: str):
    """The suite bound to a table name (the table must exist the first time: GE looks it up)."""
    import great_expectations as gx

    context = _context()
    batch = (
        context.data_sources.get(DATA_SOURCE)
        .add_table_asset(f"{name}__{table}", table_name=table)
        .add_batch_definition_whole_table("whole_table")
    )
    return context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}__{table}", data=batch, suite=_suite(name))
    )


def _drop_engines() -> None:
    """Drop GE's SQLAlchemy engines (and the metrics and batches they cache): the next use makes
    new ones on the connection being validated. GE has no public reset; its getters rebuild them."""
    source = _context().data_sources.get(DATA_SOURCE)
    if source._execution_engine is not None:
        source._execution_engine.engine.dispose()
    source._execution_engine = None
    if source._engine is not None:
        source._engine.dispose()
    source._engine = None


@contextmanager
def _validating(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """GE's SQL engine on ``conn`` for the block; nothing of a delivery outlives its validation."""
    global _CONNECTION
    with _VALIDATING:
        _drop_engines()
        _CONNECTION = conn
        try:
            yield
        finally:
            _drop_engines()
            _CONNECTION = None


def _plain(value: Any) -> Any:
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def validate_frame(
    frame: pd.DataFrame, suite_name: str, parameters: Mapping[str, Any], row_key: str = "source_row"
) -> SuiteResult:
    """Validate a frame (from the XLSX, SPSS and small agency readers) with the same SQL suite:
    copied into an in-memory DuckDB, where a small frame costs milliseconds."""
    with duckdb.connect(":memory:") as conn:
        conn.register("incoming_frame", frame)
        conn.execute("create table delivered_rows as select * from incoming_frame")
        conn.unregister("incoming_frame")
        return validate_table(conn, "delivered_rows", suite_name, parameters, row_key)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duplicate_rows(
    conn: duckdb.DuckDBPyConnection, table: str, columns: list[str], row_key: str
) -> list[dict[str, Any]]:
    """The first rows (in file order) whose key repeats: GE's SQL engine lists no rows for
    ``expect_compound_columns_to_be_unique``. A key with a missing part is no duplicate (as there)."""
    present = {row[0] for row in conn.execute(f"describe {_quoted(table)}").fetchall()}
    if not set(columns) <= present:  # the column-set rule reports the missing ones
        return []
    keys = ", ".join(_quoted(c) for c in columns)
    on = " and ".join(f"t.{_quoted(c)} = d.{_quoted(c)}" for c in columns)
    selected = ", ".join(f"t.{_quoted(c)}" for c in [row_key, *columns])
    cursor = conn.execute(
        f"select {selected} from {_quoted(table)} as t join (select {keys} from {_quoted(table)} "
        f"group by {keys} having count(*) > 1) as d on {on} order by t.{_quoted(row_key)} "
        f"limit {MAX_ROWS_PER_FAILURE}"
    )
    names = [row_key, *columns]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def validate_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    suite_name: str,
    parameters: Mapping[str, Any],
    row_key: str = "source_row",
) -> SuiteResult:
    """Validate a DuckDB table; failures come back in the suite's own order, earliest rule first.

    A first pass asks only whether each expectation holds (BOOLEAN_ONLY: no lists of failing
    rows, a few aggregate queries). Only a delivery that fails is validated again with COMPLETE
    results, to name the failing rows (by ``row_key``, their row number in the file; the first
    ``MAX_ROWS_PER_FAILURE`` in file order).
    """
    spec = load_suite(suite_name)
    order = {e["meta"]["rule"]: i for i, e in enumerate(spec["expectations"])}
    run_parameters = {"expectation_parameters": dict(parameters)}
    with _validating(conn):
        definition = _validation_definition(suite_name, table)
        result = definition.run(**run_parameters, result_format="BOOLEAN_ONLY")
        if result.success:
            return SuiteResult(suite=suite_name, success=True, evaluated=len(result.results), failures=[])
        result = definition.run(
            **run_parameters,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [row_key]},
        )
    failures: list[Failure] = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        meta = config.meta or {}
        details = item.result or {}
        found = [row for row in (details.get("unexpected_index_list") or []) if isinstance(row, dict)]
        if not found and config.type == "expect_compound_columns_to_be_unique":
            found = duplicate_rows(conn, table, config.kwargs["column_list"], row_key)
        found.sort(key=lambda row: (row.get(row_key) is None, row.get(row_key) or 0))
        rows = [{k: _plain(v) for k, v in row.items()} for row in found[:MAX_ROWS_PER_FAILURE]]
        kwargs = config.kwargs
        failures.append(
            Failure(
                rule=meta.get("rule", config.type),
                description=meta.get("description", ""),
                expectation=config.type,
                column=kwargs.get("column")
                or ", ".join(kwargs.get("column_list", []))
                or (f"{kwargs['column_A']}, {kwargs['column_B']}" if "column_A" in kwargs else None),
                rows=rows,
                unexpected_count=details.get("unexpected_count"),
                observed=(details.get("details") or {}).get("mismatched")
                or _plain(details.get("observed_value")),
            )
        )
    failures.sort(key=lambda f: order.get(f.rule, len(order)))
    return SuiteResult(
        suite=suite_name, success=result.success, evaluated=len(result.results), failures=failures
    )
