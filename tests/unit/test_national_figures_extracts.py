"""Every bad extract in tests/fixtures fails its earliest rule with file, row and column named."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.ingest.errors import ExtractError
from dagster_project.ingest.national_figures import CONTRACT, read_extract
from dagster_project.ingest.reference import national_figures_parameters
from dagster_project.quality.report import failure_message
from dagster_project.quality.suites import validate_frame

BAD = Path(__file__).parents[1] / "fixtures" / "national_figures" / "bad"

#: file -> (rule, row in the file, column as delivered); None where the rule concerns the whole file.
SUITE_FAILURES = {
    "missing_column.csv": ("columns_match_contract", None, None),
    "unknown_indicator.csv": ("indicator_in_catalogue", 4, "indikator"),
    "duplicate_key.csv": ("one_value_per_indicator_year", 4, "indikator, år"),
    "percent_140.csv": ("percent_within_0_100", 4, "verdi"),
    "decimal_point.csv": ("cells_parse", 4, "verdi"),
    "year_after_delivery.csv": ("year_in_range", 3, "år"),
    "wrong_unit.csv": ("unit_matches_catalogue", 3, "indikator, enhet"),
    "negative_count.csv": ("non_negative_unit", 3, "verdi"),
    "header_only.csv": ("has_rows", None, None),
}
READER_FAILURES = {
    "comma_delimiter.csv": ("semicolon_delimiter", 1),
    "latin1_encoding.csv": ("utf8_encoding", 2),
    "truncated.csv": ("field_count", 4),
    "empty.csv": ("has_header", None),
}


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
    rule, row = READER_FAILURES[name]
    with pytest.raises(ExtractError) as caught:
        read_extract(BAD / name)
    assert caught.value.rule == rule
    assert caught.value.row == row
    assert str(caught.value).startswith(name)


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
