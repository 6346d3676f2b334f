"""The survey report per instrument and wave: a pure model built from the survey marts.

Everything printed comes from the served marts, after disclosure control: a cell the rule hides is
printed as a dash (fewer than the minimum answers) or as a mean only, never recomputed here. Key figures
(top-2 shares) by gender and size class, item distributions as stacked bars, indices with N and
Cronbach's alpha, response counts and the rule applied; a footer names the extract file and says
when the data are synthetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from dagster_project.core.reports.formatting import format_number

HIDDEN = "\u2013"  # en dash: suppressed, nothing may be shown for this group (and only that)
UNDEFINED = "i.b."  # not computable (e.g. Cronbach's alpha without variation): not a suppressed cell
UNDEFINED_NOTE = f"{UNDEFINED} = ikke beregnbar (for eksempel alfa når svarene ikke varierer)."
GROUP_TYPES = ("total", "gender", "size_class", "age_group")
GROUP_TITLES = {"total": "Alle", "gender": "Kjønn", "size_class": "Kommunestørrelse", "age_group": "Alder"}
#: Diverging bar colours from the least to the most favourable substantive option, by option count.
FAVOURABILITY_COLOURS = {
    2: ("#c0504d", "#2e6da4"),
    3: ("#c0504d", "#d9d9d9", "#2e6da4"),
    4: ("#c0504d", "#e6a35c", "#8fb8de", "#2e6da4"),
    5: ("#c0504d", "#e6a35c", "#d9d9d9", "#8fb8de", "#2e6da4"),
    6: ("#c0504d", "#e6a35c", "#f2d0a9", "#bcd3ea", "#8fb8de", "#2e6da4"),
}
#: Unordered (nominal) options: distinct colours that say nothing about better or worse.
NOMINAL_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f")
#: 'Vet ikke', 'ikke aktuelt' and the like: outside the scale, always grey.
NON_SUBSTANTIVE_COLOUR = "#7f7f7f"
NON_SUBSTANTIVE_PREFIXES = ("vet ikke", "ikke aktuelt", "har ikke", "ubesvart")
BAR_COLOURS = FAVOURABILITY_COLOURS[5] + (NON_SUBSTANTIVE_COLOUR,)


@dataclass(frozen=True)
class Column:
    group_type: str
    group_value: str


@dataclass(frozen=True)
class KeyRow:
    item_code: str
    item_text: str
    cells: list[str]
    values: list[float | None]
    measure: str = ""  # what the share counts: 'topp 2 (…)' or the one option it is


@dataclass(frozen=True)
class Segment:
    label: str
    percent: float
    text: str
    colour: str


@dataclass(frozen=True)
class DistributionRow:
    item_code: str
    item_text: str
    n_valid: str
    segments: list[Segment]
    note: str


@dataclass(frozen=True)
class IndexRow:
    label: str
    group: str
    cells: list[str]


@dataclass
class SurveyReport:
    instrument: str
    title: str
    wave: int
    respondent_unit: str
    percent_base: str
    disclosure_rule: str
    columns: list[Column]
    key_rows: list[KeyRow]
    distribution_groups: list[tuple[str, list[DistributionRow]]]
    index_rows: list[IndexRow]
    response_counts: list[tuple[str, str, str]]
    files: list[dict[str, str]]
    generated_at: datetime
    sample_lines: list[str] = field(default_factory=list)
    distribution_only: list[str] = field(default_factory=list)  # unordered items: no key figure

    @property
    def column_groups(self) -> list[tuple[str, int]]:
        """(title, span) of the column groups over the key-figure columns: Alle, Kjønn, …"""
        spans: list[tuple[str, int]] = []
        for column in self.columns:
            title = GROUP_TITLES.get(column.group_type, column.group_type)
            if spans and spans[-1][0] == title:
                spans[-1] = (title, spans[-1][1] + 1)
            else:
                spans.append((title, 1))
        return spans

    @property
    def index_note(self) -> str:
        undefined = any(UNDEFINED in row.cells for row in self.index_rows)
        return UNDEFINED_NOTE if undefined else ""

    @property
    def is_sample(self) -> bool:
        return bool(self.sample_lines)

    @property
    def heading(self) -> str:
        return f"{self.title} {self.wave}"

    @property
    def column_headers(self) -> list[str]:
        return [c.group_value for c in self.columns]


def item_key(code: str) -> tuple[object, ...]:
    """Questionnaire order: Q9 < Q10 < Q14_1 < Q14_2 < Q30 < Q30b."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"\d+|[A-Za-z]+", code))


def file_stem(instrument: str, wave: int) -> str:
    return f"sporreundersokelse_{instrument}_{wave}"


def format_percent(value: float | None) -> str:
    """'43 %'; the page keeps each legend entry on one line, so it never breaks before the sign."""
    return HIDDEN if value is None or pd.isna(value) else f"{format_number(value, 0)} %"


def is_substantive(label: str) -> bool:
    return not str(label).strip().casefold().startswith(NON_SUBSTANTIVE_PREFIXES)


def option_colours(options: pd.DataFrame) -> dict[int, str]:
    """Colour per option code. Substantive options run from least to most favourable: the top-2
    (most favourable) options sit at the high or, for a reverse-coded item such as 2011 Q18, at the
    low end of the codes; an item without top-2 options is unordered and gets neutral colours."""
    labels = dict(zip(options["code"].astype(int), options["label"].astype(str), strict=True))
    top = options["is_top2"] if "is_top2" in options else pd.Series(False, index=options.index)
    top_codes = {int(c) for c, t in zip(options["code"], top, strict=True) if bool(t) and not pd.isna(t)}
    scale = sorted(c for c, label in labels.items() if is_substantive(label))
    colours = {c: NON_SUBSTANTIVE_COLOUR for c in labels}
    if not top_codes:
        palette = NOMINAL_COLOURS
    else:
        low_end = sum(scale.index(c) for c in top_codes if c in scale) < sum(
            len(scale) - 1 - scale.index(c) for c in top_codes if c in scale
        )
        if low_end:
            scale = scale[::-1]  # reverse-coded: the first codes are the favourable ones
        palette = FAVOURABILITY_COLOURS.get(len(scale), BAR_COLOURS[:-1])
    for position, code in enumerate(scale):
        colours[code] = palette[min(position, len(palette) - 1)]
    return colours


def _measure(options: pd.DataFrame) -> str:
    """The key figure's meaning for an item: both top-2 options, or the single one it is."""
    if "is_top2" not in options:
        return "topp 2"
    labels = [f"«{label}»" for label, t in zip(options["label"], options["is_top2"], strict=True) if bool(t)]
    if len(labels) == 1:
        return f"andel {labels[0]}"
    return f"topp {len(labels)}: " + " og ".join([", ".join(labels[:-1]), labels[-1]]) if labels else ""


def _disclosure_rule(min_n_mean: int, min_n_distribution: int) -> str:
    if min_n_mean <= 1 and min_n_distribution <= 1:
        return (
            "Alle grupper vises: respondentene er kommuner og bydeler som svarer på vegne av "
            "virksomheten, ikke enkeltpersoner."
        )
    return (
        f"Prikking: for grupper med færre enn {min_n_mean} svar vises ingen tall ({HIDDEN}); "
        f"med {min_n_mean}\u2013{min_n_distribution - 1} svar vises bare gjennomsnitt (snitt); "
        f"fordelinger og andeler vises fra {min_n_distribution} svar."
    )


def _cell(row: pd.Series) -> str:
    if row["disclosure"] == "suppressed":
        return HIDDEN
    if row["disclosure"] == "mean_only":
        return f"snitt {format_number(row['mean'], 1)}" if pd.notna(row["mean"]) else HIDDEN
    if pd.notna(row["top2_share"]):
        return format_percent(row["top2_share"])
    return f"snitt {format_number(row['mean'], 1)}" if pd.notna(row["mean"]) else HIDDEN


def build_survey_report(
    *,
    instrument: dict[str, object],
    wave: int,
    respondents: pd.DataFrame,
    items: pd.DataFrame,
    distribution: pd.DataFrame,
    indices: pd.DataFrame,
    loads: pd.DataFrame,
    generated_at: datetime,
) -> SurveyReport:
    """One instrument's wave; the frames are the marts filtered to that instrument and wave."""
    ordered = respondents.sort_values(["group_type", "group_order", "group_value"])
    columns = [
        Column(r.group_type, r.group_value)
        for gt in GROUP_TYPES
        for r in ordered[ordered["group_type"] == gt].itertuples()
    ]
    total_options = distribution[distribution["group_type"] == "total"]
    distribution_only: list[str] = []
    key_rows = []
    item_order = items.drop_duplicates("item_code")[["item_code", "item_text", "item_group"]]
    item_order = item_order.iloc[
        sorted(range(len(item_order)), key=lambda i: item_key(item_order.iloc[i, 0]))
    ]
    by_key = {(r.item_code, r.group_type, r.group_value): r for r in items.itertuples()}
    for it in item_order.itertuples():
        options = total_options[total_options["item_code"] == it.item_code]
        summaries = items[items["item_code"] == it.item_code]
        has_top2 = "is_top2" not in options or bool(options["is_top2"].fillna(False).astype(bool).any())
        if not options.empty and not has_top2 and summaries["mean"].isna().all():
            distribution_only.append(str(it.item_code))  # unordered options: no share, no mean
            continue
        cells, values = [], []
        for col in columns:
            found = by_key.get((it.item_code, col.group_type, col.group_value))
            if found is None:
                cells.append(HIDDEN)
                values.append(None)
                continue
            series = pd.Series(found._asdict())
            cells.append(_cell(series))
            values.append(None if pd.isna(found.top2_share) else float(found.top2_share))
        measure = _measure(options) if has_top2 and not options.empty else "snitt"
        key_rows.append(KeyRow(it.item_code, it.item_text, cells, values, measure))

    groups: dict[str, list[DistributionRow]] = {}
    total = distribution[distribution["group_type"] == "total"]
    totals = items[items["group_type"] == "total"].set_index("item_code")
    for it in item_order.itertuples():
        options = total[total["item_code"] == it.item_code].sort_values("code")
        summary = totals.loc[it.item_code] if it.item_code in totals.index else None
        if options.empty or summary is None:
            continue
        segments = []
        if (options["disclosure"] == "full").all():
            colours = option_colours(options)
            for opt in options.itertuples():
                segments.append(
                    Segment(
                        label=str(opt.label),
                        percent=float(opt.percent_valid),
                        text=format_percent(opt.percent_valid),
                        colour=colours[int(opt.code)],
                    )
                )
        note_parts = []
        if pd.notna(summary["n_not_applicable"]) and summary["n_not_applicable"]:
            note_parts.append(f"ikke aktuelt/har ikke: {format_number(summary['n_not_applicable'], 0)}")
        if pd.notna(summary["n_missing"]) and summary["n_missing"]:
            note_parts.append(f"ubesvart: {format_number(summary['n_missing'], 0)}")
        n_valid = summary["n_valid"]
        groups.setdefault(str(it.item_group), []).append(
            DistributionRow(
                item_code=str(it.item_code),
                item_text=str(it.item_text),
                n_valid=HIDDEN if pd.isna(n_valid) else format_number(n_valid, 0),
                segments=segments,
                note="; ".join(note_parts),
            )
        )

    index_rows = []
    type_rank = {g: i for i, g in enumerate(GROUP_TYPES)}
    ranked = indices.assign(_type_rank=indices["group_type"].map(type_rank))
    for r in ranked.sort_values(["index_code", "_type_rank", "group_order"]).itertuples():
        if r.group_type not in type_rank:
            continue
        hidden = r.disclosure != "full"
        index_rows.append(
            IndexRow(
                label=str(r.index_label),
                group=str(r.group_value),
                cells=[
                    HIDDEN if pd.isna(r.n) else format_number(r.n, 0),
                    HIDDEN if pd.isna(r.mean) else format_number(r.mean, 0),
                    HIDDEN if hidden else format_number(r.min_score, 0),
                    HIDDEN if hidden else format_number(r.max_score, 0),
                    HIDDEN
                    if hidden
                    else UNDEFINED
                    if pd.isna(r.cronbach_alpha)
                    else format_number(r.cronbach_alpha, 3),
                ],
            )
        )

    response_counts = [
        (
            GROUP_TITLES.get(r.group_type, r.group_type),
            str(r.group_value),
            HIDDEN if pd.isna(r.n_respondents) else format_number(r.n_respondents, 0),
        )
        for r in ordered.sort_values(["group_type", "group_order"], key=_group_type_order).itertuples()
    ]
    files = [
        {
            "file_name": str(r.file_name),
            "sha256": str(r.file_sha256),
            "loaded_at": pd.Timestamp(r.loaded_at).strftime("%d.%m.%Y %H:%M"),
        }
        for r in loads.itertuples()
    ]
    sample_lines = sorted({str(c) for c in loads["file_comment"].dropna() if "SYNTETISK" in str(c).upper()})
    return SurveyReport(
        instrument=str(instrument["instrument"]),
        title=str(instrument["title"]),
        wave=wave,
        respondent_unit=str(instrument["respondent_unit"]),
        percent_base=str(instrument["percent_base"]),
        disclosure_rule=_disclosure_rule(
            int(instrument["min_n_mean"]), int(instrument["min_n_distribution"])
        ),  # type: ignore[arg-type]
        columns=columns,
        key_rows=key_rows,
        distribution_groups=list(groups.items()),
        index_rows=index_rows,
        response_counts=response_counts,
        files=files,
        generated_at=generated_at,
        sample_lines=sample_lines,
        distribution_only=distribution_only,
    )


def _group_type_order(series: pd.Series) -> pd.Series:
    if series.name == "group_type":
        return series.map({g: i for i, g in enumerate(GROUP_TYPES)})
    return series
