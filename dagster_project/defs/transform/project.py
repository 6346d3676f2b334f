"""The dbt project location. The manifest is built ahead of time (``make`` runs ``dbt parse``)."""

from __future__ import annotations

from dagster_dbt import DbtProject

from dagster_project.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR

DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR
)
