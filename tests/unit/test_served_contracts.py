"""Every served mart declares its columns with portable types and descriptions, the SQL marts
enforce them (dbt model contracts) and the privacy marts are created with them (their registry);
years and ids share one integer type, codes are text."""

from __future__ import annotations

import pytest

from dagster_project.core.privacy.marts import PRIVACY_MARTS
from tests.support.served_schema import PORTABLE_TYPES, dbt_marts, model_files, served_marts

MARTS = served_marts()


def test_every_mart_model_has_a_yml() -> None:
    assert model_files() == set(dbt_marts())


def test_a_privacy_mart_is_no_dbt_model() -> None:
    privacy = {mart.name for mart in PRIVACY_MARTS}
    assert privacy and not privacy & set(dbt_marts())
    assert {n for n, m in MARTS.items() if m["language"] == "privacy"} == privacy


@pytest.mark.parametrize("name", sorted(MARTS))
def test_every_column_is_typed_portably_and_described(name: str) -> None:
    mart = MARTS[name]
    assert mart["description"], f"{name}: no description"
    assert mart["columns"], f"{name}: no columns declared"
    for column, (data_type, description) in mart["columns"].items():
        assert data_type in PORTABLE_TYPES, f"{name}.{column}: type {data_type!r}"
        assert description, f"{name}.{column}: no description"
        if column in ("year", "wave", "indicator_no", "delivery_year", "from_year", "to_year"):
            assert data_type == "integer", f"{name}.{column}: years and ids are integer"
        if column.startswith("n_") or column == "n" or column.endswith("_count"):
            assert data_type == "integer", f"{name}.{column}: counts are integer"
        if column.endswith(("_code", "_id")) or column in ("suppression", "disclosure"):
            assert data_type == "varchar", f"{name}.{column}: codes are text"


@pytest.mark.parametrize("name", sorted(n for n, m in MARTS.items() if m["language"] == "sql"))
def test_sql_marts_enforce_their_contract(name: str) -> None:
    assert MARTS[name]["enforced"]


def test_the_served_schema_in_docs_bi_md_is_the_declared_one() -> None:
    from dagster_project.settings import REPO_ROOT

    listed = (REPO_ROOT / "docs" / "bi.md").read_text(encoding="utf-8")
    for name, mart in MARTS.items():
        line = f"- `{name}`: " + ", ".join(f"{c} {t}" for c, (t, _) in mart["columns"].items())
        assert line in listed, f"docs/bi.md: served schema of {name} out of date"
