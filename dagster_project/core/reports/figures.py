"""The figures of the status report (chapters 5-10 of the printed report) as inline SVG.

Drawn from the report model, so a figure shows exactly the values of its table (constant prices,
the edition's vintages). Pure: plain strings, no external resources, Norwegian labels. Each figure
lists its indicators; a figure whose indicators have no value in the report is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from dagster_project.core.reports.formatting import format_number
from dagster_project.core.reports.status_tables import ReportRow, StatusReport

#: Series colours (colour-blind safe), in order.
PALETTE = ("#1f5f8b", "#e39b2d", "#6aa84f", "#a64d79", "#45818e", "#cc4125", "#7f6000")
LEVEL_COLOURS = {"grønn": "#6aa84f", "gul": "#f1c232", "rød/blålys": "#cc4125"}


@dataclass(frozen=True)
class Figure:
    number: str  # as printed: '5.1'
    table_id: str  # the table it is shown under
    title: str
    kind: str  # 'bars' (grouped by year), 'bars_line' (bars, then a line on the right axis), 'levels'
    series: tuple[tuple[int, str], ...]  # (indicator, legend label)
    axis: str = "Prosent"
    right_axis: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("5.1", "5.1",
           "Årsverk (høyre akse) og samlede bevilgninger, kommunalt psykisk helse- og rusarbeid",
           "bars_line", ((3, "Bevilgninger kap. 765, mill. kr"), (4, "Årsverk")), "Millioner kroner",
           "Årsverk"),
    Figure("6.1", "6.1", "Levekårsindeks BrukerPlan: tjenestemottakere med rusproblemer", "levels",
           ((15, "grønn"), (16, "rød/blålys"))),
    Figure("7.2", "7.1",
           "Kommuner som arbeider recoveryorientert, og brukernes vurdering av egen innflytelse", "bars",
           ((31, "Kommuner: recoveryorientert"), (35, "Brukere: innflytelse"),
            (36, "Brukere: tilpasset behov"))),
    Figure("7.3", "7.1", "Kommunenes ivaretakelse av barn og voksne som pårørende", "bars",
           ((34, "Barn som pårørende"), (33, "Voksne som pårørende"))),
    Figure("9.1", "9.1", "Tilgjengelige tjenester i kommunene, indikator 53, 54 og 55", "bars",
           ((53, "Øyeblikkelig hjelp døgn"), (54, "Oppsøkende team"), (55, "Brukerutstyr"))),
    Figure("9.2", "9.1", "Kommuner som vurderer tjenestene sine som gode eller svært gode", "bars",
           ((45, "Voksne, milde"), (46, "Barn/unge, milde"), (58, "Voksne, kortvarige"),
            (59, "Barn/unge, kortvarige"), (60, "Voksne, langvarige"), (61, "Barn/unge, langvarige"))),
    Figure("9.3", "9.1", "Median ventetid (dager) til behandling i TSB", "bars", ((56, "Median ventetid"),),
           "Dager"),
    Figure("9.4", "9.1",
           "Kommuner der samarbeidsavtalene med helseforetaket fungerer godt eller svært godt", "bars",
           ((66, "Voksne med rusproblemer"), (67, "Unge med rusproblemer"))),
    Figure("10.1", "10.1", "BrukerPlan: brukere med grønn skår etter levekårsområde", "bars",
           ((77, "Bolig"), (78, "Fysisk helse"), (79, "Psykisk helse"), (80, "Økonomi"),
            (81, "Meningsfull aktivitet"), (82, "Rusmiddelbruk"), (83, "Sosialt nettverk"))),
    Figure("10.2", "10.1", "Bolig og oppfølging over tid", "bars",
           ((76, "Oppfølging i bolig (kommuner)"), (77, "Bolig grønn (BrukerPlan)"),
            (85, "Boligsituasjon bedret (kommuner)"), (86, "Opptrapping boliger (kommuner)"))),
)  # fmt: skip

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 16, 64
TICKS = 5


def _series_values(rows: dict[int, ReportRow], indicator: int, years: tuple[int, ...]) -> list[float | None]:
    row = rows.get(indicator)
    if row is None:
        return [None] * len(years)
    by_year = {cell.year: cell.value for cell in row.values}
    return [by_year.get(year) for year in years]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.5, 2, 2.5, 5, 10):  # multiples of 5 ticks: the axis has five intervals
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axis(top: float, x: float, label: str, anchor: str, percent: bool) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(TICKS + 1):
        value = top * i / TICKS
        y = TOP + plot_h - plot_h * i / TICKS
        text = format_number(value, 0 if top >= 10 else 1) + (" %" if percent else "")
        dx = -6 if anchor == "end" else 6
        parts.append(f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(text)}</text>')
        if anchor == "end":
            parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>'
            )
    mid = TOP + plot_h / 2
    rotate = -90 if anchor == "end" else 90
    lx = 14 if anchor == "end" else WIDTH - 10
    parts.append(
        f'<text x="{lx}" y="{mid:.1f}" text-anchor="middle" transform="rotate({rotate} {lx} {mid:.1f})">'
        f"{escape(label)}</text>"
    )
    return parts


def _legend(labels: list[tuple[str, str]], kinds: list[str] | None = None) -> list[str]:
    parts, x = [], LEFT
    y = HEIGHT - 14
    for i, (label, colour) in enumerate(labels):
        if kinds and kinds[i] == "line":
            parts.append(
                f'<line x1="{x}" x2="{x + 14}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>'
            )
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}">{escape(label)}</text>')
        x += 26 + 6.2 * len(label)
    return parts


def _svg(figure: Figure, body: list[str], description: str) -> Markup:
    title = f"Figur {figure.number} {figure.title}"
    return Markup(
        f'<figure class="chart" id="figur-{escape(figure.number)}">'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'role="img" aria-label="{escape(title)}" font-family="Calibri, Arial, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + f"</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


def _value_text(value: float, percent: bool) -> str:
    return format_number(value, 0) + (" %" if percent else "")


def _grouped_bars(figure: Figure, rows: dict[int, ReportRow], years: tuple[int, ...]) -> Markup | None:
    series = [(label, _series_values(rows, no, years)) for no, label in figure.series]
    series = [(label, vals) for label, vals in series if any(v is not None for v in vals)]
    if not series:
        return None
    percent = figure.axis == "Prosent"
    top = 100.0 if percent else _nice_max(max(v for _, vals in series for v in vals if v is not None))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / len(years)
    bar_w = min(28.0, group_w * 0.8 / len(series))
    body = _axis(top, LEFT, figure.axis, "end", percent)
    for gi, year in enumerate(years):
        x0 = LEFT + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, (label, vals) in enumerate(series):
            value = vals[gi]
            if value is None:
                continue
            h = plot_h * max(0.0, value) / top
            x, y = x0 + si * bar_w, TOP + plot_h - h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(label)}, {year}: '
                f"{escape(_value_text(value, percent))}</title></rect>"
            )
        body.append(
            f'<text x="{LEFT + gi * group_w + group_w / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{year}</text>'
        )
    body += _legend([(label, PALETTE[i % len(PALETTE)]) for i, (label, _) in enumerate(series)])
    description = "; ".join(
        f"{label}: " + ", ".join(f"{y} {_value_text(v, percent)}" for y, v in zip(years, vals, strict=True)
                                 if v is not None)
        for label, vals in series
    )  # fmt: skip
    return _svg(figure, body, description)


def _bars_line(figure: Figure, rows: dict[int, ReportRow], years: tuple[int, ...]) -> Markup | None:
    (bar_no, bar_label), (line_no, line_label) = figure.series
    bars, line = _series_values(rows, bar_no, years), _series_values(rows, line_no, years)
    if not any(v is not None for v in bars + line):
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_bar = _nice_max(max((v for v in bars if v is not None), default=1.0))
    top_line = _nice_max(max((v for v in line if v is not None), default=1.0))
    group_w = plot_w / len(years)
    body = _axis(top_bar, LEFT, figure.axis, "end", False) + _axis(top_line, WIDTH - RIGHT, figure.right_axis,
                                                                     "start", False)  # fmt: skip
    points = []
    for gi, year in enumerate(years):
        cx = LEFT + gi * group_w + group_w / 2
        if bars[gi] is not None:
            h = plot_h * max(0.0, bars[gi]) / top_bar
            body.append(
                f'<rect x="{cx - 18:.1f}" y="{TOP + plot_h - h:.1f}" width="36" height="{h:.1f}" '
                f'fill="{PALETTE[0]}"><title>{escape(bar_label)}, {year}: '
                f"{format_number(bars[gi], 0)}</title></rect>"
            )
        if line[gi] is not None:
            points.append((cx, TOP + plot_h - plot_h * line[gi] / top_line, year, line[gi]))
        body.append(f'<text x="{cx:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{year}</text>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[1]}" stroke-width="3"/>')
        for x, y, year, value in points:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[1]}"><title>{escape(line_label)}, '
                f"{year}: {format_number(value, 0)}</title></circle>"
            )
    body += _legend([(bar_label, PALETTE[0]), (line_label, PALETTE[1])], ["bar", "line"])
    return _svg(figure, body, f"{bar_label} og {line_label} per år")


def _levels(figure: Figure, rows: dict[int, ReportRow], years: tuple[int, ...]) -> Markup | None:
    """Stacked 100 % bars: green share, red/blålys share, and yellow as the rest."""
    (green_no, _), (red_no, _) = figure.series
    green, red = _series_values(rows, green_no, years), _series_values(rows, red_no, years)
    present = [i for i, (g, r) in enumerate(zip(green, red, strict=True)) if g is not None and r is not None]
    if not present:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / len(years)
    body = _axis(100.0, LEFT, "Prosent", "end", True)
    for gi in present:
        parts = (("grønn", green[gi]), ("gul", 100 - green[gi] - red[gi]), ("rød/blålys", red[gi]))
        x = LEFT + gi * group_w + group_w / 2 - 22
        y = TOP + plot_h
        for label, share in parts:
            h = plot_h * max(0.0, share) / 100
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="44" height="{h:.1f}" fill="{LEVEL_COLOURS[label]}">'
                f"<title>{escape(label)}, {years[gi]}: {format_number(share, 0)} %</title></rect>"
            )
    for gi, year in enumerate(years):
        body.append(
            f'<text x="{LEFT + gi * group_w + group_w / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{year}</text>'
        )
    body += _legend(list(LEVEL_COLOURS.items()))
    return _svg(figure, body, "Andel grønn, gul og rød/blålys per år (gul = resten)")


_DRAW = {"bars": _grouped_bars, "bars_line": _bars_line, "levels": _levels}


def report_figures(report: StatusReport) -> dict[str, list[Markup]]:
    """The figures per table id, in the printed order; figures without data are left out."""
    rows = {row.indicator_no: row for table in report.tables for row in table.rows}
    charts: dict[str, list[Markup]] = {}
    for figure in FIGURES:
        svg = _DRAW[figure.kind](figure, rows, report.years)
        if svg is not None:
            charts.setdefault(figure.table_id, []).append(svg)
    return charts


def figure_series(report: StatusReport) -> list[tuple[Figure, list[tuple[str, list[float | None]]]]]:
    """Per figure with data, its series as (legend label, value per report year): the data behind
    the SVG, for the workbook's native charts. A 'levels' figure gives the green, yellow and
    red/blålys shares."""
    rows = {row.indicator_no: row for table in report.tables for row in table.rows}
    result = []
    for figure in FIGURES:
        if figure.kind == "levels":
            (green_no, _), (red_no, _) = figure.series
            green = _series_values(rows, green_no, report.years)
            red = _series_values(rows, red_no, report.years)
            yellow = [
                None if g is None or r is None else 100 - g - r for g, r in zip(green, red, strict=True)
            ]
            series = [("grønn", green), ("gul", yellow), ("rød/blålys", red)]
        else:
            series = [(label, _series_values(rows, no, report.years)) for no, label in figure.series]
        if figure.kind == "bars":
            series = [(label, values) for label, values in series if any(v is not None for v in values)]
        if series and any(v is not None for _, values in series for v in values):
            result.append((figure, series))
    return result
