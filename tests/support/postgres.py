"""A throwaway PostgreSQL server for the tests (.ci/postgres): 127.0.0.1 only, stopped afterwards.

WAREHOUSE_TEST_POSTGRES_URL names a server to use instead (e.g. a CI service); otherwise one is
started from the local installation (the Debian package is installed when none is found).
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server (superuser) that lives as long as the context."""
    given = os.environ.get("WAREHOUSE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    data_dir = Path(tempfile.mkdtemp(prefix="warehouse-pg-"))
    try:
        started = subprocess.run(
            [str(SCRIPT), "start", str(data_dir), str(_free_port())], capture_output=True, text=True
        )
        if started.returncode != 0:
            raise RuntimeError(f"could not start PostgreSQL: {started.stderr.strip()[-2000:]}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(SCRIPT), "stop", str(data_dir)], capture_output=True, text=True)
