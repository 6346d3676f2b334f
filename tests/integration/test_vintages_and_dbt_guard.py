"""A corrected file is a new vintage; a failing dbt test stops reports and publication."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import Warehouse, copy_warehouse, run

pytestmark = pytest.mark.integration


def test_a_corrected_file_in_the_same_delivery_is_a_new_vintage(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    delivery = warehouse.settings.landing_dir / "national_figures" / "2018" / "nasjonale_tall_2018.csv"
    text = delivery.read_text(encoding="utf-8")
    # Indicator 3 (state budget) is published only; a computed one would fail reconciliation instead.
    assert "\n3;2018;2152;" in text
    delivery.write_text(text.replace("\n3;2018;2152;", "\n3;2018;2160;"), encoding="utf-8")

    summary = run(warehouse.root)

    assert summary.success, summary.failures
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        history = conn.execute(
            "select value, is_current_vintage from marts.fct_indicator_value_history "
            "where indicator_no = 3 and year = 2018 order by vintage_rank"
        ).fetchall()
        current = conn.execute(
            "select value, is_revised, previous_value, previous_delivery_year "
            "from marts.fct_indicator_values "
            "where indicator_no = 3 and year = 2018"
        ).fetchone()
        change = conn.execute(
            "select round(change, 4) from marts.mart_indicator_changes "
            "where indicator_no = 3 and from_year = 2017 and to_year = 2018 and not is_annualised"
        ).fetchone()[0]
        loads = conn.execute(
            "select count(*), count(*) filter (where is_current) "
            "from marts.fct_extract_loads where source = 'national_figures' and delivery_year = 2018"
        ).fetchone()
    assert history == [(2160.0, True), (2152.0, False)]
    assert current == (2160.0, True, 2152.0, 2018)
    assert change == round((2160 / 2141 - 1) * 100, 4)
    assert loads == (2, 1)
    page = (warehouse.settings.reports_dir / "2018" / "indikatorstatus_2018.html").read_text(encoding="utf-8")
    assert "2 160" in page and "tidligere levert 2 152 (leveranse 2018)" in page


def test_a_failing_dbt_test_blocks_reports_and_publication(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    settings = warehouse.settings
    # Bypass the ingest check, as a hand edit of the warehouse would: an indicator the catalogue lacks.
    with duckdb.connect(str(settings.warehouse_db)) as conn:
        conn.execute(
            "insert into raw.national_figures select load_id, delivery_year, 999, 999, year, value, unit, "
            "source_reference, note, file_name, file_sha256, loaded_at, file_comment "
            "from raw.national_figures limit 1"
        )
    watched = sorted(
        p for p in [*settings.reports_dir.rglob("*"), *settings.serving_dir.rglob("*")] if p.is_file()
    )
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched}

    summary = run(warehouse.root)

    assert not summary.built
    assert any("warehouse_dbt_models" in m for m in summary.failures), summary.failures
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched} == before


def test_a_new_year_adds_columns_without_code_change(sample_warehouse: Warehouse, tmp_path: Path) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    delivery = warehouse.settings.landing_dir / "national_figures" / "2019"
    delivery.mkdir()
    (delivery / "nasjonale_tall_2019.csv").write_text(
        "# Testleveranse (syntetisk)\nindikator;år;verdi;enhet;kilde;merknad\n"
        "4;2019;16500;årsverk;IS-24/8;\n45;2019;75;prosent;IS-24/8;\n",
        encoding="utf-8",
    )

    summary = run(warehouse.root)

    assert summary.success, summary.failures
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        annualised = conn.execute(
            "select indicator_no, round(change, 4), colour from marts.mart_indicator_changes "
            "where from_year = 2016 and to_year = 2019 and is_annualised and indicator_no in (4, 45) "
            "order by 1"
        ).fetchall()
    assert annualised == [
        (4, round(((16500 / 13936) ** (1 / 3) - 1) * 100, 4), "green"),  # CAGR over three years
        (45, round((75 - 77) / 3, 4), "yellow"),  # -0.67 pp a year: within the threshold
    ]
    page = (warehouse.settings.reports_dir / "2019" / "indikatorstatus_2019.html").read_text(encoding="utf-8")
    for header in ("2016", "2017", "2018", "2019", "2016\u20132017", "2018\u20132019", "2016\u20132019"):
        assert f">{header}" in page
    assert "16 500" in page
