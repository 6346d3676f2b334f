"""JSON-stat 2.0 and PC-Axis deliveries load like the CSV one: same contract, checks and messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.core.ingest import national_figures, population
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.reference import national_figures_parameters, population_parameters
from dagster_project.core.quality.suites import validate_frame
from dagster_project.sample import agency_formats, municipal

AGENCY = Path(agency_formats.__file__).parent / "data" / "agency"
DATA_COLUMNS = ["municipality_code", "year", "population"]


@pytest.fixture(scope="module")
def csv_frame(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    landing = tmp_path_factory.mktemp("landing")
    return population.read_extract(municipal.write_population(landing, 2018)).frame


@pytest.mark.parametrize("suffix", [".json", ".px"])
def test_an_agency_population_delivery_loads_like_the_csv_one(suffix: str, csv_frame: pd.DataFrame) -> None:
    parsed = population.read_extract(AGENCY / f"folkemengde_07459_2018_SYNTETISK{suffix}")
    pd.testing.assert_frame_equal(
        parsed.frame[DATA_COLUMNS].reset_index(drop=True), csv_frame[DATA_COLUMNS].reset_index(drop=True)
    )
    assert parsed.frame["parse_error"].isna().all()
    assert any("SYNTETISKE" in c for c in parsed.comments)
    assert validate_frame(parsed.frame, "population", population_parameters(2018)).success


def test_a_wrong_value_in_a_px_file_gets_the_csv_message(tmp_path: Path) -> None:
    text = (AGENCY / "folkemengde_07459_2018_SYNTETISK.px").read_bytes().decode("cp1252")
    data_at = text.index("DATA=")
    broken = text[:data_at] + text[data_at:].replace(" ", " -5 ", 1)[: len(text) - data_at]
    path = tmp_path / "folkemengde.px"
    path.write_bytes(broken.encode("cp1252"))
    with pytest.raises(ExtractError) as error:  # the cube no longer adds up
        population.read_extract(path)
    assert error.value.rule == "cube_complete" and "folkemengde.px" in str(error.value)


def test_a_jsonstat_file_of_the_wrong_year_fails_the_suite(tmp_path: Path) -> None:
    document = json.loads((AGENCY / "folkemengde_07459_2018_SYNTETISK.json").read_text(encoding="utf-8"))
    document["dimension"]["Tid"]["category"]["index"] = {"2017": 0}
    path = tmp_path / "folkemengde.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = validate_frame(population.read_extract(path).frame, "population", population_parameters(2018))
    assert not result.success


def test_national_figures_as_jsonstat(tmp_path: Path) -> None:
    document = agency_formats.national_figures_jsonstat(2018, tmp_path / "landing")
    path = tmp_path / "nasjonale_tall.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    frame = national_figures.read_extract(path).frame
    assert set(frame["unit"]) == {"antall"} and frame["parse_error"].isna().all()
    assert len(frame) == sum(v is not None for v in document["value"]) + sum(
        v is None for v in document["value"]
    )
    assert validate_frame(
        frame.dropna(subset=["value"]), "national_figures", national_figures_parameters(2018)
    ).success


def test_a_non_agency_file_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "folkemengde.json"
    shutil.copy(AGENCY / "folkemengde_07459_2018_SYNTETISK.json", path)
    path.write_text('{"class": "dataset"}', encoding="utf-8")
    with pytest.raises(ExtractError, match="not a JSON-stat dataset"):
        population.read_extract(path)
