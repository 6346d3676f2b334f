"""The 2003 service mapping report as an asset: reads the marts, writes one report per wave."""

from datetime import UTC, datetime

import dagster as dg

from dagster_project.core.reports.figure_tables import write_table_report
from dagster_project.core.reports.mapping_report import INSTRUMENTS, build_mapping_report
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL


@dg.asset(
    key=dg.AssetKey(["reports", "service_mapping_report"]),
    group_name="reports",
    kinds={"html", "excel"},
    pool=WAREHOUSE_WRITER_POOL,
    # fct_indicator_values too: its blocking reconciliation check then stops every report of a failed build.
    deps=[
        dg.AssetKey(["marts", name])
        for name in (
            "mart_service_mapping_figures",
            "mart_service_mapping_need_offered",
            "fct_extract_loads",
            "fct_indicator_values",
        )
    ],
    description=(
        "The 2003 national service mapping as a report (Norwegian): the main tables of chapters 3-6 from "
        "the marts; reports/<wave>/kartlegging_<wave>.html and .xlsx."
    ),
)
def service_mapping_report(
    context: dg.AssetExecutionContext, engine: WarehouseEngine, paths: WarehousePaths
) -> dg.MaterializeResult:
    sources = ", ".join(f"'{name}'" for name in INSTRUMENTS)  # constants, not user input
    with engine.open() as warehouse:
        figures = warehouse.frame("select * from marts.mart_service_mapping_figures")
        need = warehouse.frame("select * from marts.mart_service_mapping_need_offered")
        loads = warehouse.frame(
            f"select * from marts.fct_extract_loads where is_current and source in ({sources})"
        )
    written: list[str] = []
    generated_at = datetime.now(UTC)
    for wave in sorted({int(w) for w in loads["delivery_year"]}):
        report = build_mapping_report(
            wave,
            figures,  # the 2003 mapping is one wave; a repeat wave adds a wave column to the mart
            need[need["wave"] == wave],
            loads[loads["delivery_year"] == wave],
            generated_at,
        )
        written += [str(p) for p in write_table_report(report, paths.reports / str(wave))]
        context.log.info(f"wrote the service mapping report {wave}")
    return dg.MaterializeResult(metadata={"files": dg.MetadataValue.json(written)})
