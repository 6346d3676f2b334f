"""Do two warehouses hold the same marts? Row for row, every table in schema ``marts``.

The benchmark asks it three times per scenario: the reference's marts against the pipeline's (the
reference must have done the same work), and the marts of a warehouse that got its last year as a
new delivery (an incremental build) against those of the full build. Run by hand it compares any
two DuckDB warehouses, e.g. one built before a redesign and one after:

    python -m benchmarks.marts BEFORE.duckdb AFTER.duckdb

Doubles are equal within a relative 1e-9 (sums over many rows add in a varying order: parallel
scans, or the same sum reached through other intermediate tables), and ``loaded_at`` is left out:
it says when a file was loaded, not what it holds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

#: Columns that record when, not what.
IGNORED_COLUMNS = frozenset({"loaded_at"})
#: Doubles closer than this, relative to the larger (or to 1 below 1), are the same value.
RELATIVE_TOLERANCE = 1e-9


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
        if any(rows) and any(unmatched := _unmatched_within_tolerance(conn, left, right, table, columns)):
            differing[table] = f"{unmatched[0]} rows only in {left}, {unmatched[1]} only in {right}"
    return differing


def _unmatched_within_tolerance(
    conn: duckdb.DuckDBPyConnection, left: str, right: str, table: str, columns: list[tuple[str, str]]
) -> tuple[int, int]:
    """Rows of each side without a partner: equal in every other column, doubles within tolerance.

    Rows are paired by their other columns and their rank by the doubles among rows that share those
    (rounding alone is not enough: a sum's last digits can straddle a rounding boundary).
    """
    keys = [f'"{c}"' for c, t in columns if t != "DOUBLE"]
    doubles = [f'"{c}"' for c, t in columns if t == "DOUBLE"]
    if not doubles:  # compared exactly already
        return _count_only(conn, left, right, table, columns)
    ranked = (
        "select *, row_number() over ("
        + (f"partition by {', '.join(keys)} " if keys else "")
        + f'order by {", ".join(doubles)}) as pair_rank from {{}}.marts."{table}"'
    )
    pairs = [f"l.{k} is not distinct from r.{k}" for k in keys] + ["l.pair_rank = r.pair_rank"]
    same_keys = " and ".join(pairs)
    close = " and ".join(
        f"(l.{d} is not distinct from r.{d} or abs(l.{d} - r.{d}) <= "
        f"{RELATIVE_TOLERANCE} * greatest(abs(l.{d}), abs(r.{d}), 1))"
        for d in doubles
    )
    return conn.execute(
        f"with l as ({ranked.format(left)}), r as ({ranked.format(right)}), "
        f"paired as (select l.pair_rank as left_rank, r.pair_rank as right_rank, ({close}) as close "
        f"from l full outer join r on {same_keys}) "
        "select count(*) filter (where right_rank is null or (left_rank is not null and not close)), "
        "count(*) filter (where left_rank is null or (right_rank is not null and not close)) from paired"
    ).fetchone()


def _count_only(conn, left: str, right: str, table: str, columns: list[tuple[str, str]]) -> tuple[int, int]:
    select = ", ".join(f'"{c}"' for c, _ in columns)
    mine, theirs = (f'select {select} from {side}.marts."{table}"' for side in (left, right))
    return conn.execute(
        f"select (select count(*) from ({mine} except all {theirs})), "
        f"(select count(*) from ({theirs} except all {mine}))"
    ).fetchone()


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
