"""Finding a delivery in the landing area and fingerprinting it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from dagster_project.core.ingest.errors import ExtractError

EXTRACT_SUFFIXES = (".csv", ".xlsx", ".sav", ".json", ".px")  # .json: JSON-stat 2.0, .px: PC-Axis


def delivery_dir(landing_dir: Path, source: str, year: int | str) -> Path:
    return landing_dir / source / str(year)


def delivery_years(landing_dir: Path, source: str) -> list[str]:
    """Year folders present for a source: the partitions that can be loaded."""
    root = landing_dir / source
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


#: Years before this are no delivery of this warehouse (the plan's indicator set starts in 2016;
#: the oldest survey wave it reads is 2003).
FIRST_DELIVERY_YEAR = 2000


def latest_plausible_year(today: datetime | None = None) -> int:
    """A delivery may be for next year at the latest (a budget delivered in December); a folder
    named for a later year is a typing error, and loading it would extend every year dimension."""
    return (today or datetime.now(UTC)).year + 1


def check_delivery_year(folder: Path, year: int | str) -> int:
    latest = latest_plausible_year()
    if not str(year).isdigit() or not FIRST_DELIVERY_YEAR <= int(year) <= latest:
        raise ExtractError(
            str(folder),
            "plausible_delivery_year",
            f"'{year}' is not a plausible delivery year (from {FIRST_DELIVERY_YEAR} to {latest}, "
            "next year at the latest); rename the folder to the year the extract is for",
        )
    return int(year)


def inside_landing(landing_dir: Path, path: Path) -> Path:
    """The real path of a delivered file or folder, refused when it lies outside the landing area
    (a symbolic link pointing elsewhere): the warehouse reads what was delivered, nothing else."""
    real, root = path.resolve(), landing_dir.resolve()
    if not real.is_relative_to(root):
        raise ExtractError(
            str(path.relative_to(landing_dir)) if path.is_relative_to(landing_dir) else path.name,
            "inside_landing_area",
            "is a symbolic link to a file outside the landing area; copy the file into the "
            "delivery folder instead",
        )
    return real


def find_extract(landing_dir: Path, source: str, year: int | str) -> Path:
    """The one extract file of a delivery; anything else is an error a person can act on."""
    folder = delivery_dir(landing_dir, source, year)
    check_delivery_year(folder, year)
    if not folder.is_dir():
        raise ExtractError(str(folder), "delivery_folder_exists", "no delivery folder for this year")
    inside_landing(landing_dir, folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    for file in files:
        inside_landing(landing_dir, file)
    extracts = [p for p in files if p.suffix.lower() in EXTRACT_SUFFIXES]
    others = [p.name for p in files if p not in extracts]
    if others:
        raise ExtractError(
            ", ".join(others),
            "supported_file_type",
            f"unsupported file type in {folder}; expected one of {EXTRACT_SUFFIXES} "
            "(save old .xls workbooks as .xlsx)",
        )
    if len(extracts) != 1:
        raise ExtractError(
            str(folder), "one_file_per_delivery", f"expected exactly one extract file, found {len(extracts)}"
        )
    return extracts[0]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
