"""IS-24/8 and BrukerPlan microdata through the real pipeline: denominators, the series break,
the drill-down, privacy, and the reconciliation that stops a report when a figure does not agree."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from dagster_project.core.ingest import is24_8
from dagster_project.core.ingest.reference import is24_8_parameters, population_parameters
from dagster_project.sample.municipal import QUESTION_PLAN
from tests.integration.conftest import Warehouse, copy_warehouse, run
from tests.integration.test_bad_extracts import fingerprint
from tests.unit.test_identity_numbers import some_numbers

pytestmark = pytest.mark.integration


def query(warehouse: Warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def landing_rows(warehouse: Warehouse, source: str, year: int) -> list[dict[str, str]]:
    folder = warehouse.settings.landing_dir / source / str(year)
    path = next(folder.iterdir())
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def test_is24_8_denominators_are_the_units_that_answered_each_question(sample_warehouse: Warehouse) -> None:
    """Recount from the delivered file: «vet ikke» (9) is in the denominator, an empty cell is not."""
    computed = {
        (no, year): (value, n)
        for no, year, value, n in query(
            sample_warehouse,
            "select indicator_no, year, value, n_units from marts.fct_indicator_values "
            "where computed_from = 'is24_8'",
        )
    }
    checked = 0
    for year in (2016, 2017, 2018):
        rows = landing_rows(sample_warehouse, "is24_8", year)
        for question, (indicator, kind, first) in QUESTION_PLAN.items():
            if first > year or kind in ("fte", "nok") or (indicator == 32 and year < 2018):
                continue
            answered = [r[question] for r in rows if r[question] != ""]
            positive = {"1"} if kind == "yes_no" else {"4", "5"}
            value, n = computed[(indicator, year)]
            assert n == len(answered), (indicator, year)
            assert value == pytest.approx(100 * sum(a in positive for a in answered) / len(answered))
            checked += 1
    assert checked == 12 + 25 + 26  # share indicators asked per year; 32 counts only from 2018
    assert computed[(66, 2018)][1] == computed[(67, 2018)][1] == 411  # N = 411 in fig. 9.4
    assert computed[(54, 2018)][1] == 422
    statuses = dict(
        query(
            sample_warehouse,
            "select answer_status, count(*) from intermediate.int_is24_8__answers group by 1",
        )
    )
    assert statuses["dont_know"] > 0 and statuses["unanswered"] > 0 and statuses["not_asked"] > 0


def test_sums_of_ftes_and_nok(sample_warehouse: Warehouse) -> None:
    rows = landing_rows(sample_warehouse, "is24_8", 2018)
    fte = sum(float(r["arsverk_totalt"].replace(",", ".")) for r in rows)
    nok = [int(r["kr_brukermedvirkning"]) for r in rows if r["kr_brukermedvirkning"] != ""]
    values = dict(
        ((no), (v, n))
        for no, v, n in query(
            sample_warehouse,
            "select indicator_no, value, n_units from marts.fct_indicator_values "
            "where year = 2018 and indicator_no in (4, 24)",
        )
    )
    assert values[4] == (pytest.approx(fte), 422)
    assert values[24] == (pytest.approx(sum(nok) / 1000), len(nok))
    assert len(nok) < 0.64 * 422  # most units give no amount (Fafo 2019:33)


def test_series_break_of_indicator_32(sample_warehouse: Warehouse) -> None:
    answers_2017 = [r["sikrer_brukermedvirkning"] for r in landing_rows(sample_warehouse, "is24_8", 2017)]
    assert sum(a in ("0", "1") for a in answers_2017) > 300  # asked in 2017, as yes/no
    versions = query(
        sample_warehouse,
        "select year, question_version, answer_type from intermediate.int_is24_8__answers "
        "where question_code = 'sikrer_brukermedvirkning' group by all order by 1",
    )
    assert versions == [(2016, 1, "yes_no"), (2017, 1, "yes_no"), (2018, 2, "scale5")]
    values = query(
        sample_warehouse, "select year from marts.fct_indicator_values where indicator_no = 32 order by 1"
    )
    assert values == [(2018,)]
    changes = query(
        sample_warehouse,
        "select from_year, change, colour from marts.mart_indicator_changes "
        "where indicator_no = 32 and to_year = 2018 and not is_annualised",
    )
    assert changes == [(2017, None, "grey")]


def test_brukerplan_indicators_from_the_registrations(sample_warehouse: Warehouse) -> None:
    rows = landing_rows(sample_warehouse, "brukerplan", 2018)
    assert len(rows) == 23_762 and len({r["kommunenr"] for r in rows}) == 268
    housing = [r["bolig"] for r in rows if r["bolig"] != ""]
    index = [r["lki_vektet"] for r in rows if r["lki_vektet"] != ""]
    values = dict(
        (no, (v, n))
        for no, v, n in query(
            sample_warehouse,
            "select indicator_no, value, n_units from marts.fct_indicator_values "
            "where year = 2018 and computed_from = 'brukerplan'",
        )
    )
    assert len(values) == 11
    assert values[77] == (pytest.approx(100 * housing.count("1") / len(housing)), len(housing))
    red_or_blue = sum(i in ("3", "4") for i in index)
    assert values[16] == (pytest.approx(100 * red_or_blue / len(index)), len(index))  # weighted variant


def test_drill_down_totals_equal_the_national_values(sample_warehouse: Warehouse) -> None:
    mismatched = query(
        sample_warehouse,
        """
        select r.indicator_no, r.year
        from marts.mart_indicator_by_region as r
        inner join marts.fct_indicator_values as v using (indicator_no, year)
        where r.region_level = 'national' and (abs(r.value - v.value) > 1e-9 or r.n_units != v.n_units)
        """,
    )
    assert mismatched == []
    counts = dict(
        query(
            sample_warehouse,
            "select region_level, count(distinct (indicator_no, year)) "
            "from marts.mart_indicator_by_region group by 1",
        )
    )
    assert counts == {"national": 102, "county": 102, "size_class": 102, "county_by_size_class": 102}
    leaks = query(
        sample_warehouse,
        "select count(*) from marts.mart_indicator_by_region "
        "where is_suppressed and (value is not null or n_units is not null)",
    )
    assert leaks == [(0,)]
    small = query(
        sample_warehouse,
        "select count(*) from marts.mart_indicator_by_region where not is_suppressed and n_units > 0 and "
        "((count_kind = 'persons' and n_units < 5) or n_municipalities < 3 "
        "or (count_kind = 'units' and n_units < 3))",
    )
    assert small == [(0,)]


def test_distribution_tables_and_dimensions(sample_warehouse: Warehouse) -> None:
    shares = query(
        sample_warehouse,
        "select group_value, round(sum(share), 6) from marts.mart_brukerplan_distribution "
        "where year = 2018 and measure = 'area_bolig' and group_type = 'gender' group by 1 order by 1",
    )
    assert shares == [("K", 100.0), ("M", 100.0)]
    municipalities = dict(
        query(sample_warehouse, "select year, count(*) from marts.dim_municipality_year group by 1")
    )
    assert municipalities == {
        2016: 428,
        2017: 426,
        2018: 422,
        2019: 422,
        2020: 356,
        2021: 356,
        2022: 356,
        2023: 356,
        2024: 357,
    }
    units = query(
        sample_warehouse,
        "select count(*) filter (where unit_type = 'bydel'), count(distinct size_class) "
        "from marts.dim_reporting_unit_year where year = 2018",
    )
    assert units == [(15, 3)]


def test_person_level_rows_are_never_published(sample_warehouse: Warehouse) -> None:
    serving = sample_warehouse.settings.serving_dir / "warehouse.duckdb"
    with duckdb.connect(str(serving), read_only=True) as conn:
        columns = {
            c
            for (c,) in conn.execute(
                "select distinct column_name from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
        largest = conn.execute("select max(estimated_size) from duckdb_tables()").fetchone()[0]
    assert not {"registration_key", "gender", "age_group", "source_row"} & columns
    assert largest < 23_762


def test_a_municipality_code_that_does_not_exist_in_that_year_fails_the_suite(
    sample_warehouse: Warehouse,
) -> None:
    from dagster_project.core.quality.suites import validate_frame
    from dagster_project.defs.quality.report import failure_message

    folder = sample_warehouse.settings.landing_dir / "is24_8" / "2018"
    extract = is24_8.read_extract(next(folder.iterdir()))
    frame = extract.frame.copy()
    frame.loc[5, "unit_code"] = "1601"  # Trondheim's code until 2017; 5001 from 2018
    result = validate_frame(frame, "is24_8", is24_8_parameters(2018))
    assert not result.success
    failure = next(f for f in result.failures if f.rule == "code_valid_in_year")
    message = failure_message(failure, is24_8.CONTRACT, "is24_8_2018.csv")
    assert "row 8" in message and "column 'enhetsnr'" in message and "unit_code=1601" in message
    assert "1601" in population_parameters(2017)["municipality_codes"]


def test_perturbed_sample_fails_reconciliation_and_nothing_is_published(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = fingerprint(warehouse)
    path = warehouse.settings.landing_dir / "is24_8" / "2018" / "is24_8_2018.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[1].split(";")
    column = header.index("oppsokende_team")  # ind. 54: 25 % of 422 in the sample
    flipped = 0
    for i, line in enumerate(lines[2:], start=2):
        cells = line.split(";")
        if cells[column] == "0" and flipped < 10:
            cells[column] = "1"
            lines[i] = ";".join(cells)
            flipped += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    summary = run(warehouse.root)

    assert not summary.success and not summary.built
    message = next(m for m in summary.failures if "computed_values_reconcile_with_published" in m)
    assert "indicator 54 2018" in message and "published 25" in message
    after = fingerprint(warehouse)
    assert after["files"] == before["files"]  # no report, no publication


def test_identity_numbers_in_a_delivery_load_nothing(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = fingerprint(warehouse)
    raw_before = query(warehouse, "select count(*) from raw.brukerplan")
    path = warehouse.settings.landing_dir / "brukerplan" / "2018" / "brukerplan_2018.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = some_numbers("121285", 1)[0]
    lines[5] = number + lines[5][lines[5].index(";") :]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    summary = run(warehouse.root)

    assert not summary.success
    message = next(m for m in summary.failures if "no_national_identity_numbers" in m)
    assert "brukerplan_2018.csv, row 6, column 'registreringsnokkel'" in message
    assert query(warehouse, "select count(*) from raw.brukerplan") == raw_before
    assert fingerprint(warehouse) == before
