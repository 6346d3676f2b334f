"""The dbt model int_survey_disclosure (SQL, portable) applies exactly the rule of the pure function
it is checked against, dagster_project.core.privacy.tables.survey_disclosure (complement_groups).

The model's SQL is rendered with its reference pointed at a table of generated group sizes and run
on DuckDB; SQL and Python must give the same disclosure and reason for every group.
"""

from __future__ import annotations

from functools import cache

import duckdb
import jinja2
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.privacy.suppression import DISCLOSURE_LEVELS
from dagster_project.core.privacy.tables import SURVEY_DISCLOSURE_COLUMNS, SURVEY_KEY, survey_disclosure
from dagster_project.settings import DBT_PROJECT_DIR

MODEL = DBT_PROJECT_DIR / "models" / "intermediate" / "int_survey_disclosure.sql"


@cache
def _model_sql() -> str:
    """The model as dbt renders it on DuckDB, reading the table ``group_sizes_input``."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    macros = environment.from_string((DBT_PROJECT_DIR / "macros" / "cross_database.sql").read_text("utf-8"))
    template = environment.from_string(MODEL.read_text("utf-8"))
    return template.render(
        ref=lambda name: "group_sizes_input" if name == "int_survey_group_sizes" else name,
        text_in_code_point_order=macros.module.duckdb__text_in_code_point_order,  # what dispatch picks
    )


def _in_sql(groups: pd.DataFrame) -> pd.DataFrame:
    with duckdb.connect() as connection:
        connection.register("group_sizes_frame", groups)
        connection.execute("create table group_sizes_input as select * from group_sizes_frame")
        return connection.execute(_model_sql()).df()


def _compare(groups: pd.DataFrame) -> None:
    def ordered(frame: pd.DataFrame) -> list[tuple]:
        frame = (
            frame[SURVEY_DISCLOSURE_COLUMNS]
            .astype(object)
            .where(frame[SURVEY_DISCLOSURE_COLUMNS].notna(), None)
        )
        return sorted((tuple(row) for row in frame.itertuples(index=False)), key=str)

    assert ordered(_in_sql(groups)) == ordered(survey_disclosure(groups))


#: Few values on purpose: ties of n and of group values in different case and script are common.
GROUP_VALUES = (
    "Alle",
    "Kvinne",
    "Mann",
    "Liten",
    "liten",
    "Stor",
    "Ørland",
    "Øst",
    "10",
    "9",
    "18-29",
    "67+",
)

line = st.fixed_dictionaries(
    {
        "table_name": st.sampled_from(["item", "index", "respondents"]),
        "unit_code": st.sampled_from(["Q1", "Q22", "IDX", ""]),
        "group_type": st.sampled_from(["total", "gender", "size_class", "age_group"]),
        "groups": st.lists(
            st.tuples(
                st.sampled_from(GROUP_VALUES),
                st.integers(0, 12),
                st.sampled_from(DISCLOSURE_LEVELS),
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda group: group[0],
        ),
    }
)


def _frame(lines: list[dict]) -> pd.DataFrame:
    rows, seen = [], set()
    for number, drawn in enumerate(lines):
        key = (drawn["table_name"], drawn["unit_code"], drawn["group_type"])
        wave = 2019 + number if key in seen else 2019  # one line per key
        seen.add(key)
        for value, n, level in drawn["groups"]:
            rows.append(
                {
                    "table_name": drawn["table_name"],
                    "instrument": "user_satisfaction",
                    "wave": wave,
                    "unit_code": drawn["unit_code"],
                    "group_type": drawn["group_type"],
                    "group_value": value,
                    "n": n,
                    "primary_disclosure": level,
                }
            )
    return pd.DataFrame(rows, columns=[*SURVEY_KEY, "n", "primary_disclosure"])


@settings(max_examples=120, deadline=None)
@given(lines=st.lists(line, min_size=1, max_size=8))
def test_sql_and_python_agree(lines) -> None:
    _compare(_frame(lines))


def test_the_one_hidden_group_gets_its_smallest_partner_in_sql() -> None:
    groups = _frame(
        [
            {
                "table_name": "item",
                "unit_code": "Q22",
                "group_type": "size_class",
                "groups": [("Liten", 3, "suppressed"), ("Mellomstor", 30, "full"), ("Stor", 30, "full")],
            },
            {
                "table_name": "item",
                "unit_code": "Q22",
                "group_type": "total",
                "groups": [("Alle", 63, "full")],
            },
        ]
    )
    result = _in_sql(groups).set_index("group_value")
    assert result.loc["Liten", ["disclosure", "suppression"]].tolist() == ["suppressed", "primary"]
    # the tie at n = 30 goes to the first value in code point order
    assert result.loc["Mellomstor", ["disclosure", "suppression"]].tolist() == ["suppressed", "secondary"]
    assert result.loc["Stor", "disclosure"] == "full" and pd.isna(result.loc["Stor", "suppression"])
    assert result.loc["Alle", "disclosure"] == "full"
    _compare(groups)
