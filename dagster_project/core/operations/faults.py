"""Fault injection for the crash tests: ``WAREHOUSE_CRASH_AT=<point>`` kills the run there.

The kill is SIGKILL (no cleanup, no ``finally``), as a power cut or the OOM killer would do; child
processes named by the caller (the dbt subprocess) die with it. Unset, a crash point does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal

CRASH_ENV = "WAREHOUSE_CRASH_AT"

#: Where a run can be killed: inside the raw load transaction, in the middle of dbt build,
#: with the new publication written but not yet swapped in, and right after the swap.
CRASH_POINTS = ("ingest_mid_transaction", "dbt_mid_build", "publish_before_swap", "publish_after_swap")


def crash_point(name: str, also_kill: tuple[int, ...] = ()) -> None:
    from dagster_project.settings import Settings

    if Settings.from_env().crash_at != name:
        return
    for pid in also_kill:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)  # gone for sure (and its file locks with it) before we go
    os.kill(os.getpid(), signal.SIGKILL)
