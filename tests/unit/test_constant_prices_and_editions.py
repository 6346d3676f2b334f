"""Constant prices in the report and the AS_OF of an edition: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from dagster_project.core.reports.editions import EditionError, parse_as_of
from dagster_project.core.reports.status_tables import restate_in_constant_prices
from dagster_project.sample import price_index


def _values() -> pd.DataFrame:
    return pd.DataFrame(
        [(3, 2016, 1000.0), (3, 2017, 1100.0), (3, 2018, 1200.0), (4, 2016, 50.0)],
        columns=["indicator_no", "year", "value"],
    )


def _prices(growth: dict[int, float]) -> pd.DataFrame:
    index, rows = 100.0, []
    for year in sorted(growth):
        index = 100.0 if not rows else index * (1 + growth[year] / 100)
        rows.append((year, growth[year], index, "SSB"))
    return pd.DataFrame(rows, columns=["year", "price_growth", "price_index", "source_reference"])


def test_nok_values_are_restated_in_the_report_years_kroner_and_others_left_alone() -> None:
    prices = _prices({2016: 2.0, 2017: 3.0, 2018: 4.0})
    restated, basis = restate_in_constant_prices(_values(), prices, [3], 2018)
    values = {(r.indicator_no, r.year): r.value for r in restated.itertuples()}
    assert values[(3, 2016)] == pytest.approx(1000 * 1.03 * 1.04)
    assert values[(3, 2017)] == pytest.approx(1100 * 1.04)
    assert values[(3, 2018)] == pytest.approx(1200)
    assert values[(4, 2016)] == 50.0
    assert basis is not None and basis.base_year == 2018
    assert "vist i 2018-kroner" in basis.note([3, 4]) and "(SSB)" in basis.note([3])
    # the 2017 report: 2017-kroner, the later deflator year is not used
    _, basis_2017 = restate_in_constant_prices(_values(), prices, [3], 2017)
    assert basis_2017.base_year == 2017


def test_without_a_deflator_nok_values_are_not_shown_rather_than_shown_nominal() -> None:
    restated, basis = restate_in_constant_prices(_values(), None, [3], 2018)
    assert restated[restated["indicator_no"] == 3]["value"].isna().all()
    assert basis.base_year is None and "mangler" in basis.note([3])
    unchanged, none = restate_in_constant_prices(_values(), None, [], 2018)
    assert none is None and unchanged.equals(_values())


def test_sample_deflator_factor_chains_growth() -> None:
    assert price_index.factor(2018, 2018) == 1.0
    assert price_index.factor(2016, 2018) == pytest.approx(1.025 * 1.028)
    assert price_index.factor(2018, 2016) == pytest.approx(1 / (1.025 * 1.028))


def test_as_of_accepts_a_date_a_moment_or_a_publication_id() -> None:
    moment, label = parse_as_of("2019-11-01")
    assert moment == datetime(2019, 11, 2, tzinfo=UTC) and label == "per 01.11.2019"
    moment, _ = parse_as_of("2019-11-01T12:30")
    assert moment == datetime(2019, 11, 1, 12, 30, tzinfo=UTC)
    moment, label = parse_as_of("20191101T120000-abcd1234")
    assert moment == datetime(2019, 11, 1, 12, 0, 1, tzinfo=UTC) and "20191101T120000-abcd1234" in label
    with pytest.raises(EditionError, match="publication id"):
        parse_as_of("first edition")


def test_editions_on_the_postgres_engine_stop_with_a_plain_message(monkeypatch, capsys, tmp_path) -> None:
    from dagster_project.core.reports.editions import main

    monkeypatch.setenv("WAREHOUSE_ENGINE", "postgres")
    monkeypatch.setenv("WAREHOUSE_POSTGRES_URL", "postgresql://u@127.0.0.1:1/db")
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "warehouse.duckdb"))
    with pytest.raises(SystemExit) as stopped:
        main(["--year", "2018", "--as-of", "2019-11-01"])
    assert stopped.value.code == 2
    assert "DuckDB warehouse only" in capsys.readouterr().err
