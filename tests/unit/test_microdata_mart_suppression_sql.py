"""The microdata marts' SQL (mart_service_mapping_figures, mart_brukerplan_booklet) rendered as dbt
renders it on DuckDB, on constructed cells where exactly one cell of a line is primary-hidden: the
secondary cells chosen are the smallest shown ones, and no hidden cell follows by subtraction along
any line that adds up (the attacker finds the lines in the unsuppressed cells itself)."""

from __future__ import annotations

import duckdb
import jinja2
import pandas as pd

from dagster_project.settings import DBT_PROJECT_DIR
from tests.support.line_attack import attack

MARTS = DBT_PROJECT_DIR / "models" / "marts"

# Tabell 4-8: health-problem type (exclusive) by municipality group, forms per cell
HEALTH = ["ingen/ukjent", "somatisk", "psykisk", "psykisk + somatisk"]
FORMS = {"Storby": [20, 30, 3, 25], "Andre": [10, 12, 15, 18]}


def _render(model: str, inputs: dict[str, str]) -> str:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    dispatch = environment.from_string((DBT_PROJECT_DIR / "macros" / "cross_database.sql").read_text("utf-8"))
    macros = environment.from_string(
        (DBT_PROJECT_DIR / "macros" / "complementary_suppression.sql").read_text("utf-8")
    )
    template = environment.from_string((MARTS / f"{model}.sql").read_text("utf-8"))
    return template.render(
        ref=lambda name: inputs[name],
        text_in_code_point_order=dispatch.module.duckdb__text_in_code_point_order,
        complement_lines=macros.module.complement_lines,
        complement_line=macros.module.complement_line,
    )


def _mapping_hits() -> pd.DataFrame:
    rows = []
    for group_order, (group, counts) in enumerate(FORMS.items(), start=1):
        for form_type, count in enumerate(counts):
            for _ in range(count):
                for column, column_order in ((group, group_order), ("Total", 0)):
                    for row_order, label in enumerate(HEALTH, start=1):
                        rows.append(
                            ("consultations", "Tabell 4-8", label, row_order, column, column_order,
                             row_order - 1 == form_type, None)
                        )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["form_stream", "table_id", "row_label", "row_order", "column_label", "column_order",
                 "is_hit", "amount"],
    )  # fmt: skip


def test_mapping_figures_hide_a_partner_on_every_line_and_nothing_follows() -> None:
    hits = _mapping_hits()
    sql = _render(
        "mart_service_mapping_figures",
        {
            "int_service_mapping__figure_hits": "hits",
            "int_service_mapping__consultation_forms": "consultations",
            "int_service_mapping__gp_forms": "gp",
            "int_service_mapping__institution_clients": "institutions",
        },
    )
    with duckdb.connect() as connection:
        connection.register("hits_frame", hits)
        connection.execute("create table hits as select * from hits_frame")
        connection.execute("create table consultations as select 1 as form_id")
        connection.execute("create table gp as select 1 as doctor_id")
        connection.execute("create table institutions as select 1 as institution_id")
        served_rows = connection.execute(
            f"select row_label, column_label, suppression, n, base_n, percent_of_base from ({sql}) as mart "
            "where table_id = 'Tabell 4-8'"
        ).fetchall()
    why = {(row, column): reason for row, column, reason, *_ in served_rows}
    assert why[("psykisk", "Storby")] == "primary"
    # the smallest shown cell of the column, of the row, and of the row the column's partner is on
    assert {key for key, reason in why.items() if reason == "secondary"} == {
        ("ingen/ukjent", "Storby"),
        ("psykisk", "Andre"),
        ("ingen/ukjent", "Andre"),
    }
    for row, column, reason, n, base, share in served_rows:
        assert (n is None and share is None) == (reason is not None), (row, column)
        assert base is not None
    raw = {
        ("consultations", "Tabell 4-8", row, column): (order, n, base)
        for (row, column, order), n, base in (
            (key, int(group["is_hit"].sum()), len(group))
            for key, group in hits.groupby(["row_label", "column_label", "row_order"])
        )
    }
    served = {
        ("consultations", "Tabell 4-8", row, column): (reason is not None, base)
        for row, column, reason, _, base, _ in served_rows
    }
    assert attack(raw, served) == 4 + 3 + 4  # four rows; two groups and the total column; four rows of bases


def test_booklet_hides_weighted_values_and_protects_the_row_total() -> None:
    # Tabell 11: index rows by heavy users / the others, and 'Totalt'; 3 heavy users in 'rød'
    per_row = {"grønn": (12, 40), "gul": (9, 30), "rød": (3, 20)}
    rows = []
    for row_order, (label, (heavy, others)) in enumerate(per_row.items(), start=1):
        for column, column_order, count in (("Tunge brukere", 1, heavy), ("Alle andre", 2, others)):
            for _ in range(count):
                for col, order in ((column, column_order), ("Totalt", 3)):
                    rows.append((2015, 1.5, "Tabell 11", label, row_order, col, order, True, "column", None))
    hits = pd.DataFrame(
        rows,
        columns=["year", "weight", "table_id", "row_label", "row_order", "column_label", "column_order",
                 "is_hit", "base_scope", "amount"],
    )  # fmt: skip
    sql = _render(
        "mart_brukerplan_booklet",
        {"int_brukerplan__booklet_hits": "hits", "int_brukerplan__booklet_registrations": "registrations"},
    )
    with duckdb.connect() as connection:
        connection.register("hits_frame", hits)
        connection.execute("create table hits as select * from hits_frame")
        connection.execute(
            "create table registrations as select 2015 as year, '0301' as municipality_code, 1.5 as weight"
        )
        served_rows = connection.execute(
            f"select row_label, column_label, suppression, n_registrations, base_registrations, weighted_n, "
            f"share_percent from ({sql}) as mart where table_id = 'Tabell 11'"
        ).fetchall()
    why = {(row, column): reason for row, column, reason, *_ in served_rows}
    assert why[("rød", "Tunge brukere")] == "primary"
    assert {key for key, reason in why.items() if reason == "secondary"} == {
        ("gul", "Tunge brukere"),  # the column's smallest shown
        ("rød", "Alle andre"),  # the row's smallest shown
        ("gul", "Alle andre"),  # the partner's row
    }
    for row, column, reason, n, _, weighted, share in served_rows:
        assert (n is None and weighted is None and share is None) == (reason is not None), (row, column)
    raw = {
        (2015, "Tabell 11", row, column): (order, n, base)
        for (row, column, order), n in hits.groupby(["row_label", "column_label", "row_order"]).size().items()
        for base in [int((hits["column_label"] == column).sum())]
    }
    served = {
        (2015, "Tabell 11", row, column): (reason is not None, base)
        for row, column, reason, _, base, _, _ in served_rows
    }
    assert attack(raw, served) == 3 + 3 + 3  # and three rows of bases


def _booklet_table_11(per_row: dict[str, tuple[int, int]]) -> tuple[dict, dict, list[tuple]]:
    rows = []
    for row_order, (label, (heavy, others)) in enumerate(per_row.items(), start=1):
        for column, column_order, count in (("Tunge brukere", 1, heavy), ("Alle andre", 2, others)):
            for _ in range(count):
                for col, order in ((column, column_order), ("Totalt", 3)):
                    rows.append((2015, 1.5, "Tabell 11", label, row_order, col, order, True, "column", None))
    hits = pd.DataFrame(
        rows,
        columns=["year", "weight", "table_id", "row_label", "row_order", "column_label", "column_order",
                 "is_hit", "base_scope", "amount"],
    )  # fmt: skip
    sql = _render(
        "mart_brukerplan_booklet",
        {"int_brukerplan__booklet_hits": "hits", "int_brukerplan__booklet_registrations": "registrations"},
    )
    with duckdb.connect() as connection:
        connection.register("hits_frame", hits)
        connection.execute("create table hits as select * from hits_frame")
        connection.execute(
            "create table registrations as select 2015 as year, '0301' as municipality_code, 1.5 as weight"
        )
        served_rows = connection.execute(
            f"select row_label, column_label, suppression, n_registrations, base_registrations, weighted_n, "
            f"base_weighted_n, share_percent from ({sql}) as mart where table_id = 'Tabell 11'"
        ).fetchall()
    raw = {
        (2015, "Tabell 11", row, column): (order, n, base)
        for (row, column, order), n in hits.groupby(["row_label", "column_label", "row_order"]).size().items()
        for base in [int((hits["column_label"] == column).sum())]
    }
    served = {
        (2015, "Tabell 11", row, column): (reason is not None, base)
        for row, column, reason, _, base, *_ in served_rows
    }
    return raw, served, served_rows


def test_booklet_hides_a_second_base_when_one_base_of_a_row_line_is_hidden() -> None:
    # 'Tunge brukere' has 3 registrations in all (a hidden base); 'Alle andre' 90 and 'Totalt' 93 would
    # give it away by subtraction: the smallest shown base, 'Alle andre', goes too, with its cells
    raw, served, served_rows = _booklet_table_11({"grønn": (1, 40), "gul": (1, 30), "rød": (1, 20)})
    assert attack(raw, served) == 3 + 1 + 3  # rows, the total column, rows of bases
    for row, column, reason, n, base, weighted, base_weighted, share in served_rows:
        if column == "Tunge brukere":
            assert reason == "primary", (row, column)
        elif column == "Alle andre":
            assert reason == "secondary", (row, column)
        else:
            assert reason is None, (row, column)
        if column != "Totalt":
            assert (n, base, weighted, base_weighted, share) == (None,) * 5, (row, column)


def _mapping_4_6(forms: dict[str, tuple[list[int], int]]) -> tuple[dict, dict, list[tuple]]:
    """forms: column -> (forms per substance type (rows 1..), forms without a type). Types add up to
    the column's typed forms; 'Ubesvart' (row 9) counts the untyped ones of all forms."""
    rows = []
    groups = list(forms.items())
    types = [f"type {index}" for index in range(1, len(groups[0][1][0]) + 1)]
    for group_order, (group, (counts, untyped)) in enumerate(groups, start=1):
        forms_of_group = [index for index, count in enumerate(counts) for _ in range(count)]
        forms_of_group += [None] * untyped
        for form_type in forms_of_group:
            for column, column_order in ((group, group_order), ("Total", 0)):
                if form_type is not None:
                    for row_order, label in enumerate(types, start=1):
                        rows.append(("consultations", "Tabell 4-6", label, row_order, column, column_order,
                                     row_order - 1 == form_type, None))  # fmt: skip
                rows.append(("consultations", "Tabell 4-6", "Ubesvart", 9, column, column_order,
                             form_type is None, None))  # fmt: skip
    hits = pd.DataFrame(
        rows,
        columns=["form_stream", "table_id", "row_label", "row_order", "column_label", "column_order",
                 "is_hit", "amount"],
    )  # fmt: skip
    sql = _render(
        "mart_service_mapping_figures",
        {
            "int_service_mapping__figure_hits": "hits",
            "int_service_mapping__consultation_forms": "consultations",
            "int_service_mapping__gp_forms": "gp",
            "int_service_mapping__institution_clients": "institutions",
        },
    )
    with duckdb.connect() as connection:
        connection.register("hits_frame", hits)
        connection.execute("create table hits as select * from hits_frame")
        connection.execute("create table consultations as select 1 as form_id")
        connection.execute("create table gp as select 1 as doctor_id")
        connection.execute("create table institutions as select 1 as institution_id")
        served_rows = connection.execute(
            f"select row_label, column_label, suppression, n, base_n, percent_of_base from ({sql}) as mart "
            "where table_id = 'Tabell 4-6'"
        ).fetchall()
    raw = {
        ("consultations", "Tabell 4-6", row, column): (order, n, base)
        for (row, column, order), n, base in (
            (key, int(group["is_hit"].sum()), len(group))
            for key, group in hits.groupby(["row_label", "column_label", "row_order"])
        )
    }
    served = {
        ("consultations", "Tabell 4-6", row, column): (reason is not None, base)
        for row, column, reason, _, base, _ in served_rows
    }
    return raw, served, served_rows


def test_mapping_hides_the_typed_base_when_unanswered_is_hidden() -> None:
    # 'Ubesvart' in 'Storby' is 2 forms: all forms (62) minus the typed forms (60) would give it away
    raw, served, served_rows = _mapping_4_6(
        {"Storby": ([20, 15, 25], 2), "Andre": ([10, 12, 18], 30), "Bygd": ([11, 13, 17], 25)}
    )
    assert attack(raw, served) > 0
    why = {(row, column): reason for row, column, reason, *_ in served_rows}
    base = {(row, column): base for row, column, _, _, base, _ in served_rows}
    assert why[("Ubesvart", "Storby")] == "primary"
    assert why[("Ubesvart", "Bygd")] == "secondary"  # the row's smallest shown
    assert why[("Ubesvart", "Andre")] is None
    for column in ("Storby", "Bygd"):  # their typed bases, hence their typed cells, go with them
        assert {why[(f"type {index}", column)] for index in (1, 2, 3)} == {"secondary"}
        assert {base[(f"type {index}", column)] for index in (1, 2, 3)} == {None}
    assert base[("Ubesvart", "Storby")] == 62
