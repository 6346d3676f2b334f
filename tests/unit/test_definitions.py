"""A snapshot of the code location: every asset, check, job, schedule, sensor and resource, and the
lineage.

The graph cannot change unnoticed: a change shows up as a diff of ``snapshots/definitions.txt``.
After an intended change, write the new snapshot with ``WAREHOUSE_UPDATE_SNAPSHOT=1 pytest
tests/unit/test_definitions.py`` and commit it with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster_project.definitions import build_definitions
from dagster_project.settings import Settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def describe(tmp_path: Path) -> str:
    settings = Settings(
        tmp_path / "landing", tmp_path / "w.duckdb", tmp_path / "serving", tmp_path / "reports"
    )
    definitions = build_definitions(settings)
    repository = definitions.get_repository_def()
    graph = repository.asset_graph
    lines = ["# assets (key <- upstream keys) [group]"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parents = ", ".join(sorted(p.to_user_string() for p in node.parent_keys))
        lines.append(f"{key.to_user_string()} <- {parents or '-'} [{node.group_name}]")
    lines.append("# asset checks (asset: check) [blocking]")
    for check in sorted(graph.asset_check_keys, key=lambda c: (c.asset_key.to_user_string(), c.name)):
        spec = graph.get_check_spec(check)
        lines.append(
            f"{check.asset_key.to_user_string()}: {check.name}{' [blocking]' if spec.blocking else ''}"
        )
    lines.append("# jobs")
    lines += sorted(j.name for j in repository.get_all_jobs() if not j.name.startswith("__"))
    lines.append("# schedules")
    lines += sorted(f"{s.name} {s.cron_schedule} {s.execution_timezone}" for s in repository.schedule_defs)
    lines.append("# sensors")
    lines += sorted(s.name for s in repository.sensor_defs)
    lines.append("# resources (key: class)")
    lines += sorted(
        f"{key}: {type(resource).__name__}" for key, resource in (definitions.resources or {}).items()
    )
    return "\n".join(lines) + "\n"


def test_the_definitions_match_their_snapshot(tmp_path: Path) -> None:
    current = describe(tmp_path)
    if os.environ.get("WAREHOUSE_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert current == SNAPSHOT.read_text(encoding="utf-8"), (
        "the definitions changed; review the diff, then update the snapshot (see this module's docstring)"
    )


def test_the_publication_depends_on_every_mart_and_both_reports(tmp_path: Path) -> None:
    publication = next(line for line in describe(tmp_path).splitlines() if line.startswith("serving/"))
    lines = describe(tmp_path).splitlines()
    marts = [line.split(" <- ")[0] for line in lines if line.startswith("marts/") and " <- " in line]
    assert len(marts) >= 13
    for key in [*marts, "reports/indicator_status_report", "reports/survey_report"]:
        assert key in publication.split(" <- ")[1]
