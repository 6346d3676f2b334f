"""The served schema as it is declared: the SQL marts in their dbt yml, the privacy marts in their
registry (dagster_project/core/privacy/marts.py). Per mart, its description and (column, type,
description); shared by the contract unit test and the pyarrow check of the published copy."""

from __future__ import annotations

from pathlib import Path

import yaml

from dagster_project.settings import REPO_ROOT

MARTS = REPO_ROOT / "dbt" / "models" / "marts"
#: Portable column types (DuckDB and PostgreSQL) allowed in a served mart's contract.
PORTABLE_TYPES = {"integer", "bigint", "float8", "varchar", "text", "boolean", "timestamptz", "date"}


def text(value: object) -> str:
    return " ".join(str(value or "").split())


def served_marts() -> dict[str, dict]:
    """mart -> {'description', 'language', 'enforced', 'columns': {name: (data_type, description)}}:
    the dbt marts ('sql') and the privacy marts ('privacy', typed by their registry)."""
    from dagster_project.core.privacy.marts import PRIVACY_MARTS

    found = dbt_marts()
    for mart in PRIVACY_MARTS:
        found[mart.name] = {
            "description": text(mart.description),
            "language": "privacy",
            "enforced": True,  # the table is created with these types (privacy.marts.typed)
            "columns": {
                column: (sql_type, text(about)) for column, (sql_type, about) in mart.columns.items()
            },
        }
    return found


def dbt_marts() -> dict[str, dict]:
    """The dbt mart models as their yml declares them."""
    found = {}
    for path in sorted(MARTS.glob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            name = model["name"]
            language = "python" if (MARTS / f"{name}.py").exists() else "sql"
            found[name] = {
                "description": text(model.get("description")),
                "language": language,
                "enforced": bool(((model.get("config") or {}).get("contract") or {}).get("enforced")),
                "columns": {
                    c["name"]: (c.get("data_type"), text(c.get("description")))
                    for c in model.get("columns", [])
                },
            }
    return found


def model_files() -> set[str]:
    return {p.stem for p in MARTS.iterdir() if p.suffix in (".sql", ".py")}


def path_of(name: str) -> Path:
    return MARTS / f"{name}.yml"
