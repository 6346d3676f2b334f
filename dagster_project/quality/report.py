"""Turn a suite result into a Dagster check result a data engineer can act on."""

from __future__ import annotations

import dagster as dg

from dagster_project.ingest.tabular import Contract
from dagster_project.quality.suites import Failure, SuiteResult


def _header(contract: Contract, column: str | None) -> str | None:
    if column is None:
        return None
    headers = {c.name: c.header for c in contract.columns}
    return ", ".join(headers.get(part.strip(), part.strip()) for part in column.split(","))


def failure_message(failure: Failure, contract: Contract, file_name: str) -> str:
    """'<file>, row 14, column 'verdi': rule 'percent_within_0_100' (...): value=140'"""
    parts = [file_name]
    row = failure.first_row()
    if row is not None:
        parts.append(f"row {row}")
    header = _header(contract, failure.column)
    if header:
        parts.append(f"column '{header}'")
    values = ""
    if failure.rows:
        shown = {k: v for k, v in failure.rows[0].items() if k != "source_row"}
        values = ": " + ", ".join(f"{k}={v}" for k, v in shown.items())
    elif failure.observed is not None:
        values = f": observed {failure.observed}"
    more = f" (+{failure.unexpected_count - 1} more rows)" if (failure.unexpected_count or 0) > 1 else ""
    return f"{', '.join(parts)}: rule '{failure.rule}' ({failure.description}){values}{more}"


def check_result_for(result: SuiteResult, contract: Contract, file_name: str, sha256: str) -> dg.AssetCheckResult:
    messages = [failure_message(f, contract, file_name) for f in result.failures]
    table = ["| rule | column | rows in file | values |", "|---|---|---|---|"]
    for failure in result.failures:
        rows = ", ".join(str(r.get("source_row")) for r in failure.rows) or "-"
        values = "; ".join(
            ", ".join(f"{k}={v}" for k, v in r.items() if k != "source_row") for r in failure.rows[:5]
        ) or (str(failure.observed) if failure.observed is not None else "")
        table.append(f"| {failure.rule} | {_header(contract, failure.column) or ''} | {rows} | {values} |")
    return dg.AssetCheckResult(
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=messages[0] if messages else f"{result.evaluated} expectations passed",
        metadata={
            "file": file_name,
            "sha256": sha256,
            "suite": f"expectations/{result.suite}.json",
            "expectations_evaluated": result.evaluated,
            "rules_failed": [f.rule for f in result.failures],
            "failures": dg.MetadataValue.md("\n".join(table)) if result.failures else dg.MetadataValue.md("none"),
            "messages": dg.MetadataValue.json(messages),
            "failing_rows": dg.MetadataValue.json(
                {f.rule: [r.get("source_row") for r in f.rows] for f in result.failures}
            ),
        },
    )
