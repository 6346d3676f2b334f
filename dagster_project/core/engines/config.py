"""Which engine, and how to reach it: WAREHOUSE_ENGINE and WAREHOUSE_POSTGRES_URL.

DuckDB stays the default (one file, no server). With ``WAREHOUSE_ENGINE=postgres`` the raw tables,
the dbt build, the privacy marts and the publication live on the PostgreSQL server the URL names
(``postgresql://user:password@host:port/dbname``, from the environment, never committed); the
DuckDB file keeps only the run log and the quarantine of rejected deliveries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

ENGINES = ("duckdb", "postgres")
DEFAULT_ENGINE = "duckdb"
#: The role BI tools log in as on PostgreSQL: it reads the published schema and nothing else.
DEFAULT_BI_ROLE = "warehouse_bi"

#: What dbt's profiles.yml reads (the postgres target), handed to dbt from the URL by ``dbt_env``.
DBT_ENV = {
    "host": "WAREHOUSE_POSTGRES_HOST",
    "port": "WAREHOUSE_POSTGRES_PORT",
    "user": "WAREHOUSE_POSTGRES_USER",
    "password": "WAREHOUSE_POSTGRES_PASSWORD",
    "dbname": "WAREHOUSE_POSTGRES_DB",
}


class EngineConfigError(ValueError):
    """WAREHOUSE_ENGINE or WAREHOUSE_POSTGRES_URL is not usable (a plain message for the user)."""


@dataclass(frozen=True)
class EngineConfig:
    name: str = DEFAULT_ENGINE
    postgres_url: str | None = None
    bi_role: str = DEFAULT_BI_ROLE

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineConfig:
        """Read by ``Settings.from_env``, the one place that reads WAREHOUSE_* variables."""
        name = env.get("WAREHOUSE_ENGINE", DEFAULT_ENGINE).strip().lower() or DEFAULT_ENGINE
        if name not in ENGINES:
            raise EngineConfigError(f"WAREHOUSE_ENGINE must be one of {', '.join(ENGINES)}, not '{name}'")
        url = env.get("WAREHOUSE_POSTGRES_URL") or None
        if name == "postgres" and not url:
            raise EngineConfigError(
                "WAREHOUSE_ENGINE=postgres needs WAREHOUSE_POSTGRES_URL "
                "(postgresql://user:password@host:port/dbname)"
            )
        role = env.get("WAREHOUSE_POSTGRES_BI_ROLE", DEFAULT_BI_ROLE)
        return cls(name=name, postgres_url=url, bi_role=role)

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"

    @property
    def dbt_target(self) -> str:
        """The profiles.yml output: ``warehouse`` (DuckDB, as before) or ``postgres``."""
        return "postgres" if self.is_postgres else "warehouse"

    def dbt_env(self) -> dict[str, str]:
        """What dbt reads about the engine and the server's address (profiles.yml)."""
        env = {"WAREHOUSE_ENGINE": self.name}
        if self.postgres_url:
            env |= {DBT_ENV[key]: value for key, value in url_parts(self.postgres_url).items()}
        return env


def url_parts(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise EngineConfigError(
            "WAREHOUSE_POSTGRES_URL must look like postgresql://user:password@host:port/dbname"
        )
    return {
        "host": parts.hostname,
        "port": str(parts.port or 5432),
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password or ""),
        "dbname": unquote(parts.path.lstrip("/")) or "postgres",
    }
