"""The survey report asset: one HTML + XLSX report per instrument and wave, under reports/<wave>/."""

from datetime import UTC, datetime

import dagster as dg

from dagster_project.core.reports.survey_files import write_survey_report
from dagster_project.core.reports.survey_report import build_survey_report
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.defs.resources import WarehousePaths
from dagster_project.settings import WAREHOUSE_WRITER_POOL

SURVEY_MARTS = (
    "mart_survey_respondents",
    "mart_survey_item_summary",
    "mart_survey_item_distribution",
    "mart_survey_index_summary",
)

QUERIES = {
    "respondents": "select * from marts.mart_survey_respondents",
    "items": "select * from marts.mart_survey_item_summary order by item_code",
    "distribution": "select * from marts.mart_survey_item_distribution",
    "indices": "select * from marts.mart_survey_index_summary",
    "loads": "select * from marts.fct_extract_loads where is_current",
}


@dg.asset(
    key=dg.AssetKey(["reports", "survey_report"]),
    group_name="reports",
    kinds={"html", "excel"},
    pool=WAREHOUSE_WRITER_POOL,
    # fct_indicator_values too: its blocking reconciliation check then stops every report of a failed
    # build, so readers never see survey reports from a run whose indicator set was rejected.
    deps=[
        dg.AssetKey(["marts", name]) for name in (*SURVEY_MARTS, "fct_extract_loads", "fct_indicator_values")
    ],
    description=(
        "Survey report per instrument and wave (Norwegian): response counts, top-2 key figures by gender "
        "and size class, answer distributions as stacked bars, indices with Cronbach's alpha, and the "
        "disclosure rule applied; `reports/<wave>/sporreundersokelse_<instrument>_<wave>.html` and `.xlsx`."
    ),
)
def survey_report(
    context: dg.AssetExecutionContext, engine: WarehouseEngine, paths: WarehousePaths
) -> dg.MaterializeResult:
    with engine.open() as warehouse:
        frames = {name: warehouse.frame(sql) for name, sql in QUERIES.items()}
    generated_at = datetime.now(UTC)
    written: list[str] = []
    waves = frames["respondents"][["instrument", "wave"]].drop_duplicates().itertuples(index=False)
    for instrument, wave in sorted(waves):

        def part(name: str, instrument=instrument, wave=wave):
            frame = frames[name]
            return frame[(frame["instrument"] == instrument) & (frame["wave"] == wave)]

        loads = frames["loads"]
        report = build_survey_report(
            instrument=part("respondents").iloc[0].to_dict()
            | {"title": part("respondents").iloc[0]["instrument_title"]},
            wave=int(wave),
            respondents=part("respondents"),
            items=part("items"),
            distribution=part("distribution"),
            indices=part("indices"),
            loads=loads[(loads["source"] == instrument) & (loads["delivery_year"] == wave)],
            generated_at=generated_at,
        )
        written += [str(p) for p in write_survey_report(report, paths.reports / str(int(wave)))]
        context.log.info(f"wrote the survey report {instrument} {wave}")
    return dg.MaterializeResult(
        metadata={
            "files": dg.MetadataValue.json(written),
            "reports": len(written) // 2,
        }
    )
