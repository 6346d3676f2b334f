"""Hostile deliveries that once got through, one test each, and the masking of identity numbers.

The identity-number rule is tested against numbers whose check digits are computed here by hand
(modulus 11, weights 3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2), not by the module under test.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from dagster_project.core.ingest import is24_8, national_figures, user_satisfaction
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.files import find_extract, latest_plausible_year
from dagster_project.core.ingest.identity_numbers import (
    RULE,
    identity_numbers_in,
    is_identity_number,
    mask_identity_numbers,
)
from dagster_project.core.ingest.reference import is24_8_questions_asked
from dagster_project.core.operations.log import Rejection, RunContext, quarantine

# 150375 12335: 1*3+5*7+0*6+3*1+7*8+5*9+1*4+2*5+3*2 = 162, 162 mod 11 = 8, k1 = 11-8 = 3;
# 1*5+5*4+0*3+3*2+7*7+5*6+1*5+2*4+3*3+3*2 = 138, 138 mod 11 = 6, k2 = 11-6 = 5.
HAND_COMPUTED = "15037512335"
# 240290 45678: 2*3+4*7+0*6+2*1+9*8+0*9+4*4+5*5+6*2 = 161, 161 mod 11 = 7, k1 = 4;
# 2*5+4*4+0*3+2*2+9*7+0*6+4*5+5*4+6*3+4*2 = 159, 159 mod 11 = 5, k2 = 6.
HAND_COMPUTED_2 = "24029045646"
# D-number (day + 40) 410180 25000: 4*3+1*7+0+1*1+8*8+0+2*4+5*5+0 = 117, 117 mod 11 = 7, k1 = 4;
# 4*5+1*4+0+1*2+8*7+0+2*5+5*4+0+4*2 = 120, 120 mod 11 = 10, k2 = 1.
D_NUMBER = "41018025041"
SKATTEETATEN_EXAMPLE = "01010750160"


def test_numbers_valid_by_the_hand_computed_definition_are_identity_numbers() -> None:
    for number in (HAND_COMPUTED, HAND_COMPUTED_2, D_NUMBER, SKATTEETATEN_EXAMPLE):
        assert is_identity_number(number), number
    for wrong in ("15037512336", "15037512345", "24029045647", "41018025042"):
        assert not is_identity_number(wrong), wrong


def test_identity_numbers_are_found_anywhere_in_a_cell_and_masked() -> None:
    text = f"Tall kontrollert mot sak for {HAND_COMPUTED}, se også 150375 12335."
    assert identity_numbers_in(text) == [HAND_COMPUTED, HAND_COMPUTED]
    assert identity_numbers_in(int(SKATTEETATEN_EXAMPLE)) == [SKATTEETATEN_EXAMPLE]  # Excel lost the 0
    assert identity_numbers_in(f"BP2018-{HAND_COMPUTED}x") == []  # part of a key, not a number
    assert identity_numbers_in("123456789012") == []  # twelve digits: an amount, not a number
    masked = mask_identity_numbers(text)
    assert HAND_COMPUTED not in masked and "12335" not in masked
    assert masked == "Tall kontrollert mot sak for 150375*****, se også 150375*****."
    assert mask_identity_numbers("Beløp 12345678901 kr") == "Beløp 12345678901 kr"  # no valid check digits


def test_an_extract_error_never_repeats_an_identity_number() -> None:
    error = ExtractError(f"fil_{D_NUMBER}.csv", RULE, f"'{D_NUMBER}' is odd", row=2, column=D_NUMBER)
    assert D_NUMBER not in str(error) and "410180*****" in str(error)
    assert D_NUMBER not in (error.file + (error.column or "") + error.detail)


def test_a_quarantine_row_never_repeats_an_identity_number(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        quarantine(
            conn,
            RunContext(batch_id="b"),
            source="national_figures",
            delivery_year=2018,
            file_name="x.csv",
            file_sha256=None,
            stage="check",
            rejections=[Rejection("some_rule", f"value '{HAND_COMPUTED}' is not allowed", 3, "merknad")],
        )
        stored = conn.execute("select message from raw.quarantine").fetchall()
        logged = conn.execute("select detail from raw.run_log").fetchall()
    assert stored == [("value '150375*****' is not allowed",)]
    assert HAND_COMPUTED not in str(logged)


def delivery(landing: Path, source: str, year: int | str, name: str) -> Path:
    folder = landing / source / str(year)
    folder.mkdir(parents=True)
    return folder / name


NATIONAL_HEADER = "indikator;år;verdi;enhet;kilde;merknad"


def test_identity_number_in_free_text_is_refused_and_masked(tmp_path: Path) -> None:
    path = delivery(tmp_path, "national_figures", 2018, "tall.csv")
    path.write_text(
        f"{NATIONAL_HEADER}\n1;2018;12,5;prosent;SSB;\n"
        f'2;2018;3;antall;SSB;"Tall kontrollert mot sak for {HAND_COMPUTED}, ok"\n',
        encoding="utf-8",
    )
    with pytest.raises(ExtractError) as caught:
        national_figures.read_extract(path)
    error = caught.value
    assert (error.rule, error.row, error.column) == (RULE, 3, "merknad")
    assert HAND_COMPUTED not in str(error)


def write_sav(path: Path, columns: dict[str, list], **kwargs) -> None:
    import pandas as pd
    import pyreadstat

    pyreadstat.write_sav(pd.DataFrame(columns), str(path), **kwargs)


def test_identity_numbers_in_an_spss_string_variable_or_label_are_refused_and_masked(tmp_path: Path) -> None:
    path = delivery(tmp_path, "user_satisfaction", 2017, "us.sav")
    write_sav(path, {"lopenr": [1.0, 2.0], "Q1": [1.0, 2.0], "fodselsnr": [HAND_COMPUTED, D_NUMBER]})
    with pytest.raises(ExtractError) as caught:
        user_satisfaction.read_extract(path)
    error = caught.value
    assert (error.rule, error.row, error.column) == (RULE, 1, "fodselsnr")
    assert HAND_COMPUTED not in str(error) and D_NUMBER not in str(error)

    path.unlink()
    write_sav(
        path,
        {"lopenr": [1.0], "Q1": [1.0]},
        column_labels=["Løpenummer", f"Kjønn (kontroll {HAND_COMPUTED})"],
    )
    with pytest.raises(ExtractError) as caught:
        user_satisfaction.read_extract(path)
    assert caught.value.rule == RULE and "label of variable 'Q1'" in str(caught.value)
    assert HAND_COMPUTED not in str(caught.value)


def test_a_year_folder_after_next_year_is_refused(tmp_path: Path) -> None:
    path = delivery(tmp_path, "national_figures", 2099, "tall.csv")
    path.write_text(f"{NATIONAL_HEADER}\n1;2099;12,5;prosent;SSB;\n", encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        find_extract(tmp_path, "national_figures", 2099)
    assert caught.value.rule == "plausible_delivery_year" and "2099" in str(caught.value)
    next_year = latest_plausible_year()
    delivery(tmp_path, "national_figures", next_year, "tall.csv").write_text("x", encoding="utf-8")
    assert find_extract(tmp_path, "national_figures", next_year).name == "tall.csv"


def is24_8_file(path: Path, questions: tuple[str, ...], year: int) -> None:
    header = ";".join(["enhetsnr", "år", *questions])
    path.write_text(f"{header}\n0301;{year};{';'.join('1' for _ in questions)}\n", encoding="utf-8")


def test_an_is24_8_file_without_a_question_asked_that_year_is_refused(tmp_path: Path) -> None:
    asked = is24_8_questions_asked(2018)
    assert "recoveryorientert" in asked and "recoveryorientert" not in is24_8_questions_asked(2016)
    path = delivery(tmp_path, "is24_8", 2018, "is24_8.csv")
    is24_8_file(path, tuple(q for q in asked if q != "recoveryorientert"), 2018)
    with pytest.raises(ExtractError) as caught:
        is24_8.read_extract(path)
    assert (caught.value.rule, caught.value.column) == ("asked_questions_present", "recoveryorientert")
    path.unlink()
    is24_8_file(path, asked, 2018)
    assert not is24_8.read_extract(path).absent
    # not asked in 2016: the seed says so, and the 2016 file may lack it
    older = delivery(tmp_path, "is24_8", 2016, "is24_8.csv")
    is24_8_file(older, is24_8_questions_asked(2016), 2016)
    assert "recoveryorientert" in is24_8.read_extract(older).absent


def test_symbolic_links_out_of_the_landing_area_are_refused(tmp_path: Path) -> None:
    landing, outside = tmp_path / "landing", tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "tall.csv"
    secret.write_text(f"{NATIONAL_HEADER}\n1;2018;12,5;prosent;SSB;\n", encoding="utf-8")
    link = delivery(landing, "national_figures", 2018, "tall.csv")
    os.symlink(secret, link)
    with pytest.raises(ExtractError) as caught:
        find_extract(landing, "national_figures", 2018)
    assert caught.value.rule == "inside_landing_area"
    (landing / "national_figures" / "2019").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ExtractError) as caught:
        find_extract(landing, "national_figures", 2019)
    assert caught.value.rule == "inside_landing_area"
    # a link inside the landing area is a file of the delivery like any other
    link.unlink()
    inside = landing / "national_figures" / "kopi.csv"
    inside.write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink(inside, link)
    assert find_extract(landing, "national_figures", 2018) == link


def test_an_xlsx_workbook_named_csv_is_called_what_it_is(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(NATIONAL_HEADER.split(";"))
    path = tmp_path / "tall.csv"
    workbook.save(path)
    assert zipfile.is_zipfile(path)
    with pytest.raises(ExtractError) as caught:
        national_figures.read_extract(path)
    assert caught.value.rule == "file_type_matches_name"
    assert "XLSX workbook" in str(caught.value) and "NUL" not in str(caught.value)


@pytest.mark.parametrize("first_sheet", ["notes", "header only"])
def test_a_workbook_with_its_data_on_the_second_sheet_says_only_the_first_is_read(
    tmp_path: Path, first_sheet: str
) -> None:
    workbook = Workbook()
    info = workbook.active
    info.title = "Info"
    if first_sheet == "notes":
        info.append(["Indikatortall levert av SSB"])
    else:
        info.append(NATIONAL_HEADER.split(";"))
    data = workbook.create_sheet("Data")
    data.append(NATIONAL_HEADER.split(";"))
    data.append([1, 2018, 12.5, "prosent", "SSB"])
    path = tmp_path / "tall.xlsx"
    workbook.save(path)
    with pytest.raises(ExtractError) as caught:
        national_figures.read_extract(path)
    message = str(caught.value)
    assert "Only the first sheet" in message or "only the first sheet is read" in message
    assert "'Data'" in message
