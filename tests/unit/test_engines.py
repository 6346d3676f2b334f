"""The engine choice and its connection URL (environment only), and the privacy-mart registry."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dagster_project.core.engines.config import EngineConfig, EngineConfigError, url_parts
from dagster_project.core.engines.connection import DuckDBWarehouse
from dagster_project.core.privacy.marts import PRIVACY_MARTS, PrivacyMart, check_queries, typed
from dagster_project.settings import Settings


def test_duckdb_is_the_default() -> None:
    config = EngineConfig.from_env({})
    assert (config.name, config.dbt_target, config.is_postgres) == ("duckdb", "warehouse", False)


def test_postgres_needs_a_url() -> None:
    with pytest.raises(EngineConfigError, match="WAREHOUSE_POSTGRES_URL"):
        EngineConfig.from_env({"WAREHOUSE_ENGINE": "postgres"})


def test_an_unknown_engine_is_a_plain_error() -> None:
    with pytest.raises(EngineConfigError, match="duckdb, postgres, not 'oracle'"):
        Settings.from_env({"WAREHOUSE_ENGINE": "oracle"})


def test_the_url_becomes_dbt_profile_variables() -> None:
    settings = Settings.from_env(
        {
            "WAREHOUSE_ENGINE": "postgres",
            "WAREHOUSE_POSTGRES_URL": "postgresql://etl:s%40cret@db.example:6543/warehouse",
        }
    )
    dbt_env = settings.dbt_env()

    assert settings.engine.dbt_target == "postgres"
    assert dbt_env["WAREHOUSE_ENGINE"] == "postgres"
    assert [dbt_env[f"WAREHOUSE_POSTGRES_{n}"] for n in ("HOST", "PORT", "USER", "PASSWORD", "DB")] == [
        "db.example",
        "6543",
        "etl",
        "s@cret",
        "warehouse",
    ]


def test_a_url_that_is_not_postgres_is_refused() -> None:
    with pytest.raises(EngineConfigError):
        url_parts("mysql://host/db")


def _tiny_mart() -> PrivacyMart:
    return PrivacyMart(
        name="mart_tiny",
        source="int_tiny",
        build=lambda cells: cells,
        columns={
            "year": ("integer", "Year."),
            "group_value": ("text", "Group."),
            "share": ("float8", "Share."),
            "n_persons": ("integer", "Persons; null when suppressed."),
            "is_suppressed": ("boolean", "Hidden."),
            "suppression": ("text", "primary or secondary."),
        },
        description="A tiny mart.",
        unique_key=("year", "group_value"),
        not_null=("year",),
        accepted_values={"suppression": ("primary", "secondary")},
    )


def test_a_mart_is_written_with_its_types_and_checked() -> None:
    mart = _tiny_mart()
    frame = pd.DataFrame(
        {
            "year": [2018, 2018, 2018],
            "group_value": ["a", "b", "b"],
            "share": [12.5, None, 3.0],
            "n_persons": [10.0, None, 7.0],  # float with nulls, as pandas makes it
            "is_suppressed": [False, True, False],
            "suppression": [None, "tertiary", None],
        }
    )
    with duckdb.connect() as conn:
        warehouse = DuckDBWarehouse(conn)
        warehouse.replace_table("marts", mart.name, typed(frame, mart), mart.types, mart.description)
        types = dict(
            conn.execute(
                "select column_name, data_type from duckdb_columns() where table_name = 'mart_tiny'"
            ).fetchall()
        )
        failing = {name: warehouse.scalar(query) for name, query in check_queries(mart).items()}
        nulls = conn.execute("select count(*) from marts.mart_tiny where n_persons is null").fetchone()[0]
    assert types == {
        "year": "INTEGER",
        "group_value": "VARCHAR",
        "share": "DOUBLE",
        "n_persons": "INTEGER",
        "is_suppressed": "BOOLEAN",
        "suppression": "VARCHAR",
    }
    assert nulls == 1
    assert failing == {"unique_combination": 1, "not_null_year": 0, "accepted_values_suppression": 1}


def test_every_registered_mart_declares_its_checked_columns() -> None:
    for mart in PRIVACY_MARTS:
        declared = set(mart.columns)
        assert set(mart.unique_key) | set(mart.not_null) | set(mart.accepted_values) <= declared, mart.name
        assert {"is_suppressed", "suppression"} <= declared, mart.name
