"""The BrukerPlan yearly booklet as a report (HTML + XLSX) for any delivered year.

Built from ``marts.mart_brukerplan_booklet`` only (weighted, cells on 1-4 registrations already
suppressed): reports/<year>/brukerplan_<year>.html and .xlsx, with the booklet's tables in its order.
Counts are weighted recipients, rounded to whole numbers as the booklet prints them.
"""

from datetime import datetime

import pandas as pd

from dagster_project.core.reports.figure_tables import (
    Section,
    Table,
    TableReport,
    count_text,
    percent_text,
    pivot_cells,
    sample_lines,
)

SECTIONS = (
    (
        "Brukerne",
        (
            ("Innledning", "Registreringer og vektede tjenestemottakere"),
            ("Tabell 1", "Alder (18 år og eldre)"),
            ("Kjønn", "Kjønn"),
        ),
    ),
    (
        "Aktivitet, arbeid og utdanning",
        (
            ("Tabell 2", "Levekårsområdet utdanning/arbeid/aktivitet"),
            ("Tabell 3", "Organisert aktivitet"),
            ("Tabell 4", "Aktivitet, arbeid og utdanning, og andel med rød/blodrød levekårsindeks"),
        ),
    ),
    (
        "Bolig",
        (
            ("Tabell 5", "Boligsituasjon etter gruppe"),
            ("Tabell 6", "Boligsituasjon etter alvorlighetsgrad av psykisk helseproblem"),
        ),
    ),
    (
        "Rusmiddelbruk og levekår",
        (
            ("Tabell 8", "Betydelig eller svært omfattende bruk (tunge brukere)"),
            ("Tabell 9", "Tunge brukere: rusmidler etter alder"),
            ("Tabell 11", "Levekårsindeks: tunge brukere og alle andre"),
            ("Figur 16", "Levekårsindeks blant tunge brukere av hvert rusmiddel"),
            ("Tabell 13", "LAR-pasienter og tung bruk"),
            ("Tabell 15", "Levekårsområdet rusmiddelbruk etter overdose"),
            ("Vedlegg 2", "Samtidig rus- og psykisk lidelse (ROP)"),
        ),
    ),
)


def _cell(row: pd.Series) -> str:
    if row["is_suppressed"]:
        return percent_text(None)
    if row["table_id"] == "Innledning":
        if pd.notna(row["weighted_mean"]):
            return count_text(row["weighted_mean"], 4)
        return count_text(row["weighted_n"])
    if pd.notna(row["weighted_mean"]):
        return f"snitt {count_text(row['weighted_mean'], 1)}"
    if row["row_label"] == "Antall tunge brukere":
        return count_text(row["weighted_n"])
    return f"{count_text(row['weighted_n'])} ({percent_text(row['share_percent'])})"


def build_brukerplan_report(
    year: int, booklet: pd.DataFrame, loads: pd.DataFrame, generated_at: datetime
) -> TableReport:
    sections, data = [], []
    for title, tables in SECTIONS:
        built = []
        for table_id, caption in tables:
            part = booklet[booklet["table_id"] == table_id]
            if part.empty:
                continue
            headers, rows = pivot_cells(part, _cell)
            built.append(Table(table_id=table_id, title=caption, headers=headers, rows=rows))
            for _, r in part.iterrows():
                value = r["share_percent"] if pd.notna(r["share_percent"]) else r["weighted_n"]
                data.append(
                    (table_id, r["row_label"], r["column_label"], None if pd.isna(value) else float(value))
                )
        if built:
            sections.append(Section(title=title, tables=built))
    comments = [c for c in loads.get("file_comment", pd.Series(dtype=str)).dropna()]
    return TableReport(
        heading=f"BrukerPlan {year}: rus og psykisk helse i kommunene",
        stem=f"brukerplan_{year}",
        intro=[
            "Tjenestemottakere 18 år og eldre med rusproblem eller samtidig rus- og psykisk helseproblem, "
            "registrert av kommunenes ansatte. Der leveransen har vekter (2015-formatet), er tallene vektet "
            "opp fra de deltakende kommunene til hele landet; antall er vektede, avrundede tall, "
            "ikke personer.",
            "Manglende registreringer holdes utenfor grunnlaget. Levekårsindeksens fjerde kategori heter "
            "«blodrød» i 2015-formatet.",
        ],
        sections=sections,
        generated_at=generated_at,
        files=[
            {"file_name": r["file_name"], "sha256": r["file_sha256"], "loaded_at": str(r["loaded_at"])}
            for _, r in loads.iterrows()
        ],
        sample_lines=list(dict.fromkeys(sample_lines(comments))),
        data=data,
    )
