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
    assert attack(raw, served) == 4 + 3  # four rows; two groups and the total column


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
    assert attack(raw, served) == 3 + 3
