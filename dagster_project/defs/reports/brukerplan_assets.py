"""The BrukerPlan booklet report as an asset: reads the marts, writes one report per delivered year."""

from datetime import UTC, datetime

import dagster as dg

from dagster_project.core.reports.brukerplan_report import build_brukerplan_report
from dagster_project.core.reports.figure_tables import write_table_report
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL


@dg.asset(
    key=dg.AssetKey(["reports", "brukerplan_report"]),
    group_name="reports",
    kinds={"html", "excel"},
    pool=WAREHOUSE_WRITER_POOL,
    # fct_indicator_values too: its blocking reconciliation check then stops every report of a failed build.
    deps=[
        dg.AssetKey(["marts", n])
        for n in ("mart_brukerplan_booklet", "fct_extract_loads", "fct_indicator_values")
    ],
    description=(
        "The BrukerPlan yearly booklet as a report (Norwegian) for every delivered year, weighted where the "
        "delivery has weights; reports/<year>/brukerplan_<year>.html and .xlsx."
    ),
)
def brukerplan_report(
    context: dg.AssetExecutionContext, engine: WarehouseEngine, paths: WarehousePaths
) -> dg.MaterializeResult:
    with engine.open() as warehouse:
        booklet = warehouse.frame("select * from marts.mart_brukerplan_booklet")
        loads = warehouse.frame(
            "select * from marts.fct_extract_loads where is_current and source = 'brukerplan'"
        )
    written: list[str] = []
    generated_at = datetime.now(UTC)
    for year in sorted({int(y) for y in booklet["year"]}):
        report = build_brukerplan_report(
            year, booklet[booklet["year"] == year], loads[loads["delivery_year"] == year], generated_at
        )
        written += [str(p) for p in write_table_report(report, paths.reports / str(year))]
        context.log.info(f"wrote the BrukerPlan report {year}")
    return dg.MaterializeResult(metadata={"files": dg.MetadataValue.json(written)})
