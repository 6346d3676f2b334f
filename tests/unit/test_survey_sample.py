"""The synthetic 2017 user survey uses the full five-point scale, as the questionnaire (Vedlegg 3) does."""

from __future__ import annotations

from dagster_project.sample import surveys


def test_every_five_point_item_uses_all_five_codes_and_the_practical_help_index_reaches_100() -> None:
    columns, rows = surveys.build_user_satisfaction()
    items = [i for i in surveys._seed_items(surveys.USER_SATISFACTION, surveys.US_WAVE)]
    five_point = [
        i["item_code"] for i in items if i["scale_code"].startswith("degree5") and i["item_code"] in columns
    ]
    assert {"Q14_1", "Q14_6", "Q9"} <= set(five_point)
    for code in five_point:
        used = {r[columns.index(code)] for r in rows} - {None, 6, 7}
        assert used == {1, 2, 3, 4, 5}, code
    practical = [f"Q14_{i}" for i in range(1, 7)]
    complete = [
        [r[columns.index(c)] for c in practical]
        for r in rows
        if all(r[columns.index(c)] in (1, 2, 3, 4, 5) for c in practical)
    ]
    scores = [sum(case) / (5 * len(practical)) * 100 for case in complete]
    assert len(complete) == 191  # Tabell 2
    assert max(scores) > 80
    assert round(sum(scores) / len(scores)) == 44  # Tabell 2: mean 44


def test_ticked_counts_round_to_the_printed_class_and_national_shares() -> None:
    from dagster_project.sample.surveys import US_CLASS_SIZES, _round_half_up, ticked_counts

    counts = ticked_counts(US_CLASS_SIZES, {1: 9, 2: 5, 3: 9}, 9)  # Q28_2: nearest counts give 8 %
    shares = {c: _round_half_up(100 * k / US_CLASS_SIZES[c]) for c, k in counts.items()}
    assert shares[1] == 9 and shares[3] == 9  # 5 % of 67 has no whole count: the nearest (3) stays
    assert counts[2] == 3
    assert _round_half_up(100 * sum(counts.values()) / sum(US_CLASS_SIZES.values())) == 9
    # out of reach of the class windows: the class shares win, nothing loops
    far = ticked_counts(US_CLASS_SIZES, {1: 9, 2: 5, 3: 9}, 20)
    assert _round_half_up(100 * far[3] / US_CLASS_SIZES[3]) == 9
