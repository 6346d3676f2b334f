"""The privacy marts as one Dagster step that runs on any engine (registry: privacy/marts.py).

For each mart: read the intermediate cell counts, apply the pure suppression function, write the
mart in one transaction, and check it (unique key, not null, accepted values: blocking, so a
broken mart is never published).
"""

import dagster as dg

from dagster_project.core.privacy.marts import PRIVACY_MARTS, check_queries, typed
from dagster_project.defs.engines.resource import WarehouseEngine
from dagster_project.settings import WAREHOUSE_WRITER_POOL

MARTS_SCHEMA = "marts"


def mart_key(name: str) -> dg.AssetKey:
    return dg.AssetKey([MARTS_SCHEMA, name])


@dg.multi_asset(
    name="privacy_marts",
    specs=[
        dg.AssetSpec(
            mart_key(mart.name),
            deps=[dg.AssetKey(["intermediate", mart.source])],
            group_name="marts",
            kinds={"python", "pandas"},
            description=mart.description,
            metadata={"source": f"intermediate.{mart.source}"},
        )
        for mart in PRIVACY_MARTS
    ],
    check_specs=[
        dg.AssetCheckSpec(name, asset=mart_key(mart.name), blocking=True)
        for mart in PRIVACY_MARTS
        for name in check_queries(mart)
    ],
    pool=WAREHOUSE_WRITER_POOL,
    can_subset=False,
)
def privacy_marts(context: dg.AssetExecutionContext, engine: WarehouseEngine):
    """Suppressed marts from intermediate cell counts, written and checked on the warehouse's engine."""
    with engine.open() as warehouse:
        for mart in PRIVACY_MARTS:
            cells = warehouse.frame(f"select * from intermediate.{mart.source}")
            served = typed(mart.build(cells), mart)
            rows = warehouse.replace_table(
                MARTS_SCHEMA, mart.name, served, mart.types, mart.description, mart.descriptions
            )
            yield dg.MaterializeResult(
                asset_key=mart_key(mart.name),
                metadata={
                    "dagster/row_count": rows,
                    "suppressed_cells": int(served["is_suppressed"].sum()),
                    "engine": engine.name,
                },
            )
            for name, query in check_queries(mart, MARTS_SCHEMA).items():
                failing = int(warehouse.scalar(query))
                yield dg.AssetCheckResult(
                    asset_key=mart_key(mart.name),
                    check_name=name,
                    passed=failing == 0,
                    metadata={"failing_rows": failing},
                    description=None if failing == 0 else f"{failing} rows of marts.{mart.name} break {name}",
                )
