"""The hostile deliveries that once got through, all at once through the real pipeline: each is
rejected with its rule, no identity number appears in any message or warehouse table, and what
readers see (marts, reports, the published copy) is byte-identical."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyreadstat
import pytest
from openpyxl import Workbook

from tests.integration.conftest import Warehouse, copy_warehouse, run
from tests.integration.test_bad_extracts import fingerprint
from tests.unit.test_input_contracts import D_NUMBER, HAND_COMPUTED

pytestmark = pytest.mark.integration


def replace_delivery(landing: Path, source: str, year: int) -> Path:
    folder = landing / source / str(year)
    for old in folder.iterdir():
        old.unlink()
    return folder


def test_none_of_the_hostile_deliveries_gets_through(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    before = fingerprint(warehouse)
    landing = warehouse.settings.landing_dir

    # 1. a valid fødselsnummer in the free-text remark of a national figure
    (national,) = (landing / "national_figures" / "2018").glob("*.csv")
    text = national.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(text) if line.startswith("indikator"))
    fields = text[header_at + 1].split(";")
    fields[-1] = f"Tall kontrollert mot sak for {HAND_COMPUTED}, se merknad"
    text[header_at + 1] = ";".join(fields)
    national.write_text("\n".join(text) + "\n", encoding="utf-8")

    # 2. an SPSS string variable holding identity numbers
    (sav,) = (landing / "user_satisfaction" / "2017").glob("*.sav")
    data, meta = pyreadstat.read_sav(str(sav))
    data["fodselsnr"] = [HAND_COMPUTED if i % 2 else D_NUMBER for i in range(len(data))]
    pyreadstat.write_sav(data, str(sav), variable_value_labels=meta.variable_value_labels)

    # 3. a year folder far in the future
    future = landing / "population" / "2099"
    future.mkdir()
    (future / "folkemengde_2099.csv").write_bytes(
        next((landing / "population" / "2018").glob("*.csv")).read_bytes()
    )

    # 4. an IS-24/8 file without a question the codebook says was asked that year
    (is24,) = (landing / "is24_8" / "2018").glob("*.csv")
    lines = is24.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("enhetsnr"))
    dropped = lines[header_at].split(";").index("recoveryorientert")
    for i in range(header_at, len(lines)):
        cells = lines[i].split(";")
        lines[i] = ";".join(cells[:dropped] + cells[dropped + 1 :])
    is24.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # 5. a symbolic link out of the landing area
    outside = tmp_path / "elsewhere.csv"
    folder = replace_delivery(landing, "population", 2017)
    outside.write_bytes(next((landing / "population" / "2016").glob("*.csv")).read_bytes())
    os.symlink(outside, folder / "folkemengde_2017.csv")

    # 6. an XLSX workbook named .csv, and a workbook with its data on the second sheet
    folder = replace_delivery(landing, "national_figures", 2017)
    workbook = Workbook()
    workbook.active.append(["indikator", "år", "verdi", "enhet", "kilde"])
    workbook.save(folder / "nasjonale_tall_2017.csv")
    folder = replace_delivery(landing, "national_figures", 2016)
    workbook = Workbook()
    workbook.active.title = "Forside"
    workbook.active.append(["Nasjonale tall 2016"])
    data_sheet = workbook.create_sheet("Tall")
    data_sheet.append(["indikator", "år", "verdi", "enhet", "kilde"])
    data_sheet.append([4, 2016, 12.5, "årsverk", "SSB"])
    workbook.save(folder / "nasjonale_tall_2016.xlsx")

    summary = run(warehouse.root)

    assert not summary.success and not summary.built
    failures = "\n".join(summary.failures)
    for rule, file in [
        ("no_national_identity_numbers", national.name),
        ("no_national_identity_numbers", sav.name),
        ("plausible_delivery_year", "2099"),
        ("asked_questions_present", is24.name),
        ("inside_landing_area", "folkemengde_2017.csv"),
        ("file_type_matches_name", "nasjonale_tall_2017.csv"),
        ("header_row", "nasjonale_tall_2016.xlsx"),
    ]:
        assert any(f"rule '{rule}'" in m and file in m for m in summary.failures), (rule, failures)
    assert "Only the first sheet" in failures and "XLSX workbook" in failures

    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        stored = conn.execute(
            "select string_agg(coalesce(message, '') || ' ' || coalesce(column_name, ''), ' ') "
            "from raw.quarantine"
        ).fetchone()[0]
        logged = conn.execute("select string_agg(coalesce(detail, ''), ' ') from raw.run_log").fetchone()[0]
        years = conn.execute("select max(year) from marts.dim_municipality_year").fetchone()[0]
    for number in (HAND_COMPUTED, D_NUMBER):
        assert number not in failures and number not in stored and number not in logged
    assert years < 2099
    assert fingerprint(warehouse) == before
