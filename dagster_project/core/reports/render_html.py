"""The status report as one self-contained HTML page (inline CSS, no external resources)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from dagster_project.core.reports.status_tables import CHANGE_COLOURS, LEGEND, StatusReport

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "indicator_status.html.j2"


@cache
def _environment() -> Environment:
    # Indicator texts and file comments come from delivered files: always escape them.
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: StatusReport, charts: dict[str, list[Markup]] | None = None) -> str:
    """The page; `charts` are inline SVG figures (already safe markup) shown under their table."""
    template = _environment().get_template(TEMPLATE_NAME)
    return template.render(report=report, colours=CHANGE_COLOURS, legend=LEGEND, charts=charts or {})
