"""Finding a delivery in the landing area and fingerprinting it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dagster_project.ingest.errors import ExtractError

EXTRACT_SUFFIXES = (".csv", ".xlsx", ".sav", ".json", ".px")  # .json: JSON-stat 2.0, .px: PC-Axis


def delivery_dir(landing_dir: Path, source: str, year: int | str) -> Path:
    return landing_dir / source / str(year)


def delivery_years(landing_dir: Path, source: str) -> list[str]:
    """Year folders present for a source: the partitions that can be loaded."""
    root = landing_dir / source
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def find_extract(landing_dir: Path, source: str, year: int | str) -> Path:
    """The one extract file of a delivery; anything else is an error a person can act on."""
    folder = delivery_dir(landing_dir, source, year)
    if not folder.is_dir():
        raise ExtractError(str(folder), "delivery_folder_exists", "no delivery folder for this year")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
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
