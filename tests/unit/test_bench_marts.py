"""The benchmark's mart comparison: what counts as the same marts, and what does not."""

from pathlib import Path

import duckdb
import pytest

from benchmarks.marts import compare_files
from benchmarks.run import TARGETS, print_targets


def _warehouse(path: Path, rows: list[tuple], extra_table: bool = False) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_x (year integer, value double, loaded_at timestamptz)")
        conn.executemany("insert into marts.fct_x values (?, ?, ?)", rows)
        if extra_table:
            conn.execute("create table marts.dim_y (code varchar)")
    return path


def test_same_rows_in_another_order_and_load_time_are_the_same_marts(tmp_path):
    left = _warehouse(tmp_path / "a.duckdb", [(2016, 1.0, "2026-01-01"), (2017, 2.0000000001, "2026-01-01")])
    right = _warehouse(tmp_path / "b.duckdb", [(2017, 2.0, "2026-06-01"), (2016, 1.0, "2026-06-01")])
    assert compare_files(left, right) == (1, {})


def test_a_sum_whose_last_digits_straddle_a_rounding_boundary_is_the_same_value(tmp_path):
    # Two orders of adding 189 130 weights: 62102.4157975 and 62102.41579749999 round apart at 6 decimals.
    left = _warehouse(tmp_path / "a.duckdb", [(2015, 62102.4157975, None), (2015, 1.0, None)])
    right = _warehouse(tmp_path / "b.duckdb", [(2015, 1.0, None), (2015, 62102.41579749999, None)])
    assert compare_files(left, right) == (1, {})
    other = _warehouse(tmp_path / "c.duckdb", [(2015, 62102.4158975, None), (2015, 1.0, None)])
    assert compare_files(left, other)[1] == {"fct_x": "1 rows only in left_db, 1 only in right_db"}


@pytest.mark.parametrize(
    ("rows", "extra_table", "how"),
    [
        ([(2016, 1.0, None), (2017, 2.01, None)], False, "1 rows only in left_db, 1 only in right_db"),
        ([(2016, 1.0, None), (2017, 2.0, None), (2017, 2.0, None)], False, "0 rows only in left_db, 1 only"),
        ([(2016, 1.0, None)], False, "1 rows only in left_db, 0 only in right_db"),
        ([(2016, 1.0, None), (2017, 2.0, None)], True, "only in right_db"),
    ],
)
def test_a_changed_value_a_duplicate_a_missing_row_or_table_differ(tmp_path, rows, extra_table, how):
    left = _warehouse(tmp_path / "a.duckdb", [(2016, 1.0, None), (2017, 2.0, None)])
    right = _warehouse(tmp_path / "b.duckdb", rows, extra_table)
    _, differing = compare_files(left, right)
    assert len(differing) == 1
    assert next(iter(differing.values())).startswith(how)


def test_targets_say_met_missed_or_not_run(capsys):
    sf1 = {"full_build_s_median": 20.0, "ratio_to_reference": 12.0, "new_year_s_median": 9.0}
    print_targets([{"scenario": "sf1_3y", **sf1}])
    lines = capsys.readouterr().out.splitlines()

    def line_of(target):
        return next(line for line in lines if line.startswith(target.scenario) and target.what in line)

    met = {(t.scenario, t.what): line_of(t).rsplit("  ", 1)[-1] for t in TARGETS}
    assert met == {
        ("sf1_3y", "full build (quiet machine)"): "yes",
        ("sf1_3y", "full build / reference"): "NO",
        ("sf1_3y", "one new year"): "yes",
        ("sf100_10y", "full build / reference"): "not run",
        ("sf10_10y -> sf100_10y", "growth (time ratio / row ratio)"): "not run",
        ("sf100_10y", "peak RSS of the process tree"): "not run",
    }
