"""Turn a suite result into a Dagster check result a data engineer can act on."""

from __future__ import annotations

import re

import dagster as dg

from dagster_project.core.ingest.tabular import PARSE_ERROR, Contract
from dagster_project.core.quality.suites import Failure, SuiteResult

_PARSE_ERROR_TEXT = re.compile(r"^column '([^']+)': (.*)$")


def _header(contract: Contract, column: str | None) -> str | None:
    if column is None:
        return None
    headers = {c.name: c.header for c in contract.columns}
    return ", ".join(headers.get(part.strip(), part.strip()) for part in column.split(","))


def _column_and_values(failure: Failure, contract: Contract) -> tuple[str | None, str]:
    """The delivered column to name, and the offending values of the first failing row."""
    if failure.rows:
        first = failure.rows[0]
        parsed = (
            _PARSE_ERROR_TEXT.match(str(first.get(PARSE_ERROR))) if failure.column == PARSE_ERROR else None
        )
        if parsed:  # the reader recorded which delivered column failed to parse, and why
            return parsed.group(1), parsed.group(2)
        shown = ", ".join(f"{k}={v}" for k, v in first.items() if k != "source_row")
        return _header(contract, failure.column), shown
    if isinstance(failure.observed, dict):  # a column-set mismatch: name the columns as delivered
        problems = [
            f"{kind} column(s) {', '.join(_header(contract, c) or c for c in failure.observed[kind])}"
            for kind in ("missing", "unexpected")
            if failure.observed.get(kind)
        ]
        return None, "; ".join(problems)
    observed = f"observed {failure.observed}" if failure.observed is not None else ""
    return _header(contract, failure.column), observed


def failure_column(failure: Failure, contract: Contract) -> str | None:
    """The column as delivered (its header) that a failure concerns, if it concerns one."""
    return _column_and_values(failure, contract)[0]


def failure_message(failure: Failure, contract: Contract, file_name: str) -> str:
    """'<file>, row 14, column 'verdi': rule 'percent_within_0_100' (...): value=140'"""
    parts = [file_name]
    row = failure.first_row()
    if row is not None:
        parts.append(f"row {row}")
    column, values = _column_and_values(failure, contract)
    if column:
        parts.append(f"column '{column}'")
    more = f" (+{failure.unexpected_count - 1} more rows)" if (failure.unexpected_count or 0) > 1 else ""
    detail = f": {values}" if values else ""
    return f"{', '.join(parts)}: rule '{failure.rule}' ({failure.description}){detail}{more}"


def check_result_for(
    result: SuiteResult, contract: Contract, file_name: str, sha256: str
) -> dg.AssetCheckResult:
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
            "failures": dg.MetadataValue.md("\n".join(table))
            if result.failures
            else dg.MetadataValue.md("none"),
            "messages": dg.MetadataValue.json(messages),
            "failing_rows": dg.MetadataValue.json(
                {f.rule: [r.get("source_row") for r in f.rows] for f in result.failures}
            ),
        },
    )
