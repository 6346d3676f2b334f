"""Every bad extract in tests/fixtures fails its earliest rule with file, row and column named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.files import find_extract
from dagster_project.core.ingest.national_figures import CONTRACT, read_extract
from dagster_project.core.ingest.reference import national_figures_parameters
from dagster_project.core.quality.suites import validate_frame
from dagster_project.defs.quality.report import failure_message

BAD = Path(__file__).parents[1] / "fixtures" / "national_figures" / "bad"

#: file -> (rule, row in the file, column as delivered); None where the rule concerns the whole file.
#: The same table is in tests/fixtures/national_figures/bad/README.md.
SUITE_FAILURES = {
    "missing_column.csv": ("columns_match_contract", None, None),
    "renamed_column.csv": ("columns_match_contract", None, None),
    "extra_column.csv": ("columns_match_contract", None, None),
    "mojibake_header.csv": ("columns_match_contract", None, None),
    "header_only.csv": ("has_rows", None, None),
    "decimal_point.csv": ("cells_parse", 4, "verdi"),
    "dot_thousands_separator.csv": ("cells_parse", 3, "verdi"),
    "text_in_value.csv": ("cells_parse", 4, "verdi"),
    "missing_value_symbol.csv": ("cells_parse", 4, "verdi"),
    "percent_sign.csv": ("cells_parse", 4, "verdi"),
    "year_as_range.csv": ("cells_parse", 4, "år"),
    "year_as_date.xlsx": ("cells_parse", 3, "år"),
    "missing_indicator.csv": ("indicator_present", 4, "indikator"),
    "merged_indicator_cells.xlsx": ("indicator_present", 3, "indikator"),
    "unknown_indicator.csv": ("indicator_in_catalogue", 4, "indikator"),
    "retired_indicator.csv": ("indicator_in_catalogue", 4, "indikator"),
    "year_after_delivery.csv": ("year_in_range", 3, "år"),
    "year_before_2000.csv": ("year_in_range", 4, "år"),
    "file_of_another_year.csv": ("delivery_year_present", None, "år"),
    "missing_value.csv": ("value_present", 4, "verdi"),
    "uncalculated_formula.xlsx": ("value_present", 3, "verdi"),
    "unknown_unit.csv": ("unit_known", 4, "enhet"),
    "wrong_unit.csv": ("unit_matches_catalogue", 3, "indikator, enhet"),
    "duplicate_key.csv": ("one_value_per_indicator_year", 4, "indikator, år"),
    "percent_140.csv": ("percent_within_0_100", 4, "verdi"),
    "negative_percent.csv": ("percent_within_0_100", 4, "verdi"),
    "negative_count.csv": ("non_negative_unit", 3, "verdi"),
}
#: file -> (rule, row, column): structural problems the reader stops at, before any validation.
READER_FAILURES = {
    "comma_delimiter.csv": ("semicolon_delimiter", 1, None),
    "bom_comma_delimiter.csv": ("semicolon_delimiter", 2, None),
    "tab_delimiter.csv": ("semicolon_delimiter", 2, None),
    "latin1_encoding.csv": ("utf8_encoding", 2, None),
    "windows1252_in_data.csv": ("utf8_encoding", 4, None),
    "utf16_unicode_text.csv": ("utf8_encoding", 1, None),
    "truncated.csv": ("field_count", 4, None),
    "crlf_missing_field.csv": ("field_count", 4, None),
    "values_beyond_header.xlsx": ("field_count", 3, None),
    "unbalanced_quote.csv": ("csv_syntax", 5, None),
    "empty.csv": ("has_header", None, None),
    "comments_only.csv": ("has_header", None, None),
    "data_on_second_sheet.xlsx": ("has_header", None, None),
    "title_row.csv": ("header_row", 2, None),
    "english_headers.xlsx": ("header_row", 1, None),
    "duplicate_header.csv": ("unique_headers", 2, "verdi"),
    "trailing_delimiter.csv": ("column_headers", 2, None),
    "blank_header_cell.xlsx": ("column_headers", 1, None),
    "csv_renamed_to.xlsx": ("readable_xlsx", None, None),
    "truncated.xlsx": ("readable_xlsx", None, None),
    "damaged_sheet.xlsx": ("readable_xlsx", None, None),
}
#: Files the delivery folder check refuses before reading them.
FOLDER_FAILURES = {"old_excel_format.xls": "supported_file_type"}


def test_the_corpus_is_complete_and_documented() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    assert files == set(SUITE_FAILURES) | set(READER_FAILURES) | set(FOLDER_FAILURES)
    assert len(files) >= 30
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"| {name} |" in readme, name


@pytest.mark.parametrize("name", sorted(SUITE_FAILURES))
def test_suite_names_the_rule_row_and_column(name: str) -> None:
    rule, row, column = SUITE_FAILURES[name]
    extract = read_extract(BAD / name)
    result = validate_frame(extract.frame, "national_figures", national_figures_parameters(2018))
    assert not result.success
    first = result.failures[0]
    assert first.rule == rule
    assert first.first_row() == row
    message = failure_message(first, CONTRACT, name)
    assert message.startswith(name)
    assert f"rule '{rule}'" in message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"column '{column}'" in message


@pytest.mark.parametrize("name", sorted(READER_FAILURES))
def test_unreadable_files_fail_before_validation(name: str) -> None:
    rule, row, column = READER_FAILURES[name]
    with pytest.raises(ExtractError) as caught:
        read_extract(BAD / name)
    assert caught.value.rule == rule
    assert caught.value.row == row
    assert caught.value.column == column
    assert str(caught.value).startswith(name)
    assert f"rule '{rule}'" in str(caught.value)


@pytest.mark.parametrize("name", sorted(FOLDER_FAILURES))
def test_unsupported_files_are_refused_in_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "national_figures" / "2018"
    folder.mkdir(parents=True)
    shutil.copy(BAD / name, folder / name)
    with pytest.raises(ExtractError) as caught:
        find_extract(tmp_path, "national_figures", 2018)
    assert caught.value.rule == FOLDER_FAILURES[name]
    assert name in str(caught.value)


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    """Excel's 'CSV UTF-8' starts with a BOM and ends lines with CRLF: that is a good file."""
    from dagster_project.sample.national_figures import write_delivery

    plain = write_delivery(tmp_path / "plain", 2018)
    text = plain.read_text(encoding="utf-8")
    excel = tmp_path / "excel.csv"
    excel.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    expected, got = read_extract(plain), read_extract(excel)
    assert got.frame.equals(expected.frame)
    assert got.comments == expected.comments
    result = validate_frame(got.frame, "national_figures", national_figures_parameters(2018))
    assert result.success


def test_a_quoted_field_may_span_lines_and_rows_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'indikator;år;verdi;enhet;kilde;merknad\n11;2018;5449;antall;SSB;"to\nlinjer"\n'
        "45;2018;73;prosent;IS-24/8;\n",
        encoding="utf-8",
    )
    frame = read_extract(path).frame
    assert list(frame["source_row"]) == [2, 4]
    assert frame["note"][0] == "to\nlinjer"


def test_the_sample_deliveries_pass_the_suite(tmp_path: Path) -> None:
    from dagster_project.sample.national_figures import YEARS, write_delivery

    for year in YEARS:
        extract = read_extract(write_delivery(tmp_path, year))
        result = validate_frame(extract.frame, "national_figures", national_figures_parameters(year))
        assert result.success, [f.rule for f in result.failures]
        assert extract.comments and "Eksempeldata" in extract.comments[0]


def test_xlsx_and_csv_give_the_same_frame(tmp_path: Path) -> None:
    """The 2017 sample is XLSX; written as CSV it must parse to the identical frame."""
    from dagster_project.sample import national_figures as sample

    xlsx = read_extract(sample.write_delivery(tmp_path / "x", 2017)).frame
    csv_dir = tmp_path / "c"
    original = sample.XLSX_YEARS
    try:
        sample.XLSX_YEARS = ()
        csv_frame = read_extract(sample.write_delivery(csv_dir, 2017)).frame
    finally:
        sample.XLSX_YEARS = original
    columns = [c for c in xlsx.columns if c != "source_row"]
    assert xlsx[columns].equals(csv_frame[columns])
