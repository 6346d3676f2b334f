"""Do two warehouses hold the same marts? Row for row, every table in schema ``marts``.

The benchmark asks it three times per scenario: the reference's marts against the pipeline's (the
reference must have done the same work), and the marts of a warehouse that got its last year as a
new delivery (an incremental build) against those of the full build. Run by hand it compares any
two DuckDB warehouses, e.g. one built before a redesign and one after:

    python -m benchmarks.marts BEFORE.duckdb AFTER.duckdb

Doubles are compared rounded to 6 decimals (parallel sums add in a varying order), and
``loaded_at`` is left out: it says when a file was loaded, not what it holds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

#: Columns that record when, not what.
IGNORED_COLUMNS = frozenset({"loaded_at"})


def _columns(conn: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple[str, str]]:
    return conn.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = 'marts' and table_name = ? order by column_index",
        [catalog, table],
    ).fetchall()


def _tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = conn.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'marts'",
        [catalog],
    ).fetchall()
    return {table for (table,) in rows}


def differing_marts(conn: duckdb.DuckDBPyConnection, left: str, right: str) -> dict[str, str]:
    """Mart -> how it differs, for two catalogs attached to ``conn``; empty when all are the same."""
    differing = {}
    left_tables, right_tables = _tables(conn, left), _tables(conn, right)
    for table in sorted(left_tables ^ right_tables):
        differing[table] = f"only in {left if table in left_tables else right}"
    for table in sorted(left_tables & right_tables):
        columns = [c for c in _columns(conn, left, table) if c[0] not in IGNORED_COLUMNS]
        if columns != [c for c in _columns(conn, right, table) if c[0] not in IGNORED_COLUMNS]:
            differing[table] = "different columns or types"
            continue
        select = ", ".join(f'round("{c}", 6)' if t == "DOUBLE" else f'"{c}"' for c, t in columns)
        mine, theirs = (f'select {select} from {side}.marts."{table}"' for side in (left, right))
        rows = conn.execute(
            f"select (select count(*) from ({mine} except all {theirs})), "
            f"(select count(*) from ({theirs} except all {mine}))"
        ).fetchone()
        if any(rows):
            differing[table] = f"{rows[0]} rows only in {left}, {rows[1]} only in {right}"
    return differing


def compare_files(left: Path, right: Path) -> tuple[int, dict[str, str]]:
    """How many marts ``left`` has, and ``differing_marts`` for the two files (opened read-only)."""
    with duckdb.connect() as conn:
        conn.execute(f"attach '{left}' as left_db (read_only)")
        conn.execute(f"attach '{right}' as right_db (read_only)")
        return len(_tables(conn, "left_db")), differing_marts(conn, "left_db", "right_db")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    args = parser.parse_args(argv)
    count, differing = compare_files(args.left, args.right)
    for table, how in differing.items():
        print(f"{table}: {how}")
    print(
        f"{count - len(differing)} of {count} marts identical"
        if differing
        else f"all {count} marts identical"
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
