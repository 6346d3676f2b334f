"""Survey rules: disclosure thresholds, percent bases, reverse coding, indices and Cronbach's alpha."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dagster_project.core.surveys.stats import (
    Option,
    complete_cases,
    cronbach_alpha,
    disclosure,
    index_score,
    summarise_item,
)

SURVEY_DATA = Path(__file__).parents[2] / "dagster_project" / "sample" / "data" / "surveys"

DEGREE5 = [Option(c, float(c), True, c >= 4) for c in range(1, 6)]
DEGREE5_NA = [*DEGREE5, Option(6, None, False)]  # 6 = «ikke aktuelt»


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "suppressed"),
        (3, "suppressed"),
        (4, "mean_only"),
        (10, "mean_only"),
        (11, "full"),
        (None, "suppressed"),
    ],
)
def test_disclosure_thresholds(n, expected) -> None:
    assert disclosure(n) == expected


def test_disclosure_thresholds_are_parameters() -> None:
    # the municipal survey reports every unit (respondents are municipalities, not persons)
    assert disclosure(1, min_n_mean=1, min_n_distribution=1) == "full"


def test_ikke_aktuelt_and_missing_are_outside_the_percent_base() -> None:
    # 10 answers: 4 valid (two top-2), 3 «ikke aktuelt», 3 missing -> 50 % of 4, not 20 % of 10
    answers = [5, 4, 2, 1, 6, 6, 6, None, None, None]
    result = summarise_item(answers, DEGREE5_NA)
    assert (result.n_valid, result.n_not_applicable, result.n_missing) == (4, 3, 3)
    assert result.top2_share == pytest.approx(50.0)
    assert result.percents == pytest.approx({1: 25.0, 2: 25.0, 3: 0.0, 4: 25.0, 5: 25.0})
    assert sum(result.percents.values()) == pytest.approx(100.0)
    assert result.mean == pytest.approx(3.0)


def test_the_2011_base_keeps_vet_ikke_in_the_denominator_but_not_in_the_mean() -> None:
    # Q1 2011, all 51 units (Figur 4.1): «vet ikke» (6) would count in percentages, never in means
    options = [*(Option(c, float(c), True, c >= 4) for c in range(1, 6)), Option(6, None, True)]
    answers = [5] * 3 + [4] * 14 + [3] * 27 + [2] * 7
    result = summarise_item(answers, options)
    assert result.n_valid == 51
    assert round(result.percents[3]) == 53
    assert result.mean == pytest.approx(3.25, abs=0.005)
    with_dont_know = summarise_item([*answers[:-1], 6], options)
    assert with_dont_know.n_valid == 51 and with_dont_know.percents[6] == pytest.approx(100 / 51)


def _published_counts(item: str) -> list[int]:
    with (SURVEY_DATA / "municipal_sample_survey_2011_counts.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["item_code"] == item]
    return [int(r["code"]) for r in rows for _ in range(int(r["n"]))]


def test_reverse_coding_of_the_2011_housing_item() -> None:
    # Q18: 1 = «i svært høy grad» satisfactory ... 5 = «i svært liten grad», 6 = «vet ikke»
    options = [Option(c, float(c), True, c <= 2) for c in range(1, 6)] + [Option(6, None, True)]
    answers = _published_counts("Q18")
    assert len(answers) == 51
    as_coded = summarise_item(answers, options)
    reversed_ = summarise_item(answers, options, reverse_coded=True)
    assert as_coded.mean == pytest.approx(3.90, abs=0.005)  # Tabell 4.6, questionnaire coding
    assert reversed_.mean == pytest.approx(6 - as_coded.mean)  # high = satisfactory after mirroring
    assert (
        reversed_.top2_share == as_coded.top2_share == pytest.approx(100 / 51)
    )  # 2 %: the top box is by label
    assert round(as_coded.percents[5]) == 35 and round(as_coded.percents[3]) == 39


def test_index_score_on_complete_cases_only() -> None:
    assert index_score([5, 5, 5, 5], 5) == pytest.approx(100)
    assert index_score([1, 1, 1, 1], 5) == pytest.approx(20)  # the theoretical minimum the report shows
    assert index_score([4, 3, None, 5], 5) is None  # «ikke aktuelt» or missing on any item: not scored
    # with a lower requirement, the maximum is over the answered items (a rescaled mean)
    assert index_score([4, 3, None, 5], 5, min_answered=3) == pytest.approx(12 / 15 * 100)


def test_complete_cases_drop_any_respondent_with_a_gap() -> None:
    rows = [{"a": 1.0, "b": 2.0}, {"a": None, "b": 2.0}, {"a": 3.0, "b": float("nan")}, {"a": 4.0, "b": 5.0}]
    assert complete_cases(rows, ["a", "b"]) == [[1.0, 2.0], [4.0, 5.0]]


def test_cronbach_alpha_against_a_hand_computed_example() -> None:
    # item variances 5/3, 4.75/3, 5/3 (sum 14.75/3); totals 5, 8, 10, 14 have variance 42.75/3
    # alpha = 3/2 * (1 - 14.75/42.75) = 168/171
    cases = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]
    assert cronbach_alpha(cases) == pytest.approx(168 / 171)


def test_cronbach_alpha_needs_variation() -> None:
    with pytest.raises(ValueError, match="undefined"):
        cronbach_alpha([[3, 3], [3, 3]])
    with pytest.raises(ValueError, match="two respondents"):
        cronbach_alpha([[1, 2]])
