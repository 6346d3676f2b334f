"""Source `is24_8`: the yearly municipal survey IS-24/8 (SINTEF for Helsedirektoratet), microdata.

One extract per survey year, one row per responding unit: a municipality, or one of Oslo's city
districts (bydeler), which answer instead of Oslo as a whole. The answers, one column per question:

* FTE counts (årsverk, decimal comma) and amounts in NOK (whole kroner);
* yes/no items: 1 = ja, 0 = nei;
* 5-point assessments: 1 (svært dårlig / i svært liten grad) to 5 (svært godt / i svært stor grad);
* 9 = «vet ikke» on yes/no and 5-point items; an empty cell = not answered. The two stay distinct:
  «vet ikke» is an answer and counts in the denominator, an empty cell does not.

The question set changes between years; which question (and which version of it: ind. 32's answer
scale changed in 2018) is asked in which year is reference data (dbt seed
``is24_8_question_versions``): every question asked in the file's year must be a column of it
(rule ``asked_questions_present``), since an indicator computed from a missing question would
silently fall back to its published value. A question not asked that year may be absent.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.reference import is24_8_questions_asked
from dagster_project.core.ingest.tabular import Column, Contract, ParsedTable, read_frame

SOURCE = "is24_8"
DONT_KNOW = 9

#: (header, kind, description) per question; the header is the question code used downstream.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("arsverk_totalt", "decimal", "FTEs in municipal mental-health and substance work, total"),
    ("kr_brukermedvirkning", "int", "NOK spent on organised user involvement"),
    ("opptrapping_kompetanse", "int", "The plan has led directly to more funds for competence (yes/no)"),
    ("arsverk_brukererfaring_voksne", "int", "Some FTEs for adults held by people with user experience"),
    ("arsverk_brukererfaring_barn", "int", "Some FTEs for children held by people with user experience"),
    ("brukererfaringer_innhentet", "int", "User experience collected in the last 12 months (yes/no)"),
    ("recoveryorientert", "int", "Services are recovery-oriented (1-5)"),
    ("sikrer_brukermedvirkning", "int", "User involvement in service development is secured (yes/no; 1-5)"),
    ("parorende_voksne", "int", "Care for adults as next of kin (1-5)"),
    ("parorende_barn", "int", "Care for children as next of kin (1-5)"),
    ("system_identifisering", "int", "Cross-service system for early identification (yes/no)"),
    ("oppsokende_ungdom", "int", "Outreach social work for youth (yes/no)"),
    ("tilbud_voksne_milde", "int", "Offer to adults with mild, short-lived problems (1-5)"),
    ("tilbud_barn_milde", "int", "Offer to children with mild, short-lived problems (1-5)"),
    ("oyeblikkelig_hjelp", "int", "Emergency 24-hour beds (ØHD) for the target group (yes/no)"),
    ("oppsokende_team", "int", "Outreach multidisciplinary teams (ACT, FACT, other) (yes/no)"),
    ("tilbud_voksne_kortvarige", "int", "Offer to adults with short-lived serious problems (1-5)"),
    ("tilbud_barn_kortvarige", "int", "Offer to children with short-lived serious problems (1-5)"),
    ("tilbud_voksne_langvarige", "int", "Offer to adults with serious long-lasting problems (1-5)"),
    ("tilbud_barn_langvarige", "int", "Offer to children with serious long-lasting problems (1-5)"),
    ("samarbeid_hf_voksne", "int", "Cooperation agreements with the health trust work, adults (1-5)"),
    ("samarbeid_hf_unge", "int", "Cooperation agreements with the health trust work, youth (1-5)"),
    ("koordinerte_tjenester", "int", "Continuous and coordinated services (1-5)"),
    ("samarbeid_nav", "int", "Cooperation with NAV on work-oriented rehabilitation (yes/no)"),
    ("ips_se", "int", "Individual placement and support or supported employment (yes/no)"),
    ("oppfolging_bolig", "int", "Good offer of follow-up in the home (1-5)"),
    ("boligsituasjon_bedret", "int", "Housing situation of the target group has improved (1-5)"),
    ("opptrapping_boliger", "int", "The plan has led directly to more dwellings (yes/no)"),
)

CONTRACT = Contract(
    source=SOURCE,
    columns=(
        Column("enhetsnr", "unit_code", "text", description="Municipality (4 digits) or Oslo bydel (6)"),
        Column("år", "year", "int", description="Survey year"),
        *(
            Column(header, header, kind, required=False, description=text)  # type: ignore[arg-type]
            for header, kind, text in QUESTIONS
        ),
    ),
)

QUESTION_CODES = tuple(header for header, _, _ in QUESTIONS)


def read_extract(path: Path) -> ParsedTable:
    table = read_frame(path, CONTRACT)
    check_asked_questions(path, table)
    return table


def _survey_year(path: Path, table: ParsedTable) -> int | None:
    """The delivery folder's year; for a file outside a year folder, the year its rows name."""
    if path.parent.name.isdigit() and len(path.parent.name) == 4:
        return int(path.parent.name)
    years = table.frame["year"].dropna().unique() if "year" in table.frame else []
    return int(years[0]) if len(years) == 1 else None


def check_asked_questions(path: Path, table: ParsedTable) -> None:
    _check_questions(path, _survey_year(path, table), table.absent, list(table.frame.columns))


def check_staged(path: Path, staged) -> None:
    """``check_asked_questions`` on a delivery typed in DuckDB (``staging.StagedTable``)."""
    year = None
    if path.parent.name.isdigit() and len(path.parent.name) == 4:
        year = int(path.parent.name)
    elif "year" in staged.columns:
        years = staged.distinct("year")
        year = int(years[0]) if len(years) == 1 else None
    _check_questions(path, year, staged.absent, list(staged.columns))


def _check_questions(path: Path, year: int | None, absent, columns: list[str]) -> None:
    if year is None:
        return  # the suite reports the year column
    missing = [q for q in is24_8_questions_asked(year) if q in absent or q not in columns]
    if missing:
        raise ExtractError(
            path.name,
            "asked_questions_present",
            f"question(s) asked in {year} by the codebook (dbt/seeds/is24_8_question_versions.csv) "
            f"have no column in the file: {', '.join(missing)}; indicators computed from them would "
            "silently fall back to published values. Deliver the full extract, or record a question "
            "not asked that year in the seed",
            column=missing[0],
        )
