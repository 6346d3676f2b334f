"""The indicator status report per report year, written as HTML and XLSX under reports/<year>/."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd

from dagster_project.core.reports.files import write_status_report
from dagster_project.core.reports.status_tables import BASELINE_YEAR, build_status_report
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL

MART_QUERIES = {
    "indicators": "select * from marts.dim_indicator",
    "values": "select * from marts.fct_indicator_values",
    "changes": "select * from marts.mart_indicator_changes",
    "loads": "select * from marts.fct_extract_loads",
    "prices": "select * from marts.dim_price_index",
    "price_adjusted": (
        "select distinct indicator_no from marts.mart_indicator_values_constant_prices "
        "where is_price_adjusted"
    ),
}


def report_years(loads: pd.DataFrame) -> list[int]:
    """One report per delivery year: the report for year R shows the values known after delivery R.

    Deliveries before the baseline year (e.g. the 2011 municipal survey) have no status report.
    """
    current = loads.loc[loads["is_current"] & (loads["delivery_year"] >= BASELINE_YEAR), "delivery_year"]
    return sorted(int(y) for y in current.unique())


def _newest_html(written: list[str]) -> str:
    """The report of the newest report year (the files are written oldest year first)."""
    html = [p for p in written if p.endswith(".html")] or written
    return max(html, key=lambda p: (Path(p).parent.name, p))


@dg.asset(
    key=dg.AssetKey(["reports", "indicator_status_report"]),
    group_name="reports",
    kinds={"html", "excel"},
    pool=WAREHOUSE_WRITER_POOL,  # opens the working warehouse file, which DuckDB locks per process
    deps=[
        dg.AssetKey(["marts", name])
        for name in (
            "dim_indicator",
            "fct_indicator_values",
            "mart_indicator_changes",
            "fct_extract_loads",
            "dim_price_index",
            "mart_indicator_values_constant_prices",
        )
    ],
    description=(
        "Indikatorstatus per report year: the seven status tables (5.1-11.1) with values per year, "
        "year-on-year and annualised baseline changes, colour-coded, in Norwegian number format; "
        "written to `reports/<year>/indikatorstatus_<year>.html` and `.xlsx`."
    ),
)
def indicator_status_report(
    context: dg.AssetExecutionContext, engine: WarehouseEngine, paths: WarehousePaths
) -> dg.MaterializeResult:
    with engine.open() as warehouse:
        frames = {name: warehouse.frame(sql) for name, sql in MART_QUERIES.items()}
    generated_at = datetime.now(UTC)
    written: list[str] = []
    for year in report_years(frames["loads"]):
        report = build_status_report(**frames, report_year=year, generated_at=generated_at)
        written += [str(p) for p in write_status_report(report, paths.reports / str(year))]
        context.log.info(
            f"wrote the {year} status report ({sum(len(t.rows) for t in report.tables)} indicators)"
        )
    colours = frames["changes"]["colour"].value_counts().to_dict()
    return dg.MaterializeResult(
        metadata={
            "files": dg.MetadataValue.json(written),
            "report_years": dg.MetadataValue.json(report_years(frames["loads"])),
            "latest_report": dg.MetadataValue.path(_newest_html(written)) if written else "none",
            "change_colours": dg.MetadataValue.json({str(k): int(v) for k, v in colours.items()}),
        }
    )
