"""Map dbt nodes to Dagster asset keys and groups: ``<schema>/<name>``, grouped by layer.

Sources map to the raw assets that write them (``raw/national_figures``), so the lineage runs
unbroken from the landing file through dbt to the reports. Snapshots (the report editions' history,
schema ``snapshots``) are their own group: they are kept, not served.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

LAYERS = ("staging", "intermediate", "marts")


def layer_of(props: Mapping[str, Any]) -> str:
    if props["resource_type"] == "source":
        return "raw"
    if props["resource_type"] == "seed":
        return "reference"
    if props["resource_type"] == "snapshot":
        return "snapshots"
    fqn = props.get("fqn", [])
    return next((part for part in fqn if part in LAYERS), "marts")


class WarehouseTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        layer = layer_of(props)
        key = dg.AssetKey([layer, props["name"]])
        if props["resource_type"] == "source":
            return spec.replace_attributes(key=key)
        kinds = {"dbt", "duckdb"} | ({"seed"} if props["resource_type"] == "seed" else set())
        return spec.replace_attributes(key=key, group_name=layer, kinds=kinds)
