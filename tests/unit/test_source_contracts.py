"""Each source's columns are defined once, in its contract (``ingest/<source>.py``); the GE suite,
and the dbt source definition are checked against it here, and the load register (raw.extract_loads,
behind fct_extract_loads and the incremental models' year keys) against its dbt source, so these
places cannot drift apart unnoticed."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from dagster_project.core.ingest.raw_tables import LOADS_DDL, _table_ddl
from dagster_project.core.ingest.sources import SOURCES, Source
from dagster_project.core.ingest.tabular import expected_columns
from dagster_project.settings import REPO_ROOT

#: Columns every raw table carries besides the contract's (core/ingest/raw_tables.py).
LOAD_COLUMNS = {
    "load_id",
    "delivery_year",
    "source_row",
    "file_name",
    "file_sha256",
    "loaded_at",
    "file_comment",
}

BY_NAME = {source.name: source for source in SOURCES}


def suite_column_set(source: Source) -> set[str]:
    suite = json.loads((REPO_ROOT / "expectations" / f"{source.suite}.json").read_text(encoding="utf-8"))
    found = [
        e["kwargs"]["column_set"]
        for e in suite["expectations"]
        if e["type"] == "expect_table_columns_to_match_set"
    ]
    assert len(found) == 1, f"{source.suite}.json: one column-set expectation"
    return set(found[0])


def source_table_columns(source: Source) -> dict[str, str]:
    path = REPO_ROOT / "dbt" / "models" / "staging" / source.name / f"_{source.name}__sources.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = [t for s in document["sources"] for t in s["tables"] if t["name"] == source.name]
    assert len(tables) == 1, f"{path.name}: one table {source.name}"
    return {c["name"]: c.get("description", "") for c in tables[0]["columns"]}


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_the_suite_checks_exactly_the_contract_columns(name: str) -> None:
    source = BY_NAME[name]
    assert suite_column_set(source) == set(expected_columns(source.contract))


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_the_dbt_source_describes_exactly_the_raw_table(name: str) -> None:
    source = BY_NAME[name]
    columns = source_table_columns(source)
    assert set(columns) == set(source.contract.names) | LOAD_COLUMNS
    assert all(text.strip() for text in columns.values()), "every raw column is described"
    ddl_columns = set(re.findall(r"^ {4}(\w+) \w+", _table_ddl(source.contract), flags=re.MULTILINE))
    assert ddl_columns == set(columns), "the raw table written is the one dbt reads"


def test_the_dbt_source_describes_exactly_the_load_register() -> None:
    path = REPO_ROOT / "dbt" / "models" / "staging" / "warehouse" / "_warehouse__sources.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = [t for s in document["sources"] for t in s["tables"] if t["name"] == "extract_loads"]
    assert len(tables) == 1
    columns = {c["name"]: c.get("description", "") for c in tables[0]["columns"]}
    assert all(text.strip() for text in columns.values()), "every register column is described"
    ddl_columns = set(re.findall(r"^ {4}(\w+) \w+", LOADS_DDL, flags=re.MULTILINE))
    assert ddl_columns == set(columns), "the register written is the one dbt reads"
