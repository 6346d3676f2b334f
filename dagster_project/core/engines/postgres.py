"""PostgreSQL as the warehouse engine: raw loads over COPY, reading marts, and the publication.

One transaction per step, as on DuckDB: a raw load's rows and its ``raw.extract_loads`` entry appear
together or not at all, and the published schema is replaced by a complete, checked one in a
single transaction (a failed run leaves the previous publication untouched).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

from dagster_project.core.ingest.raw_tables import LOADS_DDL, CurrentLoad, LoadOutcome, load_id_for
from dagster_project.core.ingest.tabular import Contract

#: Column kinds of the source contracts, and DuckDB's type names, as PostgreSQL types.
CONTRACT_TYPES = {"int": "integer", "decimal": "float8", "text": "text"}
DUCKDB_TYPES = {
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "DOUBLE": "float8",
    "FLOAT": "float4",
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}

#: The current load of each (source, delivery year): its newest (DuckDB's QUALIFY, portably).
CURRENT_LOADS = """
    select * from (
        select loads.*, row_number() over (
            partition by source, delivery_year order by loaded_at desc
        ) as load_rank
        from raw.extract_loads as loads
    ) as ranked
    where load_rank = 1
"""


@contextmanager
def connect(url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(url) as conn:
        yield conn


def _plain(value: object) -> object:
    """A frame cell as COPY wants it: None for missing, Python numbers for numpy ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def copy_rows(
    conn: psycopg.Connection, table: sql.Composable, columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    statement = sql.SQL("copy {} ({}) from stdin").format(
        table, sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with conn.cursor().copy(statement) as copy:
        for row in rows:
            copy.write_row([_plain(v) for v in row])


def raw_table_ddl(contract: Contract) -> sql.Composed:
    columns = [
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(CONTRACT_TYPES[c.kind]))
        for c in contract.columns
    ]
    return sql.SQL(
        "create table if not exists raw.{} (load_id text not null, delivery_year integer not null, "
        "source_row integer not null, {}, file_name text not null, file_sha256 text not null, "
        "loaded_at timestamp not null, file_comment text)"
    ).format(sql.Identifier(contract.source), sql.SQL(", ").join(columns))


def added_columns_ddl(contract: Contract) -> list[sql.Composed]:
    """A contract version may add columns (BrukerPlan 2015): add them to a raw table an older
    version created, as ``ingest/raw_tables.py`` does on DuckDB; a version's missing ones are NULL."""
    return [
        sql.SQL("alter table raw.{} add column if not exists {} {}").format(
            sql.Identifier(contract.source), sql.Identifier(c.name), sql.SQL(CONTRACT_TYPES[c.kind])
        )
        for c in contract.columns
    ]


def write_load(
    url: str,
    contract: Contract,
    frame: pd.DataFrame,
    *,
    delivery_year: int,
    file_name: str,
    sha256: str,
    comment: str | None,
    run_id: str | None = None,
) -> LoadOutcome:
    """The delivery into ``raw.<source>`` over COPY, with its ``raw.extract_loads`` row, in one
    transaction; the file that is already the current one for its delivery is a no-op."""
    source = contract.source
    load_id = load_id_for(source, delivery_year, sha256)
    with connect(url) as conn:
        conn.execute("create schema if not exists raw")
        conn.execute(LOADS_DDL)
        conn.execute(raw_table_ddl(contract))
        for statement in added_columns_ddl(contract):
            conn.execute(statement)
        conn.commit()
        current = conn.execute(
            f"select load_id, loaded_at, row_count from ({CURRENT_LOADS}) as current_loads "
            "where source = %s and delivery_year = %s",
            [source, delivery_year],
        ).fetchone()
        if current and current[0] == load_id:
            return LoadOutcome(load_id=load_id, loaded_at=current[1], row_count=current[2], unchanged=True)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        table = sql.Identifier("raw", source)
        with conn.transaction():
            conn.execute(sql.SQL("delete from {} where load_id = %s").format(table), [load_id])
            conn.execute("delete from raw.extract_loads where load_id = %s", [load_id])
            names = contract.names
            columns = [
                "load_id",
                "delivery_year",
                "source_row",
                *names,
                "file_name",
                "file_sha256",
                "loaded_at",
                "file_comment",
            ]
            fixed_head, fixed_tail = (load_id, delivery_year), (file_name, sha256, loaded_at, comment)
            rows = (
                (*fixed_head, source_row, *values, *fixed_tail)
                for source_row, *values in frame[["source_row", *names]].itertuples(index=False, name=None)
            )
            copy_rows(conn, table, columns, rows)
            conn.execute(
                "insert into raw.extract_loads values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [load_id, source, delivery_year, file_name, sha256, loaded_at, len(frame), comment, run_id],
            )
    return LoadOutcome(load_id=load_id, loaded_at=loaded_at, row_count=len(frame), unchanged=False)


def copy_duckdb_tables(
    duckdb_conn, conn: psycopg.Connection, schema: str, tables: Sequence[str]
) -> dict[str, int]:
    """Tables of a DuckDB database into the same schema on PostgreSQL (replaced), over COPY."""
    counts = {}
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
    for table in tables:
        described = duckdb_conn.execute(f'describe "{schema}"."{table}"').fetchall()
        columns = [(row[0], DUCKDB_TYPES.get(row[1].upper(), "text")) for row in described]
        target = sql.Identifier(schema, table)
        conn.execute(sql.SQL("drop table if exists {}").format(target))
        conn.execute(
            sql.SQL("create table {} ({})").format(
                target,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in columns
                ),
            )
        )
        cursor = duckdb_conn.execute(f'select * from "{schema}"."{table}"')
        copy_rows(conn, target, [n for n, _ in columns], _rows(cursor))
        counts[table] = conn.execute(sql.SQL("select count(*) from {}").format(target)).fetchone()[0]
    conn.commit()
    return counts


def _rows(cursor) -> Iterator[tuple]:
    while batch := cursor.fetchmany(10_000):
        yield from batch


#: BI tools read this schema, through the read-only role, and nothing else.
PUBLISHED_SCHEMA = "published"
_NEXT = "published_next"
_PREVIOUS = "published_previous"


def _ensure_bi_role(conn: psycopg.Connection, role: str) -> None:
    """The read-only login role of BI tools (its password is the operator's: docs/postgres.md).

    It may read the published schema and nothing else; its sessions start there, read-only.
    """
    exists = conn.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone()
    if not exists:
        conn.execute(sql.SQL("create role {} login").format(sql.Identifier(role)))
    conn.execute(
        sql.SQL("alter role {} set search_path = {}").format(
            sql.Identifier(role), sql.Identifier(PUBLISHED_SCHEMA)
        )
    )
    conn.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(sql.Identifier(role)))


def publish_schema(
    url: str, *, publication_id: str, published_at: datetime, run_id: str, code_version: str, bi_role: str
) -> dict[str, int]:
    """Copy every mart into a new schema, check it, grant the BI role, and swap it in as
    ``published``: all in ONE transaction, so readers see the old publication or the new one,
    and a failure anywhere leaves the old one untouched. Returns rows per published table."""
    tables: dict[str, int] = {}
    with connect(url) as conn, conn.transaction():
        _ensure_bi_role(conn, bi_role)
        conn.execute(f"drop schema if exists {_NEXT} cascade")
        conn.execute(f"create schema {_NEXT}")
        names = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        for name in names:
            source, target = sql.Identifier("marts", name), sql.Identifier(_NEXT, name)
            conn.execute(sql.SQL("create table {} as select * from {}").format(target, source))
            _copy_comments(conn, name)
            copied = conn.execute(sql.SQL("select count(*) from {}").format(target)).fetchone()[0]
            expected = conn.execute(sql.SQL("select count(*) from {}").format(source)).fetchone()[0]
            if copied != expected:  # the audit of write-audit-publish
                raise RuntimeError(f"published.{name}: {copied} rows copied, marts.{name} has {expected}")
            tables[name] = copied
        _refuse_identity_numbers(conn)  # before the swap: a refusal rolls everything back
        conn.execute(
            f"create table {_NEXT}.publication as "
            "select %s::text as publication_id, %s::timestamp as published_at, %s::text as run_id, "
            "%s::text as code_version, source, delivery_year, file_name, file_sha256, loaded_at "
            "from marts.fct_extract_loads where is_current",
            [publication_id, published_at, run_id, code_version],
        )
        conn.execute(
            f"comment on table {_NEXT}.publication is "
            "'Which run, code version and extract files (sha256) produced this publication.'"
        )
        role = sql.Identifier(bi_role)
        conn.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(_NEXT), role))
        conn.execute(
            sql.SQL("grant select on all tables in schema {} to {}").format(sql.Identifier(_NEXT), role)
        )
        # The swap: the new schema takes the published name; the old one goes.
        if conn.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED_SCHEMA]).fetchone():
            conn.execute(f"drop schema if exists {_PREVIOUS} cascade")
            conn.execute(f"alter schema {PUBLISHED_SCHEMA} rename to {_PREVIOUS}")
        conn.execute(f"alter schema {_NEXT} rename to {PUBLISHED_SCHEMA}")
        conn.execute(f"drop schema if exists {_PREVIOUS} cascade")
    return tables


def _refuse_identity_numbers(conn: psycopg.Connection) -> None:
    """No text column of the new schema may hold an identity number: the check of the DuckDB
    publication (serving/served_text.py), run on the server."""
    from dagster_project.core.serving.served_text import CANDIDATE_PATTERN, refuse_identity_numbers

    text_columns = conn.execute(
        "select table_name, column_name from information_schema.columns where table_schema = %s "
        "and data_type in ('text', 'character varying') order by table_name, ordinal_position",
        [_NEXT],
    ).fetchall()

    def candidates(table: str, column: str) -> list[str]:
        query = sql.SQL("select distinct {column} from {table} where {column} ~ %s").format(
            column=sql.Identifier(column), table=sql.Identifier(_NEXT, table)
        )
        return [text for (text,) in conn.execute(query, [CANDIDATE_PATTERN]).fetchall()]

    refuse_identity_numbers("marts", text_columns, candidates)


def _copy_comments(conn: psycopg.Connection, table: str) -> None:
    """Keep the dbt descriptions (persist_docs) for BI users, as the DuckDB publication does."""
    rows = conn.execute(
        "select a.attname, col_description(c.oid, a.attnum), obj_description(c.oid, 'pg_class') "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
        "where n.nspname = 'marts' and c.relname = %s",
        [table],
    ).fetchall()
    target = sql.Identifier(_NEXT, table)
    if rows and rows[0][2]:
        conn.execute(sql.SQL("comment on table {} is {}").format(target, sql.Literal(rows[0][2])))
    for column, text, _ in rows:
        if text:
            conn.execute(
                sql.SQL("comment on column {}.{} is {}").format(
                    target, sql.Identifier(column), sql.Literal(text)
                )
            )


def current_loads(url: str) -> dict[tuple[str, int], CurrentLoad]:
    """Per (source, delivery year): the current load on the server (none before the first load)."""
    with connect(url) as conn:
        if conn.execute("select to_regclass('raw.extract_loads')").fetchone()[0] is None:
            return {}
        rows = conn.execute(
            "select source, delivery_year, load_id, file_name, file_sha256, row_count "
            f"from ({CURRENT_LOADS}) as current_loads"
        ).fetchall()
    return {(r[0], r[1]): CurrentLoad(*r[2:]) for r in rows}
