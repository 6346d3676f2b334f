"""BrukerPlan contract versions by year: the 2015 format must carry its weight, later ones need not."""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest import brukerplan
from dagster_project.core.quality.suites import validate_frame


def _write(folder: Path, year: int, drop: str | None = None) -> Path:
    columns = [
        c.header for c in brukerplan.CONTRACT.columns if brukerplan.delivered(c, year) and c.header != drop
    ]
    values = {
        "registreringsnokkel": "BPX-0123456789abcdef",
        "kommunenr": "0301",
        "år": str(year),
        "kjonn": "M",
        "aldersgruppe": "30-39",
        "vekt": "1,47",
    }
    path = folder / str(year) / f"brukerplan_{year}.csv"
    path.parent.mkdir(parents=True)
    row = [values.get(c, "1") for c in columns]
    path.write_text(";".join(columns) + "\n" + ";".join(row) + "\n", encoding="utf-8")
    return path


def test_the_2015_format_loads_with_its_weight_and_later_columns_as_null(tmp_path: Path) -> None:
    frame = brukerplan.read_extract(_write(tmp_path, 2015)).frame
    assert set(brukerplan.CONTRACT.names) <= set(frame.columns)
    assert frame.loc[0, "weight"] == 1.47
    assert frame["in_work"].isna().all() and frame["index_unweighted"].isna().all()


def test_a_2015_delivery_without_its_weight_fails_the_contract(tmp_path: Path) -> None:
    frame = brukerplan.read_extract(_write(tmp_path, 2015, drop="vekt")).frame
    assert "weight" not in frame.columns
    params = {"delivery_year": 2015, "municipality_codes": ["0301"], "min_rows": 1, "max_rows": 10}
    result = validate_frame(frame, "brukerplan", params)
    assert not result.success
    assert result.failures[0].rule == "columns_match_contract"


def test_later_years_have_no_weight_column(tmp_path: Path) -> None:
    frame = brukerplan.read_extract(_write(tmp_path, 2017)).frame
    assert frame["weight"].isna().all() and frame.loc[0, "in_work"] == 1
