"""What a failed run tells a person: every failing row or indicator, in plain words, and the log rows.

Pure logic (no Dagster import): the launchers hand in the failed check evaluations they read from
the Dagster instance; this module words them, caps long lists, and writes to ``raw.run_log`` the
failed checks and the build and publication that were therefore skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from dagster_project.core.operations.log import RunContext, ensure_tables, log_step

#: How many failing rows or indicators a console message lists before it counts the rest.
CAP = 20


@dataclass(frozen=True)
class FailedCheck:
    asset: str
    check: str
    description: str
    lines: list[str] = field(default_factory=list)
    #: A dbt test (counted with the dbt tests in the summary) rather than a Python check.
    is_dbt: bool = False


def mismatch_line(m: Mapping[str, Any]) -> str:
    return (
        f"indicator {m['indicator_no']} {m['year']}: computed {float(m['computed']):.4f} vs published "
        f"{float(m['published']):g} (difference {float(m['difference']):+.4f}, allowed "
        f"±{float(m['tolerance']):g}); computed from {m.get('computed_from') or '?'}"
    )


def check_lines(description: str | None, metadata: Mapping[str, Any]) -> list[str]:
    """Every failing row or indicator a check's metadata names; its description when it names none."""
    if isinstance(metadata.get("messages"), list) and metadata["messages"]:
        rules = metadata.get("rules_failed") or []
        rows = metadata.get("failing_rows") or {}
        lines = []
        for i, message in enumerate(metadata["messages"]):
            failing = [r for r in rows.get(rules[i], []) if r is not None] if i < len(rules) else []
            if len(failing) > 1:
                shown = ", ".join(str(r) for r in failing[:CAP])
                more = f" and {len(failing) - CAP} more" if len(failing) > CAP else ""
                message = f"{message}; failing rows in the file: {shown}{more}"
            lines.append(str(message))
        return lines
    if isinstance(metadata.get("mismatches"), list) and metadata["mismatches"]:
        return [mismatch_line(m) for m in metadata["mismatches"]]
    if "dagster_dbt/failed_row_count" in metadata:
        count = metadata["dagster_dbt/failed_row_count"]
        return [f"dbt test returned {count} failing row(s); see the test's SQL for what a row means"]
    details = [f"{k} {metadata[k]}" for k in ("file", "row", "column", "rule") if metadata.get(k) is not None]
    text = description or "failed"
    return [f"{text} ({', '.join(details)})" if details and details[0] not in text else text]


def capped(lines: list[str], cap: int = CAP) -> list[str]:
    if len(lines) <= cap:
        return list(lines)
    return [*lines[:cap], f"... and {len(lines) - cap} more (all of them in the Dagster UI, Checks tab)"]


def console_lines(checks: list[FailedCheck], errors: list[str], cap: int = CAP) -> list[str]:
    """One self-contained line per failing row or indicator of each failed check (capped), then errors.

    A step error that only repeats a failed check (a rejected delivery, a blocking check) is left
    out: saying it twice would hide the reasons.
    """
    out = [f"{check.check}: {line}" for check in checks for line in capped(check.lines, cap)]
    explained = [c.description for c in checks if c.description]
    for error in errors:
        if any(text in error for text in ("rejected by its suite", "blocking asset check", "locking check")):
            continue
        if any(text in error for text in explained):
            continue
        out.append(error)
    return out


def log_failed_build(
    conn: duckdb.DuckDBPyConnection,
    run: RunContext,
    checks: list[FailedCheck],
    skipped: list[str],
    reason: str,
) -> None:
    """One run-log row per failed build check and per skipped step (build, publish), idempotent per batch.

    A failed dbt test is a ``dbt_test`` row (the ``dbt`` row already counts it), any other check a
    ``build_check`` row.
    """
    ensure_tables(conn)
    for check in checks:
        log_step(
            conn,
            run,
            "dbt_test" if check.is_dbt else "build_check",
            "failed",
            checks_failed=1,
            detail=f"{check.asset} {check.check}: {len(check.lines)} failing, the first: {check.lines[0]}"
            if check.lines
            else f"{check.asset} {check.check}: {check.description}",
        )
    for step in skipped:
        done = conn.execute(
            "select count(*) from raw.run_log where batch_id = ? and step = ? and outcome = 'skipped'",
            [run.batch_id, step],
        ).fetchone()[0]
        if not done:
            log_step(conn, run, step, "skipped", detail=reason)
