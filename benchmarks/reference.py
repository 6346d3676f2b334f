"""The reference: the pipeline's work as plain DuckDB in one process, the physical limit here.

Two timed parts, on the same data as the pipeline run they are compared with:

- **bulk load**: every landing file into a DuckDB table with DuckDB's own CSV reader (SPSS and XLSX
  files, which DuckDB cannot read, through pyreadstat/openpyxl); no checks, no typing rules.
- **transform**: every dbt node the pipeline's ``dbt build`` executed, in the order it ran them,
  from dbt's compiled SQL: models created as tables or views, data tests run as queries; then the
  privacy marts from their registry (``core/privacy/marts.py``), the same pure functions on the
  same intermediate tables.

The raw tables and the seeds (small reference tables, as dbt typed them) are copied, untimed, from
the pipeline's warehouse, so the transform runs on exactly the rows the pipeline loaded; afterwards
every mart is compared with the pipeline's. Prints one JSON object with the timings.

    python -m benchmarks.reference --landing DIR --pipeline-db FILE --work DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from benchmarks.marts import differing_marts
from dagster_project.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR

TARGET = DBT_TARGET_DIR


def bulk_load(conn: duckdb.DuckDBPyConnection, landing: Path) -> int:
    """Every extract of every source and year into a table of its own; returns the rows loaded."""
    conn.execute("create schema if not exists landing")
    rows = 0
    for number, path in enumerate(sorted(p for p in landing.rglob("*") if p.is_file())):
        table = f"landing.file_{number}"
        suffix = path.suffix.lower()
        if suffix == ".csv":
            conn.execute(
                f"create table {table} as select * from read_csv(?, delim = ';', header = true, "
                "comment = '#', decimal_separator = ',', all_varchar = false)",
                [str(path)],
            )
        elif suffix == ".sav":
            import pyreadstat

            frame, _ = pyreadstat.read_sav(str(path))
            conn.execute(f"create table {table} as select * from frame")
        elif suffix == ".xlsx":
            import pandas as pd

            frame = pd.read_excel(path, comment="#")  # noqa: F841 - read by DuckDB's replacement scan
            conn.execute(f"create table {table} as select * from frame")
        else:
            continue
        rows += conn.execute(f"select count(*) from {table}").fetchone()[0]
    return rows


def _compiled(node: dict) -> str:
    return node.get("compiled_code") or (DBT_PROJECT_DIR / node["compiled_path"]).read_text(encoding="utf-8")


def transform(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replay the nodes of the last ``dbt build`` (target/run_results.json) in their order."""
    manifest = json.loads((TARGET / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((TARGET / "run_results.json").read_text(encoding="utf-8"))["results"]
    nodes = manifest["nodes"]
    counts = {"seeds": 0, "models": 0, "tests": 0, "skipped": 0}
    for schema in {n["schema"] for n in nodes.values() if n["resource_type"] in ("seed", "model")}:
        conn.execute(f'create schema if not exists "{schema}"')
    for result in results:
        node = nodes.get(result["unique_id"])
        if node is None:  # unit tests live elsewhere in the manifest: fixtures, not warehouse work
            counts["skipped"] += 1
            continue
        kind = node["resource_type"]
        if kind == "seed":  # copied with the raw tables: typed as dbt typed them
            counts["seeds"] += 1
        elif kind == "model":
            materialized = "view" if node["config"]["materialized"] == "view" else "table"
            conn.execute(f"create or replace {materialized} {node['relation_name']} as {_compiled(node)}")
            counts["models"] += 1
        elif kind == "test":
            conn.execute(_compiled(node)).fetchall()
            counts["tests"] += 1
        else:
            counts["skipped"] += 1
    counts["models"] += privacy_marts(conn)
    return counts


def privacy_marts(conn: duckdb.DuckDBPyConnection) -> int:
    """The marts the pipeline builds outside dbt, by the registry's own functions."""
    from dagster_project.core.engines.connection import DuckDBWarehouse
    from dagster_project.core.privacy.marts import PRIVACY_MARTS, typed

    warehouse = DuckDBWarehouse(conn)
    for mart in PRIVACY_MARTS:
        served = typed(mart.build(warehouse.frame(f"select * from intermediate.{mart.source}")), mart)
        warehouse.replace_table("marts", mart.name, served, mart.types)
    return len(PRIVACY_MARTS)


def copy_raw_tables(conn: duckdb.DuckDBPyConnection, pipeline_db: Path) -> None:
    """The pipeline's raw schema (its loads and the seeds), as the compiled SQL expects it."""
    conn.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
    conn.execute("create schema if not exists raw")
    tables = conn.execute(
        "select table_name from duckdb_tables() where database_name = 'pipeline' and schema_name = 'raw'"
    ).fetchall()
    for (table,) in tables:
        conn.execute(f'create table raw."{table}" as select * from pipeline.raw."{table}"')
    conn.execute("detach pipeline")


def same_marts(conn: duckdb.DuckDBPyConnection, pipeline_db: Path) -> dict[str, str]:
    """Marts whose rows differ from the pipeline's: the reference must have done the same work."""
    conn.execute(f"attach '{pipeline_db}' as pipeline (read_only)")
    try:
        return differing_marts(conn, "pipeline", conn.execute("select current_database()").fetchone()[0])
    finally:
        conn.execute("detach pipeline")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--pipeline-db", type=Path, required=True, help="a warehouse the pipeline built")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (emptied)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for stale in args.work.glob("*.duckdb*"):
        stale.unlink()
    # The catalog must be named like the pipeline's file: compiled SQL says "warehouse"."marts"...
    database = args.work / args.pipeline_db.name
    with duckdb.connect(str(args.work / "bulk.duckdb")) as conn:
        started = time.perf_counter()
        rows = bulk_load(conn, args.landing)
        bulk_s = time.perf_counter() - started
    with duckdb.connect(str(database)) as conn:
        copy_raw_tables(conn, args.pipeline_db)
        started = time.perf_counter()
        counts = transform(conn)
        transform_s = time.perf_counter() - started
        mismatched = same_marts(conn, args.pipeline_db)
    result = {"bulk_load_s": bulk_s, "transform_s": transform_s, "rows": rows, **counts}
    print(json.dumps({**result, "marts_differing_from_pipeline": mismatched}))
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
