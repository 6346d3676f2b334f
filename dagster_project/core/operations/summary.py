"""The run summary: what one pipeline run (a batch of Dagster runs) loaded, checked and published.

Read back from ``raw.run_log`` and ``raw.quarantine``, so the summary printed by ``make run`` is
exactly what the warehouse keeps, whichever way the run was started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class DeliveryLine:
    source: str
    delivery_year: int
    file_name: str | None
    sha256: str | None
    outcome: str  # loaded | unchanged | rejected
    row_count: int | None
    checks_passed: int | None
    checks_failed: int | None


@dataclass
class RunReport:
    batch_id: str
    deliveries: list[DeliveryLine] = field(default_factory=list)
    dbt_passed: int | None = None
    dbt_failed: int | None = None
    publication_id: str | None = None
    published: str | None = None
    quarantined: list[str] = field(default_factory=list)
    #: Failed checks of the build other than dbt tests (e.g. the reconciliation), and failed dbt tests.
    failed_build_checks: list[str] = field(default_factory=list)
    failed_dbt_tests: list[str] = field(default_factory=list)
    #: Steps not run because something before them failed: {step: reason}.
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def checks_passed(self) -> int:
        return sum(d.checks_passed or 0 for d in self.deliveries) + (self.dbt_passed or 0)

    @property
    def checks_failed(self) -> int:
        delivered = sum(d.checks_failed or 0 for d in self.deliveries)
        return delivered + (self.dbt_failed or 0) + len(self.failed_build_checks)


def read_report(warehouse_db: Path, batch_id: str) -> RunReport:
    report = RunReport(batch_id=batch_id)
    if not warehouse_db.exists():
        return report
    with duckdb.connect(str(warehouse_db), read_only=True) as conn:
        if not conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'run_log'"
        ).fetchone()[0]:
            return report
        rows = conn.execute(
            """
            select step, source, delivery_year, file_name, file_sha256, outcome, row_count,
                   checks_passed, checks_failed, publication_id, detail
            from raw.run_log where batch_id = ? order by logged_at
            """,
            [batch_id],
        ).fetchall()
        report.quarantined = [
            f"{source} {year}: {message}"
            for source, year, message in conn.execute(
                "select source, delivery_year, message from raw.quarantine where batch_id = ? "
                "order by quarantined_at, source, delivery_year, row_number nulls first",
                [batch_id],
            ).fetchall()
        ]
    checks: dict[tuple[str, int], tuple[int | None, int | None]] = {}
    for step, source, year, file_name, sha, outcome, count, passed, failed, publication, detail in rows:
        if step == "check" and outcome == "passed":
            checks[(source, year)] = (passed, failed)
        elif step in ("read", "check", "load"):  # the final outcome of a delivery
            passed, failed = checks.get((source, year), (None, None)) if step == "load" else (passed, failed)
            report.deliveries.append(
                DeliveryLine(source, year, file_name, sha, outcome, count, passed, failed)
            )
        elif step == "dbt":
            report.dbt_passed, report.dbt_failed = passed, failed
        elif step in ("build", "publish") and outcome == "skipped":
            report.skipped[step] = detail or ""
        elif step == "publish":
            report.publication_id, report.published = publication, detail
        elif step == "build_check":
            report.failed_build_checks.append(detail or "")
        elif step == "dbt_test":
            report.failed_dbt_tests.append(detail or "")
    return report


def summary_lines(report: RunReport) -> list[str]:
    lines = [f"Run {report.batch_id}"]
    for d in sorted(report.deliveries, key=lambda d: (d.source, d.delivery_year)):
        rows = f"{d.row_count} rows" if d.row_count is not None else ""
        sha = f"sha256 {d.sha256[:12]}" if d.sha256 else ""
        checks = f"checks {d.checks_passed or 0} passed, {d.checks_failed or 0} failed"
        state = {"unchanged": "unchanged, already loaded"}.get(d.outcome, d.outcome)
        if d.outcome == "unchanged" and d.checks_passed is None:  # skipped: not read or checked again
            checks, state = "", "unchanged, not read again"
        parts = [f"{d.source} {d.delivery_year}", d.file_name or "", rows, sha, checks, state]
        lines.append("  " + "  ".join(p for p in parts if p))
    if report.dbt_passed is not None:
        lines.append(f"  dbt tests: {report.dbt_passed} passed, {report.dbt_failed} failed")
    for failed in report.failed_build_checks:
        lines.append(f"  check failed: {failed}")
    lines.append(f"  checks in total: {report.checks_passed} passed, {report.checks_failed} failed")
    for step, reason in report.skipped.items():
        lines.append(f"  {'build' if step == 'build' else 'publication'} skipped: {reason}")
    if report.publication_id:
        lines.append(f"  published {report.publication_id}: {report.published}")
    else:
        lines.append("  nothing published: the serving copy is as before")
    if report.quarantined:
        lines.append("  quarantined (see raw.quarantine):")
        lines += [f"    {q}" for q in report.quarantined]
    return lines
