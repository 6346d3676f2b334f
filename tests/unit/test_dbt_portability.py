"""The dbt project stays portable and layered (dbt/README.md): checked on the SQL and the manifest."""

from __future__ import annotations

import json
import re

import pytest

from dagster_project.defs.transform.project import DBT_PROJECT
from dagster_project.settings import DBT_PROJECT_DIR

#: DuckDB-only constructs, allowed only inside the dispatch layer (macros/cross_database.sql).
DUCKDB_ONLY = {
    "count_if": r"\bcount_if\s*\(",
    "any_value": r"\bany_value\s*\(",
    "arg_min/arg_max": r"\barg_m(in|ax)\s*\(",
    "double": r"::\s*double\b|data_type:\s*double\b|:\s*double\s*$",
    "group by all": r"\bgroup\s+by\s+all\b",
    "unpivot": r"\bunpivot\b",
    "range()": r"\brange\s*\(",
    "list functions": r"\blist_\w+\s*\(",
    "string_split": r"\bstring_split\s*\(",
    "qualify": r"\bqualify\b",
    "dbt.type_float": r"type_float\s*\(",
}


def _project_files() -> list:
    files = [*DBT_PROJECT_DIR.glob("models/**/*.sql"), *DBT_PROJECT_DIR.glob("models/**/*.yml")]
    files += [*DBT_PROJECT_DIR.glob("tests/**/*.sql"), DBT_PROJECT_DIR / "dbt_project.yml"]
    files += [p for p in DBT_PROJECT_DIR.glob("macros/*.sql") if p.name != "cross_database.sql"]
    return files


def test_no_engine_specific_sql_outside_the_dispatch_layer() -> None:
    found = []
    for path in _project_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("--")[0]
            for name, pattern in DUCKDB_ONLY.items():
                if re.search(pattern, code, flags=re.IGNORECASE):
                    found.append(f"{path.relative_to(DBT_PROJECT_DIR)}:{number}: {name}")
    assert not found, found


def test_no_python_models() -> None:
    assert not list(DBT_PROJECT_DIR.glob("models/**/*.py"))  # dbt-postgres runs none


def _layer(node: dict) -> str:
    if node["resource_type"] in ("source", "seed"):
        return "raw"
    return next((part for part in node["fqn"] if part in ("staging", "intermediate", "marts")), "marts")


def test_references_only_point_downward() -> None:
    manifest_path = DBT_PROJECT.manifest_path
    if not manifest_path.exists():
        pytest.fail("dbt/target/manifest.json is missing: run `make manifest`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = {**manifest["nodes"], **manifest["sources"]}
    order = {"raw": 0, "staging": 1, "intermediate": 2, "marts": 3}
    upward = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model":
            continue
        for parent in node["depends_on"]["nodes"]:
            parent_layer, layer = _layer(nodes[parent]), _layer(node)
            if order[parent_layer] > order[layer] or (layer == "intermediate" and parent_layer == "marts"):
                upward.append(f"{unique_id} reads {parent}")
            if nodes[parent]["resource_type"] == "source" and layer != "staging":
                upward.append(f"{unique_id} reads the source {parent}")
    assert not upward, upward
