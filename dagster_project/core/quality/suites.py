"""Run a GE 1.x suite from ``expectations/<name>.json`` on a pandas frame.

Suites are data, reviewed like code; values that depend on reference data (the catalogue's
indicator numbers, the delivery year) are ``{"$PARAMETER": ...}`` placeholders filled at run time.
Great Expectations is imported lazily: it costs seconds, and only check execution needs it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

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


@cache
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    import dagster_project.core.quality.expectations  # noqa: F401  (registers our expectation types)

    # GE fingerprints every frame below this size (an md5 over a hash of every cell) for batch
    # markers we never read: at SF100 that was 4-7 s and 250 MB per validation. Zero turns it off.
    pandas_execution_engine.HASH_THRESHOLD = 0

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@cache
def _validation_definition(name: str):
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = _context()
    spec = load_suite(name)
    suite = context.suites.add(
        ExpectationSuite(
            name=spec["name"],
            meta=spec.get("meta", {}),
            expectations=[ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]],
        )
    )
    batch = (
        context.data_sources.add_pandas(f"{name}_frames")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("whole_frame")
    )
    return context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


def _release_frames() -> None:
    """Drop the execution engines GE keeps per data source, and with them the last frame.

    A data source caches its engine, and the engine every batch it validated: without this a
    validated delivery's frame (hundreds of MB at scale) would outlive its load until the next
    delivery of the same source replaced it. A new engine costs microseconds.
    """
    for source in _context().data_sources.all().values():
        source._execution_engine = None  # GE has no public reset; the getter rebuilds it


def _plain(value: Any) -> Any:
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def validate_frame(
    frame: pd.DataFrame, suite_name: str, parameters: Mapping[str, Any], row_key: str = "source_row"
) -> SuiteResult:
    """Validate a frame; failures come back in the suite's own order, earliest rule first.

    A first pass asks only whether each expectation holds (BOOLEAN_ONLY: no lists of failing
    rows, several times faster on a large extract). Only a delivery that fails is validated again
    with COMPLETE results, to name the failing rows.
    """
    definition = _validation_definition(suite_name)
    spec = load_suite(suite_name)
    order = {e["meta"]["rule"]: i for i, e in enumerate(spec["expectations"])}
    run_parameters = {"batch_parameters": {"dataframe": frame}, "expectation_parameters": dict(parameters)}
    try:
        result = definition.run(**run_parameters, result_format="BOOLEAN_ONLY")
        if result.success:
            return SuiteResult(suite=suite_name, success=True, evaluated=len(result.results), failures=[])
        result = definition.run(
            **run_parameters,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [row_key]},
        )
    finally:
        _release_frames()
    failures: list[Failure] = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        meta = config.meta or {}
        details = item.result or {}
        rows = [
            {k: _plain(v) for k, v in row.items()}
            for row in (details.get("unexpected_index_list") or [])[:MAX_ROWS_PER_FAILURE]
            if isinstance(row, dict)
        ]
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
