"""What needs loading, and when the build may run: the one answer for `make run`, the sensor and the schedule.

A delivery (``<source>/<year>/``) needs loading exactly when its file differs from the load that is
current for it in the warehouse (``raw.extract_loads``): another sha256 or another file name. The
warehouse is the memory, not a sensor cursor, so a daemon started on a built warehouse requests
nothing, and a changed file gives one ingest run. A folder whose newest file is younger than the
settle time is left for the next look (a copy may be under way). A folder that is not one readable
extract (two files, a stray .xls) is planned too: its ingest run rejects it with a plain message.

Pure logic, no Dagster import: the launching code (``run.py`` in process, ``automation.py`` as run
requests) turns a plan into runs.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.files import delivery_dir, delivery_years, find_extract, sha256_file
from dagster_project.core.ingest.raw_tables import CurrentLoad
from dagster_project.core.operations.log import BATCH_SIZE_TAG, BATCH_TAG, TRIGGER_TAG

#: Which file content an ingest run was requested for, per source (``<source>:<sha256[:16]>,...``).
FINGERPRINT_TAG = "warehouse/fingerprint"


@dataclass(frozen=True)
class DeliveryState:
    """A delivery folder as it is on disk now."""

    source: str
    year: str
    #: The one extract's name and sha256; None when the folder is not one readable extract.
    file_name: str | None
    sha256: str | None
    #: sha256 over every file's name and content: identifies what the folder holds, also when invalid.
    fingerprint: str
    newest_mtime: float

    @property
    def key(self) -> str:
        return f"{self.source}/{self.year}"


@dataclass(frozen=True)
class PlannedLoad:
    """A delivery to ingest, and why."""

    state: DeliveryState
    replaces: CurrentLoad | None

    @property
    def source(self) -> str:
        return self.state.source

    @property
    def year(self) -> str:
        return self.state.year

    @property
    def reason(self) -> str:
        if self.replaces is None:
            return "new delivery"
        return f"changed file (replaces {self.replaces.file_name}, sha256 {self.replaces.sha256[:12]})"

    @property
    def attempt_key(self) -> str:
        """Names this attempt: the same folder content over the same current load is one attempt."""
        after = self.replaces.load_id if self.replaces else "none"
        return f"{self.state.key}:{self.state.fingerprint[:16]}:after:{after}"


@dataclass(frozen=True)
class Unchanged:
    """A delivery whose file is the one already loaded: not read or checked again."""

    state: DeliveryState
    loaded: CurrentLoad


@dataclass
class Plan:
    to_load: list[PlannedLoad] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)
    #: Folders still being written (newest file younger than the settle time).
    settling: list[DeliveryState] = field(default_factory=list)
    #: Sources with no delivery folder at all (a full run reports them).
    missing_sources: list[str] = field(default_factory=list)


def delivery_state(landing_dir: Path, source: str, year: str) -> DeliveryState:
    folder = delivery_dir(landing_dir, source, year)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    digest = hashlib.sha256()
    shas = {p: sha256_file(p) for p in files}
    for path in files:
        digest.update(f"{path.name}\0{shas[path]}\n".encode())
    newest = max((p.stat().st_mtime for p in files), default=folder.stat().st_mtime)
    try:
        extract = find_extract(landing_dir, source, year)
        file_name, sha256 = extract.name, shas[extract]
    except ExtractError:
        file_name = sha256 = None
    return DeliveryState(source, year, file_name, sha256, digest.hexdigest(), newest)


def plan_loads(
    landing_dir: Path,
    sources: Iterable[str],
    current: Mapping[tuple[str, int], CurrentLoad],
    *,
    years: tuple[int, int] | None = None,
    reload: bool = False,
    settle_seconds: float = 0.0,
    now: float | None = None,
) -> Plan:
    """Every delivery folder compared with the warehouse's current load, oldest year first per source.

    ``years`` limits the plan to a range of delivery years; ``reload`` plans them even when
    unchanged (a deliberate backfill, which reads and checks them again).
    """
    now = time.time() if now is None else now
    plan = Plan()
    for source in sources:
        found = delivery_years(landing_dir, source)
        chosen = [y for y in found if years is None or years[0] <= int(y) <= years[1]]
        if not found and years is None:
            plan.missing_sources.append(source)
        for year in chosen:
            state = delivery_state(landing_dir, source, year)
            loaded = current.get((source, int(year)))
            same = (
                loaded is not None and state.sha256 == loaded.sha256 and state.file_name == loaded.file_name
            )
            if same and not reload:
                plan.unchanged.append(Unchanged(state, loaded))
            elif now - state.newest_mtime < settle_seconds:
                plan.settling.append(state)
            else:
                plan.to_load.append(PlannedLoad(state, loaded))
    return plan


def build_ready(ingest_statuses: list[str], batch_size: int) -> tuple[bool, str]:
    """Whether a batch of ingest runs (one per delivery year) is complete and clean, so the build may run."""
    failed = [s for s in ingest_statuses if s in ("FAILURE", "CANCELED")]
    if failed:
        return False, f"{len(failed)} of {batch_size} ingest runs failed: nothing is built or published"
    done = sum(1 for s in ingest_statuses if s == "SUCCESS")
    if done < batch_size:
        return False, f"{done} of {batch_size} ingest runs done; the build waits for the rest"
    return True, f"all {batch_size} ingest runs succeeded"


def new_batch_id(prefix: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    return f"{prefix}{stamp}"


#: The one ingest job: every delivery of a batch with the same year is one run of it (one partition).
INGEST_JOB = "ingest_deliveries"

#: The delivery years every source's landing and raw assets are partitioned by (one shared set).
DELIVERY_YEARS = "delivery_years"

#: Which sources an ingest run loads (``a,b``): its asset selection.
SOURCES_TAG = "warehouse/sources"


@dataclass(frozen=True)
class IngestRequest:
    """One ingest run to launch: in process by `make run`, as a run request by the sensor.

    It loads every planned delivery of one year (one partition of ``delivery_years``), so a batch
    costs one Dagster run per delivery year, not one per file. Each delivery stays its own step,
    check and materialization: a rejected file fails its own step and the run, not its neighbours.
    """

    job_name: str
    partition_key: str
    run_key: str
    tags: dict[str, str]
    #: The sources of this year's planned deliveries, in plan order.
    sources: tuple[str, ...] = ()


def ingest_requests(plan: Plan, batch_id: str, trigger: str) -> list[IngestRequest]:
    """The ingest runs of a plan, one per delivery year, tagged as one batch: the build waits for all.

    The run key names every attempt the run makes (sorted), so the same deliveries over the same
    current loads are never requested twice; a changed file is another attempt and another key.
    """
    by_year: dict[str, list[PlannedLoad]] = {}
    for load in plan.to_load:
        by_year.setdefault(load.year, []).append(load)
    base = {BATCH_TAG: batch_id, BATCH_SIZE_TAG: str(len(by_year)), TRIGGER_TAG: trigger}
    return [
        IngestRequest(
            job_name=INGEST_JOB,
            partition_key=year,
            run_key="|".join(sorted(load.attempt_key for load in loads)),
            tags={
                **base,
                SOURCES_TAG: ",".join(load.source for load in loads),
                FINGERPRINT_TAG: ",".join(f"{load.source}:{load.state.fingerprint[:16]}" for load in loads),
            },
            sources=tuple(load.source for load in loads),
        )
        for year, loads in sorted(by_year.items())
    ]
