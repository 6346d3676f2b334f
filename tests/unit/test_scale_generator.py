"""The benchmark scale generator: the sample at SF1, more person rows at larger factors, never over
the sample; and the reference rules that let years after the newest municipality list load."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dagster_project.core.ingest import reference
from dagster_project.sample import scale
from dagster_project.sample.generate import generate
from dagster_project.settings import Settings

YEARLY_SOURCES = ("national_figures", "population", "is24_8", "brukerplan")


def files(landing: Path) -> dict[str, bytes]:
    return {str(p.relative_to(landing)): p.read_bytes() for p in sorted(landing.rglob("*")) if p.is_file()}


def data_rows(path: Path) -> int:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return len(lines) - 1  # the header


def test_scale_factor_1_is_the_bundled_sample(tmp_path: Path) -> None:
    scale.write_scaled(tmp_path / "scaled", 1, (2016, 2018))
    generate(tmp_path / "sample")
    assert files(tmp_path / "scaled") == files(tmp_path / "sample")


def test_a_larger_factor_multiplies_the_person_rows_only(tmp_path: Path) -> None:
    import pyreadstat

    scale.write_scaled(tmp_path / "one", 1, (2026, 2026))
    scale.write_scaled(tmp_path / "three", 3, (2026, 2026))
    scale.write_scaled(tmp_path / "again", 3, (2026, 2026))
    assert files(tmp_path / "three") == files(tmp_path / "again")  # deterministic
    one, three = tmp_path / "one", tmp_path / "three"
    bp = "brukerplan/2026/brukerplan_2026.csv"
    assert data_rows(three / bp) == 3 * data_rows(one / bp) == 3 * 23_762
    for fixed in ("population/2026/folkemengde_2026.csv", "is24_8/2026/is24_8_2026.csv"):
        assert data_rows(three / fixed) == data_rows(one / fixed)
    survey = next((three / "municipal_sample_survey").rglob("*.csv"))
    assert data_rows(survey) == 3 * data_rows(next((one / "municipal_sample_survey").rglob("*.csv")))
    frame, _ = pyreadstat.read_sav(str(next((three / "user_satisfaction").rglob("*.sav"))))
    assert len(frame) == 3 * 491 and frame["lopenr"].is_unique
    bp_2015 = "brukerplan/2015/brukerplan_2015.csv"  # the booklet year grows too: one scale per source
    assert data_rows(three / bp_2015) == 3 * data_rows(one / bp_2015) == 3 * 18_913
    for delivery in (bp, bp_2015):
        with (three / delivery).open(encoding="utf-8") as handle:
            rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter=";")
            keys = [row["registreringsnokkel"] for row in rows]
        assert len(set(keys)) == len(keys)


def test_scaled_data_never_goes_into_the_warehouse_landing_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        scale.main(["--landing", str(Settings.from_env().landing_dir)])
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something.csv").write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit):
        scale.main(["--landing", str(tmp_path / "used")])
    with pytest.raises(SystemExit):
        scale.main(["--landing", str(tmp_path / "new"), "--years", "2010-2012"])


def test_a_year_after_the_newest_list_is_checked_against_that_list() -> None:
    assert reference.municipality_codes(2031) == reference.municipality_codes(2024)
    assert len(reference.municipality_codes(2024)) == 357
    assert reference.row_count_range("population", 2031) == (357, 357)
    units = len(reference.is24_8_units(2031))
    assert reference.row_count_range("is24_8", 2031) == (int(0.86 * units), units)
    assert reference.row_count_range("is24_8", 2018) == (380, 436)  # the seed's own range wins


def test_the_row_count_scale_applies_to_person_level_sources_only(monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_ROW_COUNT_SCALE", "10")
    assert reference.row_count_range("brukerplan", 2018) == (150_000, 350_000)
    assert reference.row_count_range("population", 2018) == (422, 422)
    monkeypatch.setenv("WAREHOUSE_ROW_COUNT_SCALE", "0")
    with pytest.raises(ValueError, match="WAREHOUSE_ROW_COUNT_SCALE"):
        reference.row_count_range("brukerplan", 2018)
