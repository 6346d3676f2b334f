"""The dbt macro complement_line (one round of complementary suppression along one kind of line,
used by the microdata marts) hides what complement_groups hides: rendered and run on DuckDB."""

from __future__ import annotations

import duckdb
import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from dagster_project.core.privacy.suppression import complement_groups
from dagster_project.settings import DBT_PROJECT_DIR

MACROS = DBT_PROJECT_DIR / "macros" / "complementary_suppression.sql"


def _complemented(cells: list[tuple[str, str, int, bool, bool]]) -> dict[tuple[str, str], bool]:
    """cells: (line, key, n, in_line, is_hidden) -> hidden after one round, per (line, key)."""
    macro = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(MACROS.read_text("utf-8"))
    sql = macro.module.complement_line(
        "cells", ["line", "key", "n", "in_line"], "in_line", ["line"], ["n", "key"]
    )
    with duckdb.connect() as connection:
        connection.execute(
            "create table cells (line varchar, key varchar, n integer, in_line boolean, is_hidden boolean)"
        )
        connection.executemany("insert into cells values (?, ?, ?, ?, ?)", cells)
        return {(line, key): hidden for line, key, _, _, hidden in connection.execute(sql).fetchall()}


def test_one_primary_cell_in_a_line_takes_the_smallest_shown_cell_with_it() -> None:
    cells = [
        ("Alle", "grønn", 40, True, False),
        ("Alle", "gul", 3, True, True),  # primary: 1-4
        ("Alle", "rød", 9, True, False),  # the smallest shown: secondary
        ("Alle", "svart", 9, True, False),  # same n, later key: stays
        ("ROP", "gul", 2, True, True),  # two hidden in this line: nothing more
        ("ROP", "rød", 1, True, True),
        ("ROP", "grønn", 30, True, False),
        ("flagg", "a", 2, False, True),  # not on a line that adds up: alone is fine
        ("flagg", "b", 50, False, False),
    ]
    hidden = _complemented(cells)
    assert {key for key, is_hidden in hidden.items() if is_hidden} == {
        ("Alle", "gul"),
        ("Alle", "rød"),
        ("ROP", "gul"),
        ("ROP", "rød"),
        ("flagg", "a"),
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6))
def test_agrees_with_complement_groups(sizes: list[int]) -> None:
    keys = [f"k{i}" for i in range(len(sizes))]
    pairs = list(zip(keys, sizes, strict=True))
    hidden = _complemented([("line", key, n, True, 1 <= n <= 4) for key, n in pairs])
    expected = complement_groups(dict(pairs), {key: 2 if 1 <= n <= 4 else 0 for key, n in pairs})
    assert {key for (_, key), is_hidden in hidden.items() if is_hidden} == {
        key for key, level in expected.items() if level == 2
    }
