"""Survey microdata through the real pipeline: marts reproduce the published figures, disclosure holds,
the survey-based indicators reach fct_indicator_values and reconcile, the report is written."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from dagster_project.core.surveys.stats import cronbach_alpha, disclosure
from dagster_project.sample.surveys import DATA
from tests.integration.conftest import Warehouse, copy_warehouse, run

pytestmark = pytest.mark.integration

US = "user_satisfaction"
MS = "municipal_sample_survey"


def query(warehouse: Warehouse, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def headlines(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ITEM_SQL = """
select n_valid, top2_share, n_top2, mean, mean_as_coded, n_scored, disclosure
from marts.mart_survey_item_summary
where instrument = ? and wave = ? and item_code = ? and group_type = ? and group_value = ?
"""


def item(warehouse, instrument, wave, code, group_type="total", group_value="Alle"):
    rows = query(warehouse, ITEM_SQL, [instrument, wave, code, group_type, group_value])
    assert len(rows) == 1, (instrument, code, group_type, group_value)
    return dict(
        zip(
            ("n_valid", "top2", "n_top2", "mean", "mean_as_coded", "n_scored", "disclosure"),
            rows[0],
            strict=True,
        )
    )


def test_2017_headline_top2_shares_come_out_of_the_mart(sample_warehouse: Warehouse) -> None:
    checked = 0
    for h in headlines("user_satisfaction_2017_headlines.csv"):
        if h["measure"] != "top2_share":
            continue
        got = item(sample_warehouse, US, 2017, h["item_code"])
        assert abs(got["top2"] - float(h["value"])) <= 1.0, (h, got)  # the report prints integers
        assert abs(got["n_valid"] - int(h["n"])) <= 2, (h, got)  # its own n's disagree by up to 2
        if h["count"]:
            assert abs(got["n_top2"] - int(h["count"])) <= 2, (h, got)
        checked += 1
    assert checked == 37  # 27 satisfaction items and the 10 HSCL items («ganske + veldig mye plaget»)
    # the headline of headlines: «halvparten er tilfredse», 54 % (244 of 452)
    q9 = item(sample_warehouse, US, 2017, "Q9")
    assert (q9["n_top2"], q9["n_valid"], round(q9["top2"])) == (244, 452, 54)


def test_2017_size_class_results_match_vedlegg_3(sample_warehouse: Warehouse) -> None:
    labels = {
        1: "Liten kommune (0\u20134 999)",
        2: "Mellomstor kommune (5 000\u201319 999)",
        3: "Stor kommune (20 000+)",
    }
    expected = {
        ("Q9", 1): 70, ("Q9", 2): 59, ("Q9", 3): 50, ("Q11", 1): 76, ("Q11", 3): 46,
        ("Q19", 1): 94, ("Q19", 2): 88, ("Q19", 3): 74, ("Q21", 1): 75, ("Q21", 3): 51,
        ("Q22", 1): 59, ("Q22", 2): 53, ("Q22", 3): 40, ("Q30b", 1): 47, ("Q30b", 3): 23,
    }  # fmt: skip
    for (code, size), published in expected.items():
        got = item(sample_warehouse, US, 2017, code, "size_class", labels[size])
        assert abs(got["top2"] - published) <= 1.0, (code, size, got)


def test_2017_distribution_excludes_ikke_aktuelt_and_adds_up(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select code, n, n_valid, percent_valid from marts.mart_survey_item_distribution "
        "where instrument = ? and item_code = 'Q14_1' and group_type = 'total' order by code",
        [US],
    )
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]  # no row for 6 = «ikke aktuelt»
    assert sum(r[1] for r in rows) == rows[0][2] == 359
    assert sum(r[3] for r in rows) == pytest.approx(100.0)
    summary = item(sample_warehouse, US, 2017, "Q14_1")
    (n_na, n_missing) = query(
        sample_warehouse,
        "select n_not_applicable, n_missing from marts.mart_survey_item_summary "
        "where instrument = ? and item_code = 'Q14_1' and group_type = 'total'",
        [US],
    )[0]
    assert summary["n_valid"] + n_na + n_missing == 491 and n_na > 0 and n_missing > 0
    # Q20 (degrading treatment): never 63 % (285), many times 7 % (32)
    q20 = dict(
        query(
            sample_warehouse,
            "select code, n from marts.mart_survey_item_distribution "
            "where instrument = ? and item_code = 'Q20' and group_type = 'total'",
            [US],
        )
    )
    assert q20[1] == 285 and abs(q20[4] - 32) <= 2


def test_both_percent_bases_of_the_2017_report(sample_warehouse: Warehouse) -> None:
    rows = dict(
        (code, (valid, inclusive))
        for code, valid, inclusive in query(
            sample_warehouse,
            "select item_code, top2_share, top2_share_incl_not_applicable "
            "from marts.mart_survey_item_summary where instrument = ? and group_type = 'total'",
            [US],
        )
    )
    assert rows["Q9"][0] == rows["Q9"][1]  # no «ikke aktuelt» option: the bases agree (NK II 54 = ch. 5 54)
    valid, inclusive = rows["Q14_1"]
    assert round(valid) == 43 and inclusive < valid  # ch. 5: 43 %; Nøkkeltall II (N/A in the base): 35 %
    assert abs(inclusive - 35) <= 2


def test_2017_respondents_and_indices(sample_warehouse: Warehouse) -> None:
    counts = dict(
        query(
            sample_warehouse,
            "select group_value, n_respondents from marts.mart_survey_respondents "
            "where instrument = ? and group_type in ('total', 'size_class')",
            [US],
        )
    )
    assert counts["Alle"] == 491
    assert sorted(v for k, v in counts.items() if k != "Alle") == [53, 67, 371]
    for h in headlines("user_satisfaction_2017_headlines.csv"):
        if h["measure"] != "index_mean":
            continue
        code = h["item_code"].split(":")[1]
        n, mean, low, high = query(
            sample_warehouse,
            "select n, mean, min_score, max_score from marts.mart_survey_index_summary "
            "where instrument = ? and index_code = ? and group_type = 'total'",
            [US, code],
        )[0]
        if h["n"]:
            assert n == int(h["n"]), code  # complete cases: 441, 191, 298 (not stated for HSCL-10)
        assert abs(mean - float(h["value"])) < 1, (code, mean)  # 67, 44, 51, 57
        assert low in (20.0, 25.0) and high <= 100.0  # the lowest possible: 4/20 or 10/40


def test_index_alpha_equals_the_python_reference_on_the_microdata(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select respondent_id, item_code, score from intermediate.int_survey_responses "
        "where instrument = ? and index_code = 'overall'",
        [US],
    )
    by_respondent: dict[str, dict[str, float | None]] = {}
    for respondent, code, score in rows:
        by_respondent.setdefault(respondent, {})[code] = score
    items = ["Q9", "Q10", "Q11", "Q13"]
    cases = [
        [r[i] for i in items] for r in by_respondent.values() if all(r.get(i) is not None for i in items)
    ]
    (alpha,) = query(
        sample_warehouse,
        "select cronbach_alpha from marts.mart_survey_index_summary "
        "where instrument = ? and index_code = 'overall' and group_type = 'total'",
        [US],
    )[0]
    assert len(cases) == 441
    assert alpha == pytest.approx(cronbach_alpha(cases))
    assert abs(alpha - 0.903) < 0.03  # Vedlegg 2


def test_disclosure_in_the_marts_follows_the_python_rule(sample_warehouse: Warehouse) -> None:
    raw = query(
        sample_warehouse,
        """
        select r.instrument, r.item_code, g.group_type, g.group_value,
            count(*) filter (where r.is_valid_for_percent)
        from intermediate.int_survey_responses as r
        inner join intermediate.int_survey_respondent_groups as g
            on r.instrument = g.instrument and r.wave = g.wave and r.respondent_id = g.respondent_id
        where r.variable_role = 'item'
        group by all
        """,
    )
    served = {
        (i, c, t, v): (d, n, top2, reason)
        for i, c, t, v, d, n, top2, reason in query(
            sample_warehouse,
            "select instrument, item_code, group_type, group_value, disclosure, n_valid, top2_share, "
            "suppression from marts.mart_survey_item_summary",
        )
    }
    thresholds = {US: (4, 11), MS: (1, 1)}
    thresholds |= {f"service_mapping_{s}": (5, 5) for s in ("consultations", "gp", "institutions")}
    levels = {"full": 0, "mean_only": 1, "suppressed": 2}
    outcomes = set()
    for instrument, code, group_type, group_value, n_valid in raw:
        outcome, n_served, top2, reason = served[(instrument, code, group_type, group_value)]
        primary = disclosure(n_valid, *thresholds[instrument])
        assert levels[outcome] >= levels[primary]  # complementary suppression only ever hides more
        assert reason == (None if outcome == "full" else "primary" if outcome == primary else "secondary")
        outcomes.add(outcome)
        if outcome == "suppressed":
            assert n_served is None and top2 is None
        if outcome == "mean_only":
            assert top2 is None
    assert "full" in outcomes
    hidden = query(
        sample_warehouse,
        "select count(*) from marts.mart_survey_item_distribution "
        "where disclosure != 'full' and (n is not null or percent_valid is not null)",
    )[0][0]
    assert hidden == 0


def test_2011_municipal_survey_reproduces_its_tables(sample_warehouse: Warehouse) -> None:
    q1 = item(sample_warehouse, MS, 2011, "Q1")
    assert q1["n_valid"] == 51 and q1["mean"] == pytest.approx(3.25, abs=0.005)
    q2 = item(sample_warehouse, MS, 2011, "Q2")
    assert (q2["n_valid"], q2["n_scored"]) == (51, 50)  # «vet ikke» in the percent base, not in the mean
    assert q2["mean"] == pytest.approx(2.04, abs=0.005) and round(q2["top2"]) == 22
    q18 = item(sample_warehouse, MS, 2011, "Q18")
    assert q18["mean_as_coded"] == pytest.approx(3.90, abs=0.005)  # Tabell 4.6, questionnaire coding
    assert q18["mean"] == pytest.approx(6 - q18["mean_as_coded"])  # reverse-coded: high = satisfactory
    q11 = item(sample_warehouse, MS, 2011, "Q11")
    assert q11["mean"] == pytest.approx(3.12, abs=0.005)
    assert abs(q11["top2"] - 26) <= 1  # 13 of 51 = 25.5; the report printed 6 % + 20 % = 26 %
    assert item(sample_warehouse, MS, 2011, "Q11", "size_class", "Over 20 000")["mean"] == pytest.approx(
        3.67, abs=0.005
    )
    assert item(sample_warehouse, MS, 2011, "Q11", "size_class", "5 000\u201310 000")[
        "mean"
    ] == pytest.approx(2.78, abs=0.005)
    for h in headlines("municipal_sample_survey_2011_headlines.csv"):
        if h["measure"].startswith("share_code_") and h["group"] == "total":
            code = int(h["measure"].rsplit("_", 1)[1])
            (percent,) = query(
                sample_warehouse,
                "select percent_valid from marts.mart_survey_item_distribution "
                "where instrument = ? and item_code = ? and code = ? and group_type = 'total'",
                [MS, h["item_code"], code],
            )[0]
            assert abs(percent - float(h["value"])) <= 1.0, h


def test_survey_indicators_are_computed_and_reconciled(sample_warehouse: Warehouse) -> None:
    rows = query(
        sample_warehouse,
        "select indicator_no, value, published_value, n_units from marts.fct_indicator_values "
        "where value_origin = 'computed' and computed_from like 'user_satisfaction%' order by indicator_no",
    )
    assert [r[0] for r in rows] == [28, 29, 35, 36, 57, 62, 63, 71, 72, 73, 74, 75]
    for number, value, published, _ in rows:
        assert abs(value - published) <= 0.5, number
    assert dict((r[0], r[3]) for r in rows)[28] == 225  # those who have an individual plan


def test_survey_report_is_written_with_the_rule_and_the_synthetic_label(sample_warehouse: Warehouse) -> None:
    reports = sample_warehouse.settings.reports_dir
    page = (reports / "2017" / "sporreundersokelse_user_satisfaction_2017.html").read_text(encoding="utf-8")
    assert "SYNTETISKE DATA" in page
    assert "færre enn 4 svar" in page and "fra 11 svar" in page
    assert "54 %" in page and 'class="bar"' in page
    assert "Samlet vurdering av tjenestene" in page and "0,9" in page  # index with alpha
    assert "http" not in page.replace("http-equiv", "")  # self-contained
    book = load_workbook(reports / "2017" / "sporreundersokelse_user_satisfaction_2017.xlsx", read_only=True)
    assert book.sheetnames == ["Nøkkeltall", "Fordelinger", "Indekser", "Svar", "Uttrekk"]
    municipal = (reports / "2011" / "sporreundersokelse_municipal_sample_survey_2011.html").read_text("utf-8")
    assert "Alle grupper vises" in municipal and "SYNTETISKE DATA" in municipal


def _watched(warehouse: Warehouse) -> dict[Path, str]:
    settings = warehouse.settings
    files = [p for p in [*settings.reports_dir.rglob("*"), *settings.serving_dir.rglob("*")] if p.is_file()]
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


def test_a_published_figure_that_disagrees_blocks_reports_and_publication(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    # as if the indicator report had printed 57 % where the microdata give 54.0 %
    with duckdb.connect(str(warehouse.settings.warehouse_db)) as conn:
        conn.execute("update raw.national_figures set value = 57 where indicator_no = 63 and year = 2017")
    before = _watched(warehouse)

    summary = run(warehouse.root)

    assert not summary.built
    message = next(m for m in summary.failures if "computed_values_reconcile_with_published" in m)
    assert "indicator 63 2017: computed 53.98" in message and "published 57" in message
    assert _watched(warehouse) == before


def test_a_sav_with_a_code_outside_the_codebook_is_rejected(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    import pyreadstat

    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    folder = warehouse.settings.landing_dir / US / "2017"
    (original,) = folder.iterdir()
    frame, meta = pyreadstat.read_sav(str(original), apply_value_formats=False)
    frame.loc[4, "Q13"] = 8.0  # not a code of Q13 (the labels in the file are still the codebook's)
    original.unlink()
    bad = folder / "brukertilfredshet_2017_feil.sav"
    pyreadstat.write_sav(frame, str(bad), variable_value_labels=meta.variable_value_labels)
    before = _watched(warehouse)
    (raw_before,) = query(warehouse, "select count(*) from raw.user_satisfaction")[0]

    summary = run(warehouse.root)

    assert not summary.built
    message = next(m for m in summary.failures if "rule 'code_in_codebook'" in m)
    assert "brukertilfredshet_2017_feil.sav, row 5" in message and "variable=Q13" in message
    assert "code=8" in message
    assert query(warehouse, "select count(*) from raw.user_satisfaction")[0][0] == raw_before
    assert _watched(warehouse) == before


#: Per survey mart: its key, and the served quantities that add up over the groups of a type
#: (a mean times its n is a sum).
SUBTRACTABLE = {
    "mart_survey_item_summary": (
        "item",
        "item_code",
        ["n_valid", "n_not_applicable", "n_missing", "n_scored", "n_top2", "mean * n_scored"],
    ),
    "mart_survey_index_summary": ("index", "index_code", ["n", "mean * n"]),
    "mart_survey_respondents": ("respondents", "''", ["n_respondents"]),
    "mart_survey_item_distribution": ("item", "item_code || '/' || code", ["n"]),
}


@pytest.mark.parametrize("mart", sorted(SUBTRACTABLE))
def test_no_hidden_survey_number_follows_from_the_total_by_subtraction(
    sample_warehouse: Warehouse, mart: str
) -> None:
    table_name, unit, quantities = SUBTRACTABLE[mart]
    sizes = {
        (i, w, u, t, v): n
        for i, w, u, t, v, n in query(
            sample_warehouse,
            "select instrument, wave, unit_code, group_type, group_value, n "
            f"from intermediate.int_survey_group_sizes where table_name = '{table_name}'",
        )
    }
    checked = 0
    for quantity in quantities:
        rows = query(
            sample_warehouse,
            f"select instrument, wave, {unit}, split_part({unit}, '/', 1), group_type, group_value, "
            f"{quantity} from marts.{mart}",
        )
        lines: dict[tuple, list[tuple[object, int]]] = {}
        totals = {}
        for instrument, wave, key, unit_code, group_type, group_value, value in rows:
            if group_type == "total":
                totals[(instrument, wave, key)] = value
                continue
            size = sizes[(instrument, wave, unit_code, group_type, group_value)]
            lines.setdefault((instrument, wave, key, group_type), []).append((value, size))
        for (instrument, wave, key, _), members in lines.items():
            if totals.get((instrument, wave, key)) is None:
                continue
            unknown = [size for value, size in members if value is None]
            assert len(unknown) != 1, (mart, quantity, instrument, wave, key)
            checked += 1
    assert checked


SURVEY_MARTS = (
    "mart_survey_item_summary",
    "mart_survey_item_distribution",
    "mart_survey_index_summary",
    "mart_survey_respondents",
)


def test_the_wave_with_user_missing_declarations_gives_identical_marts(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    from tests.unit.test_spss_user_missing import NO_ANSWER, declared_variant, not_applicable_items

    def marts(warehouse: Warehouse) -> dict[str, list]:
        """Each survey mart, floats to 9 decimals (sums over rows in another order differ in the last bit)."""
        with duckdb.connect(str(warehouse.settings.warehouse_db), read_only=True) as conn:
            return {
                m: [
                    tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                    for row in conn.execute(f"select * from marts.{m} order by all").fetchall()
                ]
                for m in SURVEY_MARTS
            }

    warehouse = copy_warehouse(sample_warehouse, tmp_path / "warehouse")
    delivery = warehouse.settings.landing_dir / US / "2017"
    (plain,) = delivery.glob("*.sav")
    staged = tmp_path / "variant"
    declarations = {variable: [code, NO_ANSWER] for variable, code in not_applicable_items().items()}
    variant = declared_variant(plain, staged, declarations, blanks_as=NO_ANSWER)
    assert hashlib.sha256(variant.read_bytes()).digest() != hashlib.sha256(plain.read_bytes()).digest()
    plain.unlink()
    variant.rename(delivery / plain.name)

    summary = run(warehouse.root)

    assert summary.success, summary.failures
    assert marts(warehouse) == marts(sample_warehouse)
