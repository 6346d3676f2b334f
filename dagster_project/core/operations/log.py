"""The warehouse's own record of what each run did: ``raw.run_log`` and ``raw.quarantine``.

Both are logs, not loads: they are written in their own small transaction by the step that knows
the outcome, also (and above all) when the delivery is rejected, so the record survives a failed
run. They live in ``raw`` and are never published: a rejection message may quote cell values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

#: Run tag grouping the Dagster runs of one pipeline run (``make run``, a sensor tick, a schedule tick).
BATCH_TAG = "warehouse/batch"
#: Number of ingest runs in the batch: the build starts when that many have succeeded.
BATCH_SIZE_TAG = "warehouse/batch_size"
TRIGGER_TAG = "warehouse/trigger"

RUN_LOG_DDL = """
create table if not exists raw.run_log (
    logged_at timestamp not null,
    batch_id varchar not null,
    run_id varchar,
    step varchar not null,
    source varchar,
    delivery_year integer,
    file_name varchar,
    file_sha256 varchar,
    outcome varchar not null,
    row_count integer,
    checks_passed integer,
    checks_failed integer,
    publication_id varchar,
    detail varchar
)
"""

QUARANTINE_DDL = """
create table if not exists raw.quarantine (
    quarantined_at timestamp not null,
    batch_id varchar not null,
    run_id varchar,
    source varchar not null,
    delivery_year integer not null,
    file_name varchar not null,
    file_sha256 varchar,
    stage varchar not null,
    rule varchar not null,
    row_number integer,
    column_name varchar,
    message varchar not null
)
"""


@dataclass(frozen=True)
class RunContext:
    """Who is writing: the Dagster run and the batch (pipeline run) it belongs to."""

    batch_id: str
    run_id: str | None = None


@dataclass(frozen=True)
class Rejection:
    """One reason a delivery was rejected, as the error message names it."""

    rule: str
    message: str
    row: int | None = None
    column: str | None = None


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists raw")
    conn.execute(RUN_LOG_DDL)
    conn.execute(QUARANTINE_DDL)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def log_step(
    conn: duckdb.DuckDBPyConnection,
    run: RunContext,
    step: str,
    outcome: str,
    *,
    source: str | None = None,
    delivery_year: int | None = None,
    file_name: str | None = None,
    file_sha256: str | None = None,
    row_count: int | None = None,
    checks_passed: int | None = None,
    checks_failed: int | None = None,
    publication_id: str | None = None,
    detail: str | None = None,
) -> None:
    ensure_tables(conn)
    conn.execute(
        "insert into raw.run_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _now(),
            run.batch_id,
            run.run_id,
            step,
            source,
            delivery_year,
            file_name,
            file_sha256,
            outcome,
            row_count,
            checks_passed,
            checks_failed,
            publication_id,
            detail,
        ],
    )


def quarantine(
    conn: duckdb.DuckDBPyConnection,
    run: RunContext,
    *,
    source: str,
    delivery_year: int,
    file_name: str,
    file_sha256: str | None,
    stage: str,
    rejections: list[Rejection],
    checks_passed: int | None = None,
) -> None:
    """List a rejected delivery with every reason, and log the rejection, in one transaction.

    Identity numbers in a reason (a cell a check quotes back) are masked before they are stored."""
    from dagster_project.core.ingest.identity_numbers import mask_identity_numbers

    rejections = [
        Rejection(
            r.rule, mask_identity_numbers(r.message), r.row, r.column and mask_identity_numbers(r.column)
        )
        for r in rejections
    ]
    ensure_tables(conn)
    now = _now()
    conn.execute("begin transaction")
    try:
        conn.executemany(
            "insert into raw.quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [now, run.batch_id, run.run_id, source, delivery_year, file_name, file_sha256, stage, *reason]
                for reason in ((r.rule, r.row, r.column, r.message) for r in rejections)
            ],
        )
        log_step(
            conn,
            run,
            stage,
            "rejected",
            source=source,
            delivery_year=delivery_year,
            file_name=file_name,
            file_sha256=file_sha256,
            checks_passed=checks_passed,
            checks_failed=len(rejections),
            detail=rejections[0].message if rejections else None,
        )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
