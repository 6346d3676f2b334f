"""One writer at a time on the working warehouse, across processes: a lock file beside it.

DuckDB itself refuses a second writing process at once ("Could not set lock on file") instead of
waiting; two runs requested together must queue instead. Every step that writes the warehouse
(ingest, dbt, reports, publish) and ``run_pipeline`` as a whole hold this lock. It is re-entrant
within a thread, so a run that holds it can execute its steps in-process.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster_project.settings import process_settings

_held = threading.local()

#: How long a writer waits for another run before giving up (seconds); a full run takes about a minute.
DEFAULT_TIMEOUT = process_settings().lock_timeout


class WarehouseBusy(TimeoutError):
    """Another run kept the warehouse longer than the timeout."""


def lock_path(warehouse_db: Path, kind: str = "lock") -> Path:
    return warehouse_db.with_name(f"{warehouse_db.name}.{kind}")


@contextmanager
def run_lock(warehouse_db: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[float]:
    """One ``make run`` at a time per warehouse: a second one waits for the first to finish.

    A separate file from the writer lock, taken before any Dagster pool slot, so that the order
    is always run lock -> pool slot -> writer lock and a run started by the daemon (which holds a
    pool slot while it waits for the writer lock) can never deadlock with ``make run``.
    """
    with warehouse_lock(warehouse_db, timeout, kind="run.lock") as waited:
        yield waited


@contextmanager
def warehouse_lock(
    warehouse_db: Path, timeout: float = DEFAULT_TIMEOUT, poll: float = 0.2, kind: str = "lock"
) -> Iterator[float]:
    """Hold the writer lock; yields the seconds spent waiting for it (0 when re-entered)."""
    key = str(lock_path(warehouse_db, kind).resolve())
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield 0.0
        finally:
            depth[key] -= 1
        return
    path = Path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    started = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started > timeout:
                    handle.seek(0)
                    raise WarehouseBusy(
                        f"{warehouse_db} is being written by another run ({handle.read().strip()}); "
                        f"gave up after {timeout:.0f} s"
                    ) from None
                time.sleep(poll)
        waited = time.monotonic() - started
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        depth[key] = 1
        try:
            yield waited
        finally:
            depth[key] = 0
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()
