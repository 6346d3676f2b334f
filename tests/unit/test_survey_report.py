"""The survey report model: disclosure outcomes become dashes and means, never hidden numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from dagster_project.core.reports.survey_files import render_survey_html
from dagster_project.core.reports.survey_report import (
    HIDDEN,
    UNDEFINED,
    UNDEFINED_NOTE,
    build_survey_report,
    item_key,
)

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


def _options(rows):
    return pd.DataFrame(rows, columns=["code", "label", "is_top2"])


def test_bar_colours_run_from_least_to_most_favourable_also_when_reverse_coded() -> None:
    from dagster_project.core.reports.survey_report import NON_SUBSTANTIVE_COLOUR, option_colours

    ordinary = option_colours(
        _options([(1, "Lav", False), (2, "Middels", False), (3, "Høy", True), (4, "Vet ikke", False)])
    )
    reverse = option_colours(  # 2011 Q18: 1 = «I svært høy grad» (best), 5 = «I svært liten grad»
        _options([(1, "I svært høy grad", True), (2, "I høy grad", True), (3, "I noen grad", False),
                  (4, "I liten grad", False), (5, "I svært liten grad", False), (6, "Vet ikke", False)])
    )  # fmt: skip
    assert ordinary[3] == reverse[1] == "#2e6da4"  # most favourable: blue
    assert ordinary[1] == reverse[5] == "#c0504d"  # least favourable: red
    assert ordinary[4] == reverse[6] == NON_SUBSTANTIVE_COLOUR
    nominal = option_colours(_options([(1, "Egen enhet", False), (2, "Fordelt", False), (3, "NAV", False)]))
    assert not {"#c0504d", "#2e6da4"} & set(nominal.values())


def test_key_figures_name_their_measure_skip_unordered_items_and_show_age_groups() -> None:
    respondents, items, distribution, indices, loads = frames()
    respondents = pd.concat(
        [respondents, pd.DataFrame([("age_group", "18-29", 18, 9)], columns=respondents.columns)]
    )
    extra = pd.DataFrame(
        [
            ("Q2", "Prioritering?", "Samlet", "total", "Alle", 20, 0, 0, 30.0, 2.0, "full"),
            ("Q6", "Organisering?", "Samlet", "total", "Alle", 20, 0, 0, None, None, "full"),
            ("Q9", "Alt i alt?", "Samlet", "age_group", "18-29", 9, 0, 0, None, 3.4, "mean_only"),
        ],
        columns=items.columns,
    )
    items = pd.concat([items, extra])
    distribution = pd.DataFrame(
        [
            ("Q9", "total", 4, "I stor grad", 55.0, "full", True),
            ("Q9", "total", 5, "I svært stor grad", 10.0, "full", True),
            ("Q2", "total", 3, "Høy prioritering", 30.0, "full", True),
            ("Q2", "total", 2, "Middels", 70.0, "full", False),
            ("Q6", "total", 1, "Egen enhet", 60.0, "full", False),
            ("Q6", "total", 2, "NAV", 40.0, "full", False),
        ],
        columns=["item_code", "group_type", "code", "label", "percent_valid", "disclosure", "is_top2"],
    )
    indices = pd.DataFrame(
        [
            ("overall", "Samlet", "size_class", "Liten", 1, "full", 12, 60.0, 20.0, 100.0, 0.8),
            ("overall", "Samlet", "total", "Alle", 0, "full", 18, 67.2, 20.0, 100.0, None),
            ("overall", "Samlet", "age_group", "18-29", 18, "suppressed", None, None, None, None, None),
        ],
        columns=indices.columns,
    )
    report = build_survey_report(
        instrument=INSTRUMENT, wave=2011, respondents=respondents, items=items,
        distribution=distribution, indices=indices, loads=loads,
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
    )  # fmt: skip
    measures = {r.item_code: r.measure for r in report.key_rows}
    assert measures["Q2"] == "andel «Høy prioritering»"  # one option, not 'topp 2'
    assert measures["Q9"].startswith("topp 2")
    assert "Q6" not in measures and report.distribution_only == ["Q6"]
    assert report.column_headers[-1] == "18-29"
    assert report.key_rows[-1].cells[-1] == "snitt 3,4"
    assert [r.group for r in report.index_rows] == ["Alle", "Liten", "18-29"]  # «Alle» first
    assert report.index_rows[0].cells[-1] == UNDEFINED  # alpha not computable: not the dash
    assert report.index_rows[-1].cells[-1] == HIDDEN
    page = render_survey_html(report)
    assert UNDEFINED_NOTE in page and 'class="entry"' in page
