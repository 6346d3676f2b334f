"""`make run`: the pipeline in process, with progress and a plain summary on the console.

``python -m dagster_project.cli [--years 2016-2018] [--full-refresh]``. Nothing imports this module.
"""

from __future__ import annotations

import argparse
import sys

import dagster as dg

from dagster_project.core.operations import progress
from dagster_project.core.operations.summary import summary_lines
from dagster_project.defs.run import ensure_dagster_home, parse_years, run_pipeline
from dagster_project.settings import Settings

#: The reports a build writes, as the console lists them: title, path pattern under the reports folder.
REPORTS = (
    ("Status reports", "YEAR/indikatorstatus_YEAR"),
    ("Survey reports", "WAVE/sporreundersokelse_*_WAVE"),
    ("BrukerPlan reports", "YEAR/brukerplan_YEAR"),
    ("2003 mapping", "2003/kartlegging_2003"),
)


def _show(message: str) -> None:
    print(f"  - {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--years",
        type=parse_years,
        help="backfill: read, check and load again these delivery years, e.g. 2016-2018, then build",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every year of the incremental models (default: only the years whose loads changed)",
    )
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:  # a WAREHOUSE_* variable that cannot be used: say which, plainly
        print(f"FAILED: {error}", file=sys.stderr)
        return 2
    ensure_dagster_home()
    print(f"Running the warehouse on {settings.landing_dir}", flush=True)
    with dg.DagsterInstance.get() as instance, progress.listening(_show):
        summary = run_pipeline(instance, settings, years=args.years, full_refresh=args.full_refresh)
    if summary.waited >= 1:
        print(f"(waited {summary.waited:.0f} s for another run to finish with the warehouse)")
    if summary.failures:
        print("\nFAILED:", file=sys.stderr)
        for line in summary.failures:
            print(f"  {line}", file=sys.stderr)
    if summary.report:
        print("\n" + "\n".join(summary_lines(summary.report)) + "\n")
    if not summary.success:
        print("Nothing was published: the serving copy and reports are as before.", file=sys.stderr)
        return 1
    print(f"{'Working warehouse':<18}: {settings.warehouse_db}")
    for title, pattern in REPORTS:
        print(f"{title:<18}: {settings.reports_dir}/{pattern}.html|.xlsx")
        for report in sorted(
            settings.reports_dir.glob(pattern.replace("YEAR", "*").replace("WAVE", "*") + ".html")
        ):
            print(f"{'':<20}{report}")
    if settings.engine.is_postgres:
        role = settings.engine.bi_role
        print(f"Published for BI  : the published schema on the server (read-only role {role})")
    else:
        print(f"Published for BI  : {settings.serving_dir / 'warehouse.duckdb'}")
        print(f"                    {settings.serving_dir / 'parquet'}/*.parquet")
    print(f"dbt log           : {settings.log_dir / 'dbt_build.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
