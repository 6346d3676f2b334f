"""The survey report model: disclosure outcomes become dashes and means, never hidden numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from dagster_project.reports.survey_files import render_survey_html
from dagster_project.reports.survey_report import HIDDEN, build_survey_report, item_key

INSTRUMENT = {
    "instrument": "user_satisfaction",
    "title": "Brukertilfredshet",
    "respondent_unit": "bruker",
    "percent_base": "gyldige svar",
    "min_n_mean": 4,
    "min_n_distribution": 11,
}


def frames():
    respondents = pd.DataFrame(
        [
            ("total", "Alle", 0, 20),
            ("gender", "Mann", 1, 14),
            ("gender", "Kvinne", 2, 6),
            ("size_class", "Liten", 1, None),
        ],
        columns=["group_type", "group_value", "group_order", "n_respondents"],
    )
    items = pd.DataFrame(
        [
            ("Q9", "Alt i alt?", "Samlet", "total", "Alle", 20, 0, 0, 55.0, 3.6, "full"),
            ("Q9", "Alt i alt?", "Samlet", "gender", "Mann", 14, 0, 0, 57.14, 3.7, "full"),
            ("Q9", "Alt i alt?", "Samlet", "gender", "Kvinne", 6, 0, 0, None, 3.333, "mean_only"),
            ("Q9", "Alt i alt?", "Samlet", "size_class", "Liten", None, None, None, None, None, "suppressed"),
        ],
        columns=[
            "item_code", "item_text", "item_group", "group_type", "group_value", "n_valid",
            "n_not_applicable", "n_missing", "top2_share", "mean", "disclosure",
        ],
    )  # fmt: skip
    distribution = pd.DataFrame(
        [
            ("Q9", "total", code, label, pct, "full")
            for code, label, pct in [(1, "Lite", 45.0), (4, "Mye", 55.0)]
        ],
        columns=["item_code", "group_type", "code", "label", "percent_valid", "disclosure"],
    )
    indices = pd.DataFrame(
        [("overall", "Samlet", "total", "Alle", 0, "full", 18, 67.2, 20.0, 100.0, 0.903)],
        columns=[
            "index_code", "index_label", "group_type", "group_value", "group_order", "disclosure",
            "n", "mean", "min_score", "max_score", "cronbach_alpha",
        ],
    )  # fmt: skip
    loads = pd.DataFrame(
        [("bt.sav", "ab" * 32, datetime(2026, 1, 2, 3, 4), "SYNTETISKE DATA - test")],
        columns=["file_name", "file_sha256", "loaded_at", "file_comment"],
    )
    return respondents, items, distribution, indices, loads


def test_cells_follow_the_disclosure_outcome() -> None:
    respondents, items, distribution, indices, loads = frames()
    report = build_survey_report(
        instrument=INSTRUMENT,
        wave=2017,
        respondents=respondents,
        items=items,
        distribution=distribution,
        indices=indices,
        loads=loads,
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert report.column_headers == ["Alle", "Mann", "Kvinne", "Liten"]
    assert report.key_rows[0].cells == ["55 %", "57 %", "snitt 3,3", HIDDEN]
    assert [s.text for s in report.distribution_groups[0][1][0].segments] == ["45 %", "55 %"]
    assert report.index_rows[0].cells == ["18", "67", "20", "100", "0,903"]
    assert ("Kommunestørrelse", "Liten", HIDDEN) in report.response_counts
    assert report.is_sample
    html = render_survey_html(report)
    assert "færre enn 4 svar" in html and "med 4\u201310 svar vises bare gjennomsnitt" in html
    assert "SYNTETISKE DATA" in html and "width: 55.00%" in html


def test_items_in_questionnaire_order() -> None:
    assert sorted(["Q10", "Q9", "Q14_2", "Q14_1", "Q30b", "Q30"], key=item_key) == [
        "Q9", "Q10", "Q14_1", "Q14_2", "Q30", "Q30b",
    ]  # fmt: skip
