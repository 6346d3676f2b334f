"""A 2019 delivery after the published 2018 report: it restates 2017 and brings the 2019 deflator.

One extra pipeline run on a copy of the sample warehouse, shared by the tests below: the marts and
the 2019 report move to 2019-kroner with no code change, and the 2018 edition rebuilt as of its
publication is the report that was published, cell for cell."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from dagster_project.core.reports.editions import EditionError, build_edition, edition_dir, main, parse_as_of
from dagster_project.sample import national_figures, price_index
from tests.integration.conftest import Warehouse, copy_warehouse, run

pytestmark = pytest.mark.integration

#: The 2019 delivery restates these 2017 values (9: a count; 3: a NOK amount, current prices).
RESTATED_2017 = {9: 250.0, 3: 2100.0}
GROWTH_2019 = 3.0


@dataclass(frozen=True)
class After2019:
    warehouse: Warehouse
    published_html: str
    published_xlsx: Path
    publication_id: str


def _write_2019(landing: Path) -> None:
    national_figures.write_delivery(landing, 2019)
    path = landing / "national_figures" / "2019" / "nasjonale_tall_2019.csv"
    units = {r["indikator"]: (r["enhet"], r["kilde"]) for r in national_figures.delivery_rows(2017)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for indicator, value in RESTATED_2017.items():
        unit, source = units[indicator]
        writer.writerow([indicator, 2017, str(value).replace(".", ","), unit, source, "Revidert i 2019"])
    path.write_text(path.read_text(encoding="utf-8") + buffer.getvalue(), encoding="utf-8")
    price_index.write_delivery(landing, 2019, [[2019, str(GROWTH_2019).replace(".", ","), "test", ""]])


@pytest.fixture(scope="module")
def after_2019(sample_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> After2019:
    warehouse = copy_warehouse(sample_warehouse, tmp_path_factory.mktemp("editions") / "wh")
    kept = tmp_path_factory.mktemp("kept")
    folder = warehouse.settings.reports_dir / "2018"
    published_html = (folder / "indikatorstatus_2018.html").read_text(encoding="utf-8")
    published_xlsx = kept / "indikatorstatus_2018.xlsx"
    published_xlsx.write_bytes((folder / "indikatorstatus_2018.xlsx").read_bytes())
    with duckdb.connect(str(warehouse.settings.serving_dir / "warehouse.duckdb"), read_only=True) as conn:
        (publication_id,) = conn.execute("select distinct publication_id from marts.publication").fetchone()
    _write_2019(warehouse.settings.landing_dir)
    summary = run(warehouse.root)
    assert summary.success, summary.failures
    return After2019(warehouse, published_html, published_xlsx, publication_id)


def query(warehouse: Warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_a_2019_deflator_restates_2016_2018_in_2019_kroner(after_2019: After2019) -> None:
    rows = {
        (no, year): (nominal, value, base)
        for no, year, nominal, value, base in query(
            after_2019.warehouse,
            "select indicator_no, year, value_nominal, value, price_base_year "
            "from marts.mart_indicator_values_constant_prices where is_price_adjusted",
        )
    }
    to_2019 = {year: price_index.factor(year, 2018) * (1 + GROWTH_2019 / 100) for year in (2016, 2017, 2018)}
    for (indicator, year), (nominal, value, base) in rows.items():
        assert base == 2019
        if year in to_2019:
            assert value == pytest.approx(nominal * to_2019[year], rel=1e-9), (indicator, year)
    assert {i for i, _ in rows} == {1, 3, 5, 8, 24}
    # nominal values are kept as delivered
    assert rows[(3, 2017)][0] == RESTATED_2017[3]
    assert rows[(3, 2018)][0] == 2152.0

    page = (after_2019.warehouse.settings.reports_dir / "2019" / "indikatorstatus_2019.html").read_text(
        "utf-8"
    )
    assert "Millioner 2019-kroner" in page and "Millioner 2018-kroner" not in page
    assert "vist i 2019-kroner" in page
    cells = re.search(r'data-indicator="3">(.*?)</tr>', page, re.S).group(1)
    shown = re.findall(r'<td class="num value[^"]*"[^>]*>([^<]*)</td>', cells)  # 2016..2019
    expected = round(2152.0 * (1 + GROWTH_2019 / 100))
    assert shown[2] == f"{expected // 1000} {expected % 1000:03d}"  # 2018 value in 2019-kroner
    # a real change does not depend on the base year: 2016-2017 of ind. 5 as in the 2018 report
    (change,) = query(
        after_2019.warehouse,
        "select change from marts.mart_indicator_changes "
        "where indicator_no = 5 and from_year = 2016 and to_year = 2017 and not is_annualised",
    )[0]
    assert change == pytest.approx((4626 / 4726 - 1) * 100, abs=1e-3)  # printed 2018-kroner values


def _tables(html: str) -> str:
    """Everything a reader compares: the page up to the footer (file list and build time)."""
    return html.split("<footer>")[0]


def _xlsx_cells(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = [
            tuple((c.value, c.number_format, c.fill.fgColor.rgb if c.fill.fill_type else None) for c in row)
            for row in sheet.iter_rows()
        ]
        if sheet.title == "Indikatorstatus":  # the footer lines below «Uttrekksfiler:» may differ
            cut = next(i for i, row in enumerate(rows) if row[0][0] == "Uttrekksfiler:")
            rows = rows[:cut]
        sheets[sheet.title] = rows
    return sheets


def test_the_2018_edition_as_published_is_rebuilt_cell_for_cell(after_2019: After2019, tmp_path) -> None:
    settings = after_2019.warehouse.settings
    current = (settings.reports_dir / "2018" / "indikatorstatus_2018.html").read_text(encoding="utf-8")
    assert _tables(current) != _tables(after_2019.published_html)  # the restatement changed the report

    report = build_edition(
        settings.warehouse_db, 2018, after_2019.publication_id, generated_at=datetime.now(UTC)
    )
    assert report.edition.startswith(f"Utgave publikasjon {after_2019.publication_id}")
    from dagster_project.core.reports.files import write_status_report

    html_path, xlsx_path = write_status_report(report, tmp_path / "edition")
    assert _tables(html_path.read_text(encoding="utf-8")) == _tables(after_2019.published_html)
    assert _xlsx_cells(xlsx_path) == _xlsx_cells(after_2019.published_xlsx)


def test_make_report_writes_the_edition_and_refuses_a_time_before_the_history(
    after_2019: After2019, monkeypatch, capsys
) -> None:
    settings = after_2019.warehouse.settings
    monkeypatch.setenv("WAREHOUSE_DB", str(settings.warehouse_db))
    monkeypatch.setenv("WAREHOUSE_REPORTS_DIR", str(settings.reports_dir))
    assert main(["--year", "2018", "--as-of", after_2019.publication_id]) == 0
    folder = edition_dir(settings.reports_dir, 2018, after_2019.publication_id)
    assert sorted(p.name for p in folder.iterdir()) == [
        "indikatorstatus_2018.html",
        "indikatorstatus_2018.xlsx",
    ]
    with pytest.raises(SystemExit):
        main(["--year", "2018", "--as-of", "2019-11-01"])
    assert "nothing was known at" in capsys.readouterr().err
    with pytest.raises(EditionError, match="neither a date"):
        parse_as_of("last tuesday")
