"""Property: a damaged extract loads cleanly or is rejected with a named rule, never anything else.

Valid sample deliveries are mutated (bytes, cells, rows; CSV and XLSX) and run through the reader,
the Great Expectations suite and the raw loader (into an in-memory DuckDB). Allowed outcomes: an
``ExtractError`` naming the file and a rule, a failed suite whose messages name the file and a
rule, or a clean load of exactly the rows read. Not allowed: any other exception, or a load of
some rows only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.national_figures import CONTRACT, read_extract
from dagster_project.core.ingest.raw_tables import write_load
from dagster_project.core.ingest.reference import national_figures_parameters
from dagster_project.core.quality.suites import validate_frame
from dagster_project.defs.quality.report import failure_message
from dagster_project.sample.national_figures import write_delivery
from tests.support.mutations import mutated_bytes, mutated_csv, mutated_xlsx


def bounded(examples: int) -> settings:
    """Bounded on purpose: each example runs the GE suite. No shrinking (it can take minutes);
    a failure is printed as drawn and can be replayed with the printed seed."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("samples")
    return {year: write_delivery(root, year) for year in (2016, 2017, 2018)}


def load_or_reject(path: Path, delivery_year: int) -> str:
    """The whole ingest path without Dagster; returns 'loaded' or 'rejected', or raises."""
    try:
        extract = read_extract(path)
    except ExtractError as error:
        assert str(error).startswith(path.name) and error.rule
        return "rejected"
    result = validate_frame(extract.frame, "national_figures", national_figures_parameters(delivery_year))
    if not result.success:
        messages = [failure_message(f, CONTRACT, path.name) for f in result.failures]
        assert all(m.startswith(path.name) and "rule '" in m for m in messages)
        return "rejected"
    assert extract.frame["parse_error"].isna().all()
    with duckdb.connect() as conn:
        outcome = write_load(
            conn,
            CONTRACT,
            extract.frame,
            delivery_year=delivery_year,
            file_name=path.name,
            sha256="0" * 64,
            comment=None,
        )
        loaded = conn.execute("select count(*) from raw.national_figures").fetchone()[0]
    assert loaded == outcome.row_count == len(extract.frame)
    return "loaded"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@bounded(8)
@given(data=st.data(), year=st.sampled_from([2016, 2018]))
def test_csv_with_damaged_bytes(samples, tmp_path: Path, data, year: int) -> None:
    damaged = data.draw(mutated_bytes(samples[year].read_bytes()))
    load_or_reject(write(tmp_path, f"nasjonale_tall_{year}.csv", damaged), year)


@bounded(10)
@given(data=st.data(), year=st.sampled_from([2016, 2018]))
def test_csv_with_damaged_cells_and_rows(samples, tmp_path: Path, data, year: int) -> None:
    text = data.draw(mutated_csv(samples[year].read_text(encoding="utf-8")))
    load_or_reject(write(tmp_path, f"nasjonale_tall_{year}.csv", text.encode("utf-8")), year)


@bounded(8)
@given(data=st.data())
def test_xlsx_with_damaged_cells(samples, tmp_path: Path, data) -> None:
    damaged = data.draw(mutated_xlsx(samples[2017].read_bytes()))
    load_or_reject(write(tmp_path, "nasjonale_tall_2017.xlsx", damaged), 2017)


@bounded(8)
@given(data=st.data())
def test_xlsx_with_damaged_bytes(samples, tmp_path: Path, data) -> None:
    damaged = data.draw(mutated_bytes(samples[2017].read_bytes()))
    load_or_reject(write(tmp_path, "nasjonale_tall_2017.xlsx", damaged), 2017)


def test_the_unmutated_samples_load(samples, tmp_path: Path) -> None:
    """The property is only meaningful if the starting point loads."""
    assert {year: load_or_reject(path, year) for year, path in samples.items()} == dict.fromkeys(
        samples, "loaded"
    )
