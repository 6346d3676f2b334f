"""Each source's columns are defined once, in its contract (``ingest/<source>.py``); the GE suite,
the dbt source definition and ``int_extract_loads`` (the list behind fct_extract_loads) are checked
against it here, so the four places cannot drift apart unnoticed."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from dagster_project.core.ingest.raw_tables import _table_ddl
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


def test_int_extract_loads_lists_every_source() -> None:
    sql = (REPO_ROOT / "dbt" / "models" / "intermediate" / "int_extract_loads.sql").read_text(
        encoding="utf-8"
    )
    listed = set(re.findall(r"\('(\w+)', 'stg_\w+'\)", sql))
    assert listed == set(BY_NAME)
