"""The 2003 service mapping as a report (HTML + XLSX): the main tables of chapters 3-6.

Built from ``marts.mart_service_mapping_figures`` and ``mart_service_mapping_need_offered`` only
(aggregated, cells of 1-4 forms already suppressed), written to reports/<wave>/kartlegging_<wave>.*.
Every figure counts forms (consultations or clients), never persons, as the report does.
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

INSTRUMENTS = ("service_mapping_consultations", "service_mapping_gp", "service_mapping_institutions")

#: (stream, table_id) -> caption, per chapter, in the report's order.
CHAPTERS = (
    (
        "Materialet",
        (
            ("consultations", "Tekst 3", "Mottatte skjema: sosialtjenesten (skjema 3)"),
            ("gp", "Tekst 3", "Mottatte skjema: fastleger"),
            ("institutions", "Tekst 3", "Mottatte skjema: spesialiserte rusinstitusjoner"),
        ),
    ),
    (
        "Sosialtjenesten: konsultasjoner i uke 46",
        (
            (
                "consultations",
                "Tabell 4-6",
                "Type misbruk etter kommunegruppe (andel av skjema med type misbruk)",
            ),
            ("consultations", "Tekst 4.4", "Stort misbruk, varighet og tunge rusmiddelmisbrukere"),
            ("consultations", "Tabell 4-8", "Type helseproblem etter kommunegruppe"),
            ("consultations", "Tabell 4-9", "Søknader siste 6 måneder etter kommunegruppe"),
            ("consultations", "Tabell 4-10", "Ventetid i dager, skjema med søknad om ett tilbud"),
            ("consultations", "Tabell 4-13", "Registrert behov og tilbudte tiltak i uke 46"),
            ("consultations", "Tekst 4.6", "Hovedårsak til avvik mellom behov og tilbud"),
            ("consultations", "Tabell 4-15", "Samarbeid i uke 46"),
        ),
    ),
    (
        "Fastlegene",
        (
            ("gp", "Tabell 5-3", "Behov i konsultasjonen"),
            ("gp", "Tabell 5-4", "Type misbruk"),
            ("gp", "Tabell 5-7", "LAR-status og alvorlige psykiske problemer"),
        ),
    ),
    (
        "Spesialiserte rusinstitusjoner",
        (
            ("institutions", "Tekst 6.2", "Klientene"),
            ("institutions", "Tabell 6-1", "Vurdering av misbruk per rusmiddel"),
            ("institutions", "Tabell 6-2", "Alvorlige somatiske og psykiske problemer (andel «ja»)"),
            ("institutions", "Tabell 6-3", "Behov for tilbud (radprosent)"),
            ("institutions", "Tabell 6-5", "Ventetid etter institusjonstype"),
            ("institutions", "Tabell 6-6", "Samarbeid med sosialtjenesten etter institusjonstype"),
            ("institutions", "Tabell 6-7", "Koordinering etter institusjonstype"),
            ("institutions", "Tabell 6-8", "Årsak til at tilbudet ikke er tilstrekkelig"),
        ),
    ),
)


def _cell(row: pd.Series) -> str:
    if row["table_id"] == "Tekst 3":
        return count_text(row["n"])
    if row["is_suppressed"]:  # primary or secondary: n, share and means alike
        return percent_text(None)
    if pd.notna(row["mean_value"]):
        text = f"snitt {count_text(row['mean_value'])}"
        if pd.notna(row["sd_value"]) and row["row_label"] == "Alder":
            text += f" (SD {count_text(row['sd_value'])})"
        if pd.notna(row["max_value"]) and row["row_label"] != "Alder":
            text += f", maks {count_text(row['max_value'])}"
        return f"{text}, n = {count_text(row['base_n'])}"
    if pd.isna(row["n"]):
        return percent_text(None)
    return f"{count_text(row['n'])} ({percent_text(row['percent_of_base'])})"


def _need_offered_table(need: pd.DataFrame) -> Table:
    rows = [
        [
            r["measure"],
            count_text(r["need_n"]),
            percent_text(r["need_percent"]),
            count_text(r["offered_n"]),
            percent_text(r["offered_percent"]),
            r["ratio_text"] if isinstance(r["ratio_text"], str) else percent_text(None),
            r["match_class"] if isinstance(r["match_class"], str) else "",
        ]
        for _, r in need.sort_values("need_n", ascending=False).iterrows()
    ]
    return Table(
        table_id="Tabell 4-13",
        title="Registrert behov og tilbudte tiltak i uke 46 (andel av alle skjema)",
        headers=["Tiltak", "Behov", "%", "Tilbudt", "%", "Forhold", "Samsvar (tabell 4-14)"],
        rows=rows,
        note=(
            "Forhold = tilbudt i prosent av behov, regnet av de avrundede prosentene slik rapporten gjør; "
            "«> 100» når tilbudene er flere enn behovene. Stort samsvar: forhold 75 eller mer."
        ),
    )


def build_mapping_report(
    wave: int,
    figures: pd.DataFrame,
    need: pd.DataFrame,
    loads: pd.DataFrame,
    generated_at: datetime,
) -> TableReport:
    sections = []
    data: list[tuple[str, str, str, float | None]] = []
    for title, tables in CHAPTERS:
        built = []
        for stream, table_id, caption in tables:
            if table_id == "Tabell 4-13":
                if not need.empty:
                    built.append(_need_offered_table(need))
                continue
            part = figures[(figures["form_stream"] == stream) & (figures["table_id"] == table_id)]
            if part.empty:
                continue
            headers, rows = pivot_cells(part, _cell)
            built.append(Table(table_id=table_id, title=caption, headers=headers, rows=rows))
            for _, r in part.iterrows():
                value = (
                    r["percent_of_base"]
                    if pd.notna(r["percent_of_base"])
                    else r["mean_value"]
                    if pd.notna(r["mean_value"])
                    else r["n"]
                )
                data.append(
                    (
                        f"{stream} {table_id}",
                        r["row_label"],
                        r["column_label"],
                        None if pd.isna(value) else float(value),
                    )
                )
        if built:
            sections.append(Section(title=title, tables=built))
    comments = [c for c in loads.get("file_comment", pd.Series(dtype=str)).dropna()]
    return TableReport(
        heading=f"Kartlegging av tjenester til rusmiddelmisbrukere {wave}",
        stem=f"kartlegging_{wave}",
        intro=[
            "Tverrsnittskartlegging høsten 2003 (før rusreformen 2004): ett skjema per konsultasjon i "
            "sosialtjenesten og hos fastleger i uke 46, og ett skjema per klient i spesialiserte "
            "rusinstitusjoner. Tallene er antall skjema (konsultasjoner eller klienter), ikke personer; "
            "strømmene kan ikke legges sammen.",
            "Grunnlaget for prosentene er oppgitt per tabell som i rapporten: alle skjema, eller skjema "
            "med svar (for eksempel skjema med type misbruk).",
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
