"""A versioned contract on PostgreSQL: BrukerPlan's 2015 format and a later one load into one raw
table over COPY, also when the table was created by the contract before 2015's columns existed,
and the rows are the ones the DuckDB load writes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import psycopg

from dagster_project.core.engines import postgres
from dagster_project.core.ingest import brukerplan, raw_tables
from dagster_project.core.ingest.tabular import Contract
from tests.support.postgres import postgres_server

COMPARED = ("delivery_year", "source_row", "registration_key", "weight", "overdose_risk", "in_work")


def _delivery(folder: Path, year: int) -> Path:
    """A two-row delivery in the year's format version (only that version's columns)."""
    headers = [c.header for c in brukerplan.CONTRACT.columns if brukerplan.delivered(c, year)]
    rows = []
    for number in (1, 2):
        given = {
            "registreringsnokkel": f"BPX-{year}{number:012d}",
            "kommunenr": "0301",
            "år": str(year),
            "kjonn": "K",
            "aldersgruppe": "30-39",
            "vekt": f"1,{number}5",
        }
        rows.append(";".join(given.get(h, str(number - 1)) for h in headers))
    path = folder / str(year) / f"brukerplan_{year}.csv"
    path.parent.mkdir(parents=True)
    path.write_text(";".join(headers) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_2015_and_later_deliveries_share_the_raw_table_on_postgres(tmp_path: Path) -> None:
    deliveries = {year: brukerplan.read_extract(_delivery(tmp_path, year)).frame for year in (2017, 2015)}
    without_2015 = Contract(
        source=brukerplan.SOURCE,
        columns=tuple(c for c in brukerplan.CONTRACT.columns if c not in brukerplan.COLUMNS_2015),
    )
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as local, postgres_server() as url:
        with psycopg.connect(url) as conn:  # a raw table from before the 2015 format was known
            conn.execute("create schema if not exists raw")
            conn.execute(postgres.raw_table_ddl(without_2015))
        for year, frame in deliveries.items():
            load = {"delivery_year": year, "file_name": f"brukerplan_{year}.csv", "comment": None}
            postgres.write_load(url, brukerplan.CONTRACT, frame, sha256=f"{year:064d}", **load)
            raw_tables.write_load(local, brukerplan.CONTRACT, frame, sha256=f"{year:064d}", **load)
        query = f"select {', '.join(COMPARED)} from raw.brukerplan order by delivery_year, source_row"
        with psycopg.connect(url) as conn:
            served = conn.execute(query).fetchall()
        expected = local.execute(query).fetchall()
    assert served == expected
    assert [row[:2] for row in served] == [(2015, 2), (2015, 3), (2017, 2), (2017, 3)]
    by_year = {(row[0], row[2]): row for row in served}
    assert by_year[(2015, "BPX-2015000000000001")][3] == 1.15  # the 2015 weight
    assert by_year[(2017, "BPX-2017000000000001")][3] is None  # later formats carry none
    assert by_year[(2015, "BPX-2015000000000002")][5] is None  # nor does 2015 carry in_work
