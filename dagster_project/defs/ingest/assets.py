"""Per source: the delivered extract (landing), its blocking GE check, and the raw table load.

Validation happens between reading and loading, in the one step that materializes both assets, so
a delivery that breaks its suite never reaches the warehouse and never shows as materialized.
"""

import contextlib
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.files import delivery_years, find_extract, sha256_file
from dagster_project.core.ingest.sources import SOURCES, Source
from dagster_project.core.operations.freshness import lateness, read_calendar
from dagster_project.core.operations.lock import warehouse_lock
from dagster_project.core.operations.log import BATCH_TAG, Rejection, RunContext, log_step, quarantine
from dagster_project.core.operations.planning import DELIVERY_YEARS as DELIVERY_YEARS_NAME
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.quality.report import check_result_for, failure_column, failure_message
from dagster_project.defs.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL


def run_context(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> RunContext:
    run = context.run
    return RunContext(batch_id=run.tags.get(BATCH_TAG, run.run_id), run_id=run.run_id)


#: Delivery years are whatever year folders exist in the landing area: no code change per year. One
#: set for every source, so one run per year loads all of that year's new deliveries (a step each).
DELIVERY_YEARS = dg.DynamicPartitionsDefinition(name=DELIVERY_YEARS_NAME)

#: The blocking check on each ``landing/<source>``.
SUITE_CHECK = "great_expectations_suite"


def build_ingest_definitions(source: Source) -> dg.AssetsDefinition:
    """One step per delivery: read the file, run its blocking GE suite, load it into ``raw.<source>``.

    ``landing/<source>`` and ``raw/<source>`` are materialized only after the suite passed, so a
    rejected delivery (reader error or failed suite) leaves no materialization of its partition:
    the partition shows failed, the check carries the reasons. The frame never leaves the step,
    so no IO manager writes delivered rows under DAGSTER_HOME.
    """
    partitions = DELIVERY_YEARS
    landing_key = dg.AssetKey(["landing", source.name])
    raw_key = dg.AssetKey(["raw", source.name])
    suite_spec = dg.AssetCheckSpec(
        SUITE_CHECK,
        asset=landing_key,
        blocking=True,
        partitions_def=partitions,
        description=(
            f"Great Expectations suite expectations/{source.suite}.json on the delivered rows (and the "
            "reader's own checks); a failure names file, row, column and rule, and blocks the load."
        ),
    )

    @dg.multi_asset(
        name=f"{source.name}_delivery",
        partitions_def=partitions,
        pool=WAREHOUSE_WRITER_POOL,
        specs=[
            dg.AssetSpec(
                landing_key,
                group_name="landing",
                kinds={"file"},
                description=(
                    f"{source.title}: the extract delivered in landing/{source.name}/YEAR/ (CSV, XLSX or "
                    f"SPSS .sav), one partition per delivery year; materialized when its suite passed, "
                    f"with the file's sha256 as data version. {source.description}"
                ),
                metadata={"contract": dg.MetadataValue.md(_contract_markdown(source))},
            ),
            dg.AssetSpec(
                raw_key,
                group_name="raw",
                kinds={"duckdb"},
                deps=[landing_key],
                description=(
                    f"raw.{source.name} in the working warehouse: every delivered row of every vintage, "
                    "with its load_id; raw.extract_loads records file name, sha256 and load time."
                ),
            ),
        ],
        check_specs=[suite_spec],
    )
    def ingest(
        context: dg.AssetExecutionContext,
        paths: WarehousePaths,
        duckdb: DuckDBResource,
        engine: WarehouseEngine,
    ):
        from dagster_project.core.ingest import staging
        from dagster_project.core.quality.suites import validate_table

        year = int(context.partition_key)
        run = run_context(context)
        path: Path | None = None
        # One connection under the writer lock for the step: the delivery is typed into a staging
        # table (a database attached beside the warehouse for the step), validated there and
        # inserted into raw from it; the staging database is deleted with the step.
        with writer(duckdb) as conn, staging.staging_area(conn, Path(duckdb.database)):
            try:
                try:
                    path = find_extract(paths.landing, source.name, year)
                    staged = staging.stage_delivery(
                        conn, source.name, path, source.read, source.csv_contract, source.check_staged
                    )
                except ExtractError as error:
                    file_name = path.name if path else Path(error.file).name
                    quarantine(
                        conn,
                        run,
                        source=source.name,
                        delivery_year=year,
                        file_name=file_name,
                        file_sha256=sha256_file(path) if path else None,
                        stage="read",
                        rejections=[Rejection(error.rule, str(error), error.row, error.column)],
                    )
                    where = {"file": error.file, "row": error.row, "column": error.column, "rule": error.rule}
                    yield dg.AssetCheckResult(
                        asset_key=landing_key,
                        check_name=suite_spec.name,
                        passed=False,
                        description=str(error),
                        metadata={**{k: v for k, v in where.items() if v is not None}, "stage": "read"},
                    )
                    raise dg.Failure(description=str(error), metadata=where, allow_retries=False) from None

                sha256 = sha256_file(path)
                where = {
                    "source": source.name,
                    "delivery_year": year,
                    "file_name": path.name,
                    "file_sha256": sha256,
                }
                result = validate_table(conn, staged.table, source.suite, source.suite_parameters(year))
                check = check_result_for(result, source.contract, path.name, sha256)
                failed = len(result.failures)
                if not result.success:
                    rejections = [
                        Rejection(
                            f.rule,
                            failure_message(f, source.contract, path.name),
                            f.first_row(),
                            failure_column(f, source.contract),
                        )
                        for f in result.failures
                    ]
                    quarantine(
                        conn,
                        run,
                        stage="check",
                        rejections=rejections,
                        checks_passed=result.evaluated - failed,
                        **where,
                    )
                    yield check
                    raise dg.Failure(
                        description=f"{path.name}: rejected by its suite ({failed} rules failed)",
                        metadata={"file": path.name, "rules_failed": [f.rule for f in result.failures]},
                        allow_retries=False,
                    )
                log_step(conn, run, "check", "passed", checks_passed=result.evaluated, **where)
                yield dg.MaterializeResult(
                    asset_key=landing_key,
                    data_version=dg.DataVersion(sha256),
                    metadata={
                        "file": path.name,
                        "path": dg.MetadataValue.path(str(path)),
                        "sha256": sha256,
                        "dagster/row_count": staged.row_count,
                        "file_comment": " ".join(staged.comments),
                    },
                )
                yield check
                outcome = engine.write_staged_load(
                    conn,
                    source.contract,
                    staged.table,
                    delivery_year=year,
                    file_name=path.name,
                    sha256=sha256,
                    comment=" ".join(staged.comments) or None,
                    run_id=context.run.run_id,
                )
                log_step(
                    conn,
                    run,
                    "load",
                    "unchanged" if outcome.unchanged else "loaded",
                    row_count=outcome.row_count,
                    detail=outcome.load_id,
                    **where,
                )
            finally:
                staging.drop_staged(conn, source.name)
        yield dg.MaterializeResult(
            asset_key=raw_key,
            metadata={
                "dagster/row_count": outcome.row_count,
                "load_id": outcome.load_id,
                "file": path.name,
                "sha256": sha256,
                "loaded_at": outcome.loaded_at.isoformat(timespec="seconds"),
                "unchanged": outcome.unchanged,
            },
        )

    return ingest


@contextlib.contextmanager
def writer(resource: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse connection under the writer lock, closed also when the step fails inside it."""
    with warehouse_lock(Path(resource.database)), resource.get_connection() as conn, contextlib.closing(conn):
        yield conn


def _contract_markdown(source: Source) -> str:
    lines = ["| header | column | type | required |", "|---|---|---|---|"]
    lines += [
        f"| {c.header} | {c.name} | {c.kind} | {'yes' if c.required else 'no'} |"
        for c in source.contract.columns
    ]
    return "\n".join(lines)


def build_freshness_check(source: Source) -> dg.AssetChecksDefinition:
    """A warning (never blocking) on landing/<source> when this year's delivery is overdue."""
    expected = CALENDAR.get(source.name)
    when = (
        f"expected by {expected.day}.{expected.month}. each year (data year = this year - "
        f"{expected.data_year_lag})"
        if expected and expected.month
        else "no expected date (irregular deliveries)"
    )

    @dg.asset_check(
        asset=dg.AssetKey(["landing", source.name]),
        name="delivered_on_time",
        blocking=False,
        description=f"Warns when this year's delivery is overdue: {when}; see the delivery calendar.",
    )
    def delivered_on_time(paths: WarehousePaths) -> dg.AssetCheckResult:
        today = datetime.now(ZoneInfo("Europe/Oslo")).date()
        delivered = {int(y) for y in delivery_years(paths.landing, source.name)}
        result = lateness(expected, delivered, today)
        return dg.AssetCheckResult(
            passed=result.on_time,
            severity=dg.AssetCheckSeverity.WARN,
            description=result.message,
            metadata={
                "data_year": result.data_year,
                "expected_by": result.due.isoformat() if result.due else None,
                "calendar": "dagster_project/core/operations/delivery_calendar.csv",
            },
        )

    return delivered_on_time


# Partitioned checks are a Dagster preview feature; we rely on them deliberately (one check per delivery).
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")
INGEST_ASSETS = [build_ingest_definitions(source) for source in SOURCES]
CALENDAR = read_calendar()
FRESHNESS_CHECKS = [build_freshness_check(source) for source in SOURCES]
