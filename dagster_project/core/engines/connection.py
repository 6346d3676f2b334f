"""One small interface over both engines for the steps that run outside dbt (privacy marts,
reports, checks): read a query into a frame, replace a table from a frame, run a statement.

Types are portable SQL names (``integer``, ``float8``, ``text``, ``boolean``) that mean the same
on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from dagster_project.core.engines.config import EngineConfig


class WarehouseConnection(Protocol):
    def frame(self, query: str) -> pd.DataFrame: ...

    def scalar(self, query: str) -> object: ...

    def replace_table(
        self,
        schema: str,
        name: str,
        frame: pd.DataFrame,
        columns: Mapping[str, str],
        description: str | None = None,
        column_descriptions: Mapping[str, str] | None = None,
    ) -> int: ...


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _comment_statements(
    schema: str, name: str, description: str | None, column_descriptions: Mapping[str, str] | None
) -> list[str]:
    statements = []
    if description:
        statements.append(f"comment on table {schema}.{name} is {_quote(description)}")
    for column, text in (column_descriptions or {}).items():
        statements.append(f'comment on column {schema}.{name}."{column}" is {_quote(text)}')
    return statements


def _create_statement(schema: str, name: str, columns: Mapping[str, str]) -> str:
    body = ", ".join(f'"{column}" {sql_type}' for column, sql_type in columns.items())
    return f"create table {schema}.{name} ({body})"


@dataclass
class DuckDBWarehouse:
    conn: duckdb.DuckDBPyConnection

    def frame(self, query: str) -> pd.DataFrame:
        return self.conn.execute(query).df()

    def scalar(self, query: str) -> object:
        return self.conn.execute(query).fetchone()[0]

    def replace_table(self, schema, name, frame, columns, description=None, column_descriptions=None) -> int:
        self.conn.execute("begin transaction")
        try:
            self.conn.execute(f"create schema if not exists {schema}")
            self.conn.execute(f"drop table if exists {schema}.{name}")
            self.conn.execute(_create_statement(schema, name, columns))
            self.conn.register("incoming_frame", frame)
            selected = ", ".join(f'"{c}"::{t}' for c, t in columns.items())
            self.conn.execute(f"insert into {schema}.{name} select {selected} from incoming_frame")
            self.conn.unregister("incoming_frame")
            for statement in _comment_statements(schema, name, description, column_descriptions):
                self.conn.execute(statement)
            self.conn.execute("commit")
        except Exception:
            self.conn.execute("rollback")
            raise
        return len(frame)


@dataclass
class PostgresWarehouse:
    conn: object  # psycopg.Connection

    def frame(self, query: str) -> pd.DataFrame:
        with self.conn.cursor() as cursor:
            cursor.execute(query)
            names = [d.name for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names)

    def scalar(self, query: str) -> object:
        return self.conn.execute(query).fetchone()[0]

    def replace_table(self, schema, name, frame, columns, description=None, column_descriptions=None) -> int:
        from psycopg import sql

        from dagster_project.core.engines.postgres import copy_rows

        with self.conn.transaction():
            self.conn.execute(f"create schema if not exists {schema}")
            self.conn.execute(f"drop table if exists {schema}.{name}")
            self.conn.execute(_create_statement(schema, name, columns))
            copy_rows(
                self.conn,
                sql.Identifier(schema, name),
                list(columns),
                frame[list(columns)].itertuples(index=False, name=None),
            )
            for statement in _comment_statements(schema, name, description, column_descriptions):
                self.conn.execute(statement)
            self.conn.execute(f"analyze {schema}.{name}")
        return len(frame)


@contextmanager
def open_warehouse(
    engine: EngineConfig, duckdb_path: Path, *, read_only: bool = False
) -> Iterator[WarehouseConnection]:
    """The engine's warehouse: the DuckDB file, or the PostgreSQL database of the URL."""
    if engine.is_postgres:
        import psycopg

        with psycopg.connect(engine.postgres_url, autocommit=True) as conn:
            yield PostgresWarehouse(conn)
    else:
        with duckdb.connect(str(duckdb_path), read_only=read_only) as conn:
            yield DuckDBWarehouse(conn)
