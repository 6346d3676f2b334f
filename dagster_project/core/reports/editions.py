"""Past editions of the status report: ``python -m dagster_project.core.reports.editions --year 2018
--as-of 2019-11-01`` (or ``make report YEAR=2018 AS_OF=...``).

A later delivery may restate earlier years, and each build rewrites the reports from the current
marts. The dbt snapshots (dbt/snapshots/report_editions.yml) keep every state the report's marts
have had; an edition is the report rebuilt from the rows valid at a moment: a date (its end, UTC),
a timestamp, or a publication id (``20191101T120000-abcd1234``, the moment it was published). The
same builder and renderers as the live report are used, so every cell is the one readers saw.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.core.operations.lock import warehouse_lock
from dagster_project.core.reports.files import write_status_report
from dagster_project.core.reports.status_tables import StatusReport, build_status_report, format_timestamp
from dagster_project.settings import Settings

SNAPSHOTS = {
    "indicators": "snapshots.snap_indicator_catalogue",
    "values": "snapshots.snap_indicator_values",
    "changes": "snapshots.snap_indicator_changes",
    "prices": "snapshots.snap_price_index",
}
_PUBLICATION_ID = re.compile(r"^(\d{8}T\d{6})-[0-9a-f]+$")
_SNAPSHOT_COLUMNS = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")


class EditionError(ValueError):
    """A user error: an unreadable AS_OF, or nothing known at that moment."""


def parse_as_of(text: str) -> tuple[datetime, str]:
    """(moment, label): a publication id is its publication time, a date the end of that day (UTC)."""
    text = text.strip()
    if match := _PUBLICATION_ID.match(text):
        published = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return published + timedelta(seconds=1), f"publikasjon {text}"
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
            return day + timedelta(days=1), f"per {day:%d.%m.%Y}"
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise EditionError(
            f"AS_OF {text!r} is neither a date (2019-11-01), a timestamp (2019-11-01T12:00) nor a "
            "publication id (20191101T120000-abcd1234)"
        ) from error
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment, f"per {format_timestamp(moment)}"


def _valid_at(conn: duckdb.DuckDBPyConnection, table: str, moment: datetime) -> pd.DataFrame:
    naive = moment.astimezone(UTC).replace(tzinfo=None)  # snapshots store UTC build times
    frame = conn.execute(
        f"select * from {table} where dbt_valid_from <= ? and (dbt_valid_to is null or dbt_valid_to > ?)",
        [naive, naive],
    ).df()
    return frame.drop(columns=[c for c in _SNAPSHOT_COLUMNS if c in frame.columns])


def edition_frames(conn: duckdb.DuckDBPyConnection, moment: datetime) -> dict[str, pd.DataFrame]:
    """The report's inputs as they were at `moment`."""
    present = {
        f"{schema}.{name}"
        for schema, name in conn.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name = 'snapshots'"
        ).fetchall()
    }
    missing = sorted(set(SNAPSHOTS.values()) - present)
    if missing:
        raise EditionError(
            f"the warehouse keeps no report history yet ({', '.join(missing)}): run a build first"
        )
    frames = {name: _valid_at(conn, table, moment) for name, table in SNAPSHOTS.items()}
    if frames["values"].empty:
        (first,) = conn.execute(f"select min(dbt_valid_from) from {SNAPSHOTS['values']}").fetchone()
        raise EditionError(
            f"nothing was known at {format_timestamp(moment)}: the warehouse's history starts at "
            f"{format_timestamp(first) if first else 'no build yet'}"
        )
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    loads = conn.execute("select * from marts.fct_extract_loads where loaded_at <= ?", [naive]).df()
    newest = loads.groupby(["source", "delivery_year"])["loaded_at"].transform("max")
    frames["loads"] = loads.assign(is_current=loads["loaded_at"] == newest)
    frames["price_adjusted"] = conn.execute(
        "select distinct indicator_no from marts.mart_indicator_values_constant_prices "
        "where is_price_adjusted"
    ).df()
    return frames


def build_edition(
    warehouse_db: Path, report_year: int, as_of: str, *, generated_at: datetime
) -> StatusReport:
    moment, label = parse_as_of(as_of)
    with warehouse_lock(warehouse_db), duckdb.connect(str(warehouse_db), read_only=True) as conn:
        frames = edition_frames(conn, moment)
    report = build_status_report(**frames, report_year=report_year, generated_at=generated_at)
    return replace(report, edition=f"Utgave {label}: gjenoppbygd fra lagerets historikk.")


def edition_dir(reports_dir: Path, report_year: int, as_of: str) -> Path:
    return reports_dir / str(report_year) / "utgaver" / re.sub(r"[^0-9A-Za-z_-]+", "_", as_of.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True, help="report year, e.g. 2018")
    parser.add_argument("--as-of", required=True, help="date, timestamp or publication id")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if settings.engine.is_postgres:  # snapshot times are UTC only on DuckDB (docs/reports.md)
        parser.error("editions are rebuilt from the DuckDB warehouse only: unset WAREHOUSE_ENGINE")
    if not settings.warehouse_db.exists():
        parser.error(f"no warehouse at {settings.warehouse_db}: run `make run` first")
    try:
        report = build_edition(settings.warehouse_db, args.year, args.as_of, generated_at=datetime.now(UTC))
    except EditionError as error:
        parser.error(str(error))
    for path in write_status_report(report, edition_dir(settings.reports_dir, args.year, args.as_of)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
