"""Per source: the delivered extract (landing), its blocking GE check, and the raw table load.

Validation happens between reading and loading, so a delivery that breaks its suite never
reaches the warehouse: the check fails, and the raw asset downstream of it does not run.
"""

import warnings
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from dagster_project.engines.resource import WarehouseEngine
from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.files import find_extract, sha256_file
from dagster_project.ingest.sources import SOURCES, Source
from dagster_project.operations.lock import warehouse_lock
from dagster_project.operations.log import BATCH_TAG, Rejection, RunContext, log_step, quarantine
from dagster_project.quality.report import check_result_for, failure_column, failure_message
from dagster_project.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL


@dataclass(frozen=True)
class Delivery:
    """One delivered extract, parsed: what flows from the landing asset to its check and raw load."""

    source: str
    delivery_year: int
    file_name: str
    sha256: str
    comments: tuple[str, ...]
    frame: pd.DataFrame


def run_context(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> RunContext:
    run = context.run
    return RunContext(batch_id=run.tags.get(BATCH_TAG, run.run_id), run_id=run.run_id)


def partitions_for(source: Source) -> dg.DynamicPartitionsDefinition:
    """Delivery years are whatever year folders exist in the landing area: no code change per year."""
    return dg.DynamicPartitionsDefinition(name=f"{source.name}_years")


def build_ingest_definitions(
    source: Source,
) -> tuple[dg.AssetsDefinition, dg.AssetChecksDefinition, dg.AssetsDefinition]:
    partitions = partitions_for(source)
    landing_key = dg.AssetKey(["landing", source.name])

    @dg.asset(
        key=landing_key,
        group_name="landing",
        partitions_def=partitions,
        kinds={"file", "pandas"},
        pool=WAREHOUSE_WRITER_POOL,  # a rejected file is written to raw.quarantine
        description=(
            f"{source.title}: the extract delivered in landing/{source.name}/<year>/ (CSV, XLSX or "
            f"SPSS .sav), read into a typed frame. {source.description}"
        ),
        metadata={"contract": dg.MetadataValue.md(_contract_markdown(source))},
    )
    def landing_extract(
        context: dg.AssetExecutionContext, paths: WarehousePaths, duckdb: DuckDBResource
    ) -> dg.Output[Delivery]:
        year = int(context.partition_key)
        path: Path | None = None
        try:
            path = find_extract(paths.landing, source.name, year)
            extract = source.read(path)
        except ExtractError as error:
            with warehouse_lock(Path(duckdb.database)), duckdb.get_connection() as conn:
                quarantine(
                    conn,
                    run_context(context),
                    source=source.name,
                    delivery_year=year,
                    file_name=path.name if path else Path(error.file).name,
                    file_sha256=sha256_file(path) if path else None,
                    stage="read",
                    rejections=[Rejection(error.rule, str(error), error.row, error.column)],
                )
            raise dg.Failure(
                description=str(error),
                metadata={"file": error.file, "row": error.row, "column": error.column, "rule": error.rule},
            ) from None
        delivery = Delivery(
            source=source.name,
            delivery_year=year,
            file_name=path.name,
            sha256=sha256_file(path),
            comments=extract.comments,
            frame=extract.frame,
        )
        return dg.Output(
            delivery,
            metadata={
                "file": path.name,
                "path": dg.MetadataValue.path(str(path)),
                "sha256": delivery.sha256,
                "dagster/row_count": len(extract.frame),
                "file_comment": " ".join(extract.comments),
            },
        )

    # Partitioned checks are a Dagster preview feature; we rely on them deliberately (one check per delivery).
    warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec")

    @dg.asset_check(
        asset=landing_extract,
        name="great_expectations_suite",
        blocking=True,
        partitions_def=partitions,
        pool=WAREHOUSE_WRITER_POOL,  # a failure is written to raw.quarantine
        description=(
            f"Great Expectations suite expectations/{source.suite}.json on the delivered rows; a failure "
            "names file, row, column and rule, and blocks the load into the warehouse."
        ),
    )
    def suite_check(
        context: dg.AssetCheckExecutionContext, landing_extract: Delivery, duckdb: DuckDBResource
    ) -> dg.AssetCheckResult:
        from dagster_project.quality.suites import validate_frame

        delivery = landing_extract
        result = validate_frame(delivery.frame, source.suite, source.suite_parameters(delivery.delivery_year))
        where = {
            "source": source.name,
            "delivery_year": delivery.delivery_year,
            "file_name": delivery.file_name,
            "file_sha256": delivery.sha256,
        }
        failed = len(result.failures)
        with warehouse_lock(Path(duckdb.database)), duckdb.get_connection() as conn:
            if result.success:
                log_step(
                    conn, run_context(context), "check", "passed", checks_passed=result.evaluated, **where
                )
            else:
                rejections = [
                    Rejection(
                        f.rule,
                        failure_message(f, source.contract, delivery.file_name),
                        f.first_row(),
                        failure_column(f, source.contract),
                    )
                    for f in result.failures
                ]
                quarantine(
                    conn,
                    run_context(context),
                    stage="check",
                    rejections=rejections,
                    checks_passed=result.evaluated - failed,
                    **where,
                )
        return check_result_for(result, source.contract, delivery.file_name, delivery.sha256)

    @dg.asset(
        key=dg.AssetKey(["raw", source.name]),
        group_name="raw",
        partitions_def=partitions,
        pool=WAREHOUSE_WRITER_POOL,
        kinds={"duckdb"},
        ins={"delivery": dg.AssetIn(key=landing_key)},
        description=(
            f"raw.{source.name} in the working warehouse: every delivered row of every vintage, with its "
            "load_id; raw.extract_loads records file name, sha256 and load time per delivery."
        ),
    )
    def raw_table(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource, engine: WarehouseEngine, delivery: Delivery
    ) -> dg.MaterializeResult:
        with warehouse_lock(Path(duckdb.database)), duckdb.get_connection() as conn:
            outcome = engine.write_load(
                conn,
                source.contract,
                delivery.frame,
                delivery_year=delivery.delivery_year,
                file_name=delivery.file_name,
                sha256=delivery.sha256,
                comment=" ".join(delivery.comments) or None,
                run_id=context.run.run_id,
            )
            log_step(
                conn,
                run_context(context),
                "load",
                "unchanged" if outcome.unchanged else "loaded",
                source=source.name,
                delivery_year=delivery.delivery_year,
                file_name=delivery.file_name,
                file_sha256=delivery.sha256,
                row_count=outcome.row_count,
                detail=outcome.load_id,
            )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": outcome.row_count,
                "load_id": outcome.load_id,
                "file": delivery.file_name,
                "sha256": delivery.sha256,
                "loaded_at": outcome.loaded_at.isoformat(timespec="seconds"),
                "unchanged": outcome.unchanged,
            }
        )

    return landing_extract, suite_check, raw_table


def _contract_markdown(source: Source) -> str:
    lines = ["| header | column | type | required |", "|---|---|---|---|"]
    lines += [
        f"| {c.header} | {c.name} | {c.kind} | {'yes' if c.required else 'no'} |"
        for c in source.contract.columns
    ]
    return "\n".join(lines)


INGEST_DEFINITIONS = [build_ingest_definitions(source) for source in SOURCES]
INGEST_ASSETS = [d for trio in INGEST_DEFINITIONS for d in (trio[0], trio[2])]
INGEST_CHECKS = [trio[1] for trio in INGEST_DEFINITIONS]
PARTITIONS_BY_SOURCE = {source.name: partitions_for(source) for source in SOURCES}
