"""The engine as a Dagster resource: the steps outside dbt open the warehouse through it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from dagster_project.core.engines.config import DEFAULT_BI_ROLE, EngineConfig
from dagster_project.core.engines.connection import WarehouseConnection, open_warehouse
from dagster_project.core.ingest.raw_tables import CurrentLoad, LoadOutcome, current_loads
from dagster_project.core.operations.lock import warehouse_lock


class WarehouseEngine(dg.ConfigurableResource):
    """``duckdb`` (the working warehouse file) or ``postgres`` (the server of the URL)."""

    name: str = "duckdb"
    duckdb_path: str
    postgres_url: str | None = None
    bi_role: str = DEFAULT_BI_ROLE

    @classmethod
    def from_config(cls, config: EngineConfig, duckdb_path: Path) -> WarehouseEngine:
        return cls(
            name=config.name,
            duckdb_path=str(duckdb_path),
            postgres_url=config.postgres_url,
            bi_role=config.bi_role,
        )

    @property
    def config(self) -> EngineConfig:
        return EngineConfig(name=self.name, postgres_url=self.postgres_url, bi_role=self.bi_role)

    @contextmanager
    def open(self, *, read_only: bool = False) -> Iterator[WarehouseConnection]:
        """The warehouse, under the writer lock (one DuckDB writer at a time; harmless on a server)."""
        with (
            warehouse_lock(Path(self.duckdb_path)),
            open_warehouse(self.config, Path(self.duckdb_path), read_only=read_only) as warehouse,
        ):
            yield warehouse

    def write_load(self, duckdb_conn, contract, frame, **load) -> LoadOutcome:
        """A validated delivery into raw.<source>: the DuckDB file, or the server over COPY."""
        if self.config.is_postgres:
            from dagster_project.core.engines import postgres

            return postgres.write_load(self.postgres_url, contract, frame, **load)
        from dagster_project.core.ingest.raw_tables import write_load

        return write_load(duckdb_conn, contract, frame, **load)

    def write_staged_load(self, duckdb_conn, contract, table: str, **load) -> LoadOutcome:
        """A validated staging table of ``duckdb_conn`` into raw.<source>: inserted from it in the
        DuckDB file, or sent to the server over COPY."""
        if self.config.is_postgres:
            from dagster_project.core.engines import postgres

            names = ", ".join(["source_row", *contract.names])
            frame = duckdb_conn.execute(f'select {names} from "{table}"').df()
            return postgres.write_load(self.postgres_url, contract, frame, **load)
        from dagster_project.core.ingest.raw_tables import write_staged_load

        return write_staged_load(duckdb_conn, contract, table, **load)


def current_loads_of(
    config: EngineConfig, duckdb_path: Path, timeout: float | None = None
) -> dict[tuple[str, int], CurrentLoad]:
    """The current load per (source, delivery year), on the engine that holds the raw tables
    (``timeout``: how long to wait for the DuckDB writer lock)."""
    if config.is_postgres:
        from dagster_project.core.engines import postgres

        return postgres.current_loads(config.postgres_url)
    return current_loads(duckdb_path, timeout=timeout)
