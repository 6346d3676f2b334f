"""Reading survey microdata: SPSS value labels against the codebook, CSV codes, the long frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dagster_project.core.ingest import municipal_sample_survey, user_satisfaction
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.survey_microdata import load_codebook

DEGREE5 = {1.0: "Ikke i det hele tatt", 2.0: "I liten grad", 3.0: "I noen grad", 4.0: "I stor grad"}


def write_sav(folder: Path, frame: pd.DataFrame, labels: dict[str, dict[float, str]], name="bt.sav") -> Path:
    import pyreadstat

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels, file_label="test")
    return path


def small_wave(q9: list[float | None]) -> pd.DataFrame:
    n = len(q9)
    return pd.DataFrame(
        {
            "lopenr": [float(i) for i in range(1, n + 1)],
            "Q1": [1.0] * n,
            "Q2": [1970.0] * n,
            "storrelse": [3.0] * n,
            "kommune": [1.0] * n,
            "Q9": q9,
        }
    )


def test_a_sav_with_the_codebook_labels_is_read_long(tmp_path: Path) -> None:
    labels = {"Q9": {**DEGREE5, 5.0: "I svært stor grad"}, "Q1": {1.0: "Kvinne", 2.0: "Mann"}}
    path = write_sav(tmp_path / "user_satisfaction" / "2017", small_wave([5.0, None, 3.0]), labels)
    extract = user_satisfaction.read_extract(path)
    frame = extract.frame.set_index(["respondent_id", "variable"])
    assert len(extract.frame) == 3 * 5  # respondent x variable, the id column is the key
    assert (
        frame.loc[("1", "Q9"), "code"] == 5 and frame.loc[("1", "Q9"), "value_label"] == "I svært stor grad"
    )
    assert pd.isna(frame.loc[("2", "Q9"), "code"])  # system-missing stays missing, not «ikke aktuelt»
    assert frame.loc[("1", "Q2"), "value"] == 1970.0 and pd.isna(frame.loc[("1", "Q2"), "code"])
    assert frame.loc[("3", "Q9"), "source_row"] == 3
    assert extract.comments == ("test",)


def test_a_sav_with_an_unknown_value_label_is_rejected(tmp_path: Path) -> None:
    # a file coded against another questionnaire: 9 = «Vet ikke» is not an option of Q9
    labels = {"Q9": {**DEGREE5, 5.0: "I svært stor grad", 9.0: "Vet ikke"}}
    path = write_sav(tmp_path / "user_satisfaction" / "2017", small_wave([5.0, 9.0, 3.0]), labels)
    with pytest.raises(ExtractError) as caught:
        user_satisfaction.read_extract(path)
    error = caught.value
    assert (error.file, error.rule, error.column, error.row) == (
        "bt.sav",
        "value_labels_match_codebook",
        "Q9",
        2,
    )
    assert "9 = 'Vet ikke' is not in the codebook for Q9" in str(error)
    assert str(error).startswith("bt.sav, row 2, column 'Q9': rule 'value_labels_match_codebook'")


def test_a_sav_whose_label_text_differs_from_the_codebook_is_rejected(tmp_path: Path) -> None:
    labels = {"Q9": {**DEGREE5, 5.0: "Helt enig"}}
    path = write_sav(tmp_path / "user_satisfaction" / "2017", small_wave([5.0]), labels)
    with pytest.raises(
        ExtractError, match="code 5 is labelled 'Helt enig' in the file but 'I svært stor grad'"
    ):
        user_satisfaction.read_extract(path)


def test_a_wave_without_codebook_is_rejected_with_what_to_do(tmp_path: Path) -> None:
    path = write_sav(tmp_path / "user_satisfaction" / "2031", small_wave([5.0]), {})
    with pytest.raises(ExtractError, match="no codebook rows for user_satisfaction wave 2031"):
        user_satisfaction.read_extract(path)


def test_a_damaged_sav_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "user_satisfaction" / "2017"
    folder.mkdir(parents=True)
    (folder / "bt.sav").write_bytes(b"$FL2 not really spss")
    with pytest.raises(ExtractError, match="rule 'readable_sav'"):
        user_satisfaction.read_extract(folder / "bt.sav")


def test_csv_cells_that_are_not_codes_go_to_parse_error(tmp_path: Path) -> None:
    folder = tmp_path / "municipal_sample_survey" / "2011"
    folder.mkdir(parents=True)
    path = folder / "kommuner.csv"
    path.write_text("# test\nenhet;storrelse;Q1;Q18\nE01;1;3;5\nE02;2;x;2,5\nE03;4;;6\n", encoding="utf-8")
    frame = municipal_sample_survey.read_extract(path).frame.set_index(["respondent_id", "variable"])
    assert frame.loc[("E01", "Q18"), "value_label"] == "I svært liten grad"
    assert frame.loc[("E02", "Q1"), "parse_error"] == "column 'Q1': 'x' is not a number"
    assert frame.loc[("E02", "Q18"), "parse_error"] == "column 'Q18': '2,5' is not a whole-number code"
    assert frame.loc[("E02", "Q1"), "source_row"] == 4  # the line in the file
    assert pd.isna(frame.loc[("E03", "Q1"), "code"])


def test_codebook_pairs_cover_multi_select_as_zero_one() -> None:
    pairs = load_codebook("municipal_sample_survey", 2011).code_pairs()
    assert ["Q8_1", 0] in pairs and ["Q8_1", 1] in pairs and ["Q8_1", 2] not in pairs


def test_the_synthetic_waves_are_byte_identical_when_generated_again(tmp_path: Path) -> None:
    import hashlib

    from dagster_project.sample.surveys import write_surveys

    first = [hashlib.sha256(p.read_bytes()).hexdigest() for p in write_surveys(tmp_path / "a")]
    second = [hashlib.sha256(p.read_bytes()).hexdigest() for p in write_surveys(tmp_path / "b")]
    assert first == second
    extract = user_satisfaction.read_extract(write_surveys(tmp_path / "c")[0])
    assert any("SYNTETISKE DATA" in c for c in extract.comments)  # labelled synthetic in the file itself
    assert extract.frame["respondent_id"].nunique() == 491
