"""Writing the report files so that a reader never sees a half-written report.

Each file is written to a temporary name in the target folder (same filesystem, so the final
rename is atomic), flushed to disk, then moved over the old report in one step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from dagster_project.core.reports.figures import report_figures
from dagster_project.core.reports.render_html import render_html
from dagster_project.core.reports.render_xlsx import write_xlsx
from dagster_project.core.reports.status_tables import StatusReport


def report_file_stem(report_year: int) -> str:
    return f"indikatorstatus_{report_year}"


def _fsync_path(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Makes the rename itself durable; not every platform can open a directory, so best effort."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the report is meant to be read by others
        _fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)
    return target


def write_status_report(report: StatusReport, out_dir: Path) -> list[Path]:
    """Writes indikatorstatus_<year>.html and .xlsx into out_dir; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_file_stem(report.report_year)
    html = render_html(report, report_figures(report))  # render first: a template error leaves no file
    html_path = _atomic_write(out_dir / f"{stem}.html", lambda p: p.write_text(html, encoding="utf-8"))
    xlsx_path = _atomic_write(out_dir / f"{stem}.xlsx", lambda p: write_xlsx(report, p))
    return [html_path, xlsx_path]
