"""``expect_column_pair_values_to_be_in_codebook``: GE's pair-in-set rule, decided per distinct pair.

Held to the definition GE's own metric implements row by row, and run through a real suite: a
code outside the codebook fails the survey suite and names its row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.ingest import user_satisfaction
from dagster_project.core.quality.expectations import pairs_in_set
from dagster_project.core.quality.suites import validate_frame
from dagster_project.sample.surveys import write_surveys

ALLOWED = [["Q9", 1], ["Q9", 2], ["Q10", 1], ["Q11", None]]
VARIABLE = st.one_of(st.none(), st.sampled_from(["Q9", "Q10", "Q11", "Q99"]))
CODE = st.one_of(st.none(), st.integers(0, 3))


def row_by_row(variables: list, codes: list, pairs: list) -> list[bool]:
    """GE's own ``column_pair_values.in_set`` on pandas: each row's (A, B), missing as None."""
    allowed = {(a, b) for a, b in pairs}
    return [(a, b) in allowed for a, b in zip(variables, codes, strict=True)]


@settings(max_examples=80, deadline=None, database=None)
@given(rows=st.lists(st.tuples(VARIABLE, CODE), max_size=40))
def test_per_distinct_pair_equals_row_by_row(rows) -> None:
    variables = pd.Series([v for v, _ in rows], dtype="string")
    codes = pd.Series(pd.array([c for _, c in rows], dtype="Int8"))
    got = pairs_in_set(variables, codes, ALLOWED).tolist()
    assert got == row_by_row([v for v, _ in rows], [c for _, c in rows], ALLOWED)


def test_no_pairs_allows_every_row() -> None:
    assert pairs_in_set(pd.Series(["a", "b"]), pd.Series([1, 2]), None).tolist() == [True, True]


def test_a_code_outside_the_codebook_fails_the_survey_suite_with_its_row(tmp_path: Path) -> None:
    path = write_surveys(tmp_path)[0]
    extract = user_satisfaction.read_extract(path)
    frame = extract.frame.copy()
    parameters = user_satisfaction.suite_parameters(2017)
    assert validate_frame(frame, "user_satisfaction", parameters).success

    bad = frame.index[(frame["variable"] == "Q13") & frame["code"].notna()][4]
    frame.loc[bad, "code"] = 8
    result = validate_frame(frame, "user_satisfaction", parameters)

    (failure,) = result.failures
    assert failure.rule == "code_in_codebook" and failure.unexpected_count == 1
    assert failure.rows[0]["source_row"] == frame.loc[bad, "source_row"]
