"""Noticing deliveries: which ``<source>/<year>/`` folders are new or changed since the last look.

A folder's fingerprint is the sha256 over its files' names and contents, so a new year folder, a
replaced file and a second file dropped beside the first all count as a change, while touching a
file does not. A folder whose newest file is younger than the settle time is left for the next look:
a delivery still being copied in must not be loaded half-written.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from dagster_project.ingest.files import delivery_years, sha256_file


@dataclass(frozen=True)
class FolderState:
    source: str
    year: str
    fingerprint: str
    newest_mtime: float

    @property
    def key(self) -> str:
        return f"{self.source}/{self.year}"


@dataclass(frozen=True)
class DeliveryPlan:
    changed: list[FolderState]
    settling: list[FolderState]
    cursor: dict[str, str]


def folder_state(landing_dir: Path, source: str, year: str) -> FolderState:
    folder = landing_dir / source / year
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.name}\0{sha256_file(path)}\n".encode())
    newest = max((p.stat().st_mtime for p in files), default=folder.stat().st_mtime)
    return FolderState(source, year, digest.hexdigest(), newest)


def plan_deliveries(
    landing_dir: Path,
    sources: list[str],
    cursor: dict[str, str],
    *,
    settle_seconds: float = 60.0,
    now: float | None = None,
) -> DeliveryPlan:
    """New or changed delivery folders since ``cursor`` ({'source/year': fingerprint}), oldest year first."""
    now = time.time() if now is None else now
    changed: list[FolderState] = []
    settling: list[FolderState] = []
    new_cursor = dict(cursor)
    for source in sources:
        for year in delivery_years(landing_dir, source):
            state = folder_state(landing_dir, source, year)
            if cursor.get(state.key) == state.fingerprint:
                continue
            if now - state.newest_mtime < settle_seconds:
                settling.append(state)
                continue
            changed.append(state)
            new_cursor[state.key] = state.fingerprint
    return DeliveryPlan(changed=changed, settling=settling, cursor=new_cursor)


def build_ready(ingest_statuses: list[str], batch_size: int) -> tuple[bool, str]:
    """Whether a batch of ingest runs is complete and clean, so that the build may run."""
    failed = [s for s in ingest_statuses if s in ("FAILURE", "CANCELED")]
    if failed:
        return False, f"{len(failed)} of {batch_size} ingest runs failed: nothing is built or published"
    done = sum(1 for s in ingest_statuses if s == "SUCCESS")
    if done < batch_size:
        return False, f"{done} of {batch_size} ingest runs done; the build waits for the rest"
    return True, f"all {batch_size} ingest runs succeeded"
