"""Source `brukerplan`: BrukerPlan registrations (KORFOR / Helse Stavanger), microdata.

One extract per mapping year, one row per registered service recipient with substance problems
(with or without mental-health problems), as assessed by municipal professionals. A recipient is
identified only by a pseudonymous registration key; a national identity number anywhere in the file
rejects the whole file at read time (``identity_numbers``).

Codes: living-condition areas 1 = grønn, 2 = gul, 3 = rød; levekårsindeks 1 = grønn, 2 = gul,
3 = rød, 4 = blålys, in a weighted and an unweighted variant (BrukerPlan dropped the weighting in
2018; the status reports to 2018 use the weighted one); substances 0 = none, 1 = beskjeden,
2 = betydelig, 3 = svært omfattende; flags 1 = ja, 0 = nei; an empty cell = not registered.

Contract versions by year. The 2015 format (the data behind the 2016 booklet) carries a weight per
registration (the expansion from the participating municipalities to all 428: 18 913 registrations
weighted to 27 813 recipients), a single levekårsindeks (the weighted one; its fourth category is
called «blodrød» in the booklet, «blålys» later) and the booklet's extra variables (mental-health
severity, prison release, overdose, NAV services, education, organised activity); it has no
unweighted index and no work variable (ordinary work is identifiable only from 2017). From 2016 the
weight and those extra variables are absent. The raw table holds the union; a column a year's
version lacks is loaded as NULL, and a column the year's version requires must be delivered.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dagster_project.core.ingest.tabular import Column, Contract, ParsedTable, read_frame

SOURCE = "brukerplan"

AREAS = (
    ("bolig", "Housing"),
    ("fysisk_helse", "Physical health"),
    ("psykisk_helse", "Mental health"),
    ("okonomi", "Finances"),
    ("aktivitet", "Meaningful activity (education/work/activity)"),
    ("rusmiddelbruk", "Substance use"),
    ("sosial_fungering", "Social functioning"),
    ("nettverk", "Social network"),
)
SUBSTANCES = (
    "alkohol",
    "cannabis",
    "heroin",
    "sentralstimulerende",
    "lar_legemidler_illegalt",
    "andre_legemidler",
    "annet_rusmiddel",
)
SERVICES = (
    ("individuell_plan", "Has an individual plan"),
    ("kriseplan", "Has a crisis plan"),
    ("ansvarsgruppe", "Has a responsibility group"),
    ("nettverksmote", "Network meetings"),
)
AGE_GROUPS = ("16-17", "18-23", "24-29", "30-39", "40-49", "50-59", "60-69", "70+")
GENDERS = ("M", "K")

#: Columns of the 2015 format only (the booklet's variables), with their downstream names.
COLUMNS_2015 = (
    Column("vekt", "weight", "decimal", required=False, description="Expansion weight (2015 format)"),
    Column("psykisk_alvorlighet", "mental_health_severity", "int", required=False, description="1-3"),
    Column("loslatt_fengsel", "released_from_prison", "int", required=False, description="0/1"),
    Column("overdose", "has_overdosed", "int", required=False, description="Has overdosed (0/1)"),
    Column("overdosefare", "overdose_risk", "int", required=False, description="Risk of overdose (0/1)"),
    Column("nav_kvp", "nav_qualification_programme", "int", required=False, description="0/1"),
    Column("nav_arbeidsrettet_tiltak", "nav_work_measure", "int", required=False, description="0/1"),
    Column("nav_vta", "nav_adapted_work", "int", required=False, description="Varig tilrettelagt arbeid"),
    Column("elev_student", "is_student", "int", required=False, description="Pupil/student last year"),
    Column("organisert_aktivitet", "organised_activity", "int", required=False, description="0/1/2"),
)
#: Columns delivered from 2016 only.
COLUMNS_FROM_2016 = ("lki_uvektet", "i_arbeid")
FIRST_YEAR_WITHOUT_WEIGHT = 2016

_BASE_CONTRACT = Contract(
    source=SOURCE,
    columns=(
        Column("registreringsnokkel", "registration_key", "text", description="Pseudonymous key"),
        Column("kommunenr", "municipality_code", "text", description="Registering municipality"),
        Column("år", "year", "int", description="Mapping year"),
        Column("kjonn", "gender", "text", description="M or K"),
        Column("aldersgruppe", "age_group", "text", description="Age group at registration"),
        Column("brukergruppe", "user_group", "int", description="1 substance only, 2 substance + mental"),
        *(Column(code, f"area_{code}", "int", description=f"{text}: 1-3") for code, text in AREAS),
        Column("lki_vektet", "index_weighted", "int", description="Levekårsindeks, weighted, 1-4"),
        Column("lki_uvektet", "index_unweighted", "int", description="Levekårsindeks, unweighted, 1-4"),
        *(Column(code, f"substance_{code}", "int", description="Use level 0-3") for code in SUBSTANCES),
        Column("i_arbeid", "in_work", "int", description="Takes part in working life (0/1)"),
        Column("lar", "in_oat", "int", description="In opioid agonist treatment (0/1)"),
        *(Column(code, f"service_{code}", "int", description=f"{text} (0/1)") for code, text in SERVICES),
    ),
)


def delivered(column: Column, year: int) -> bool:
    """Whether the year's version of the format carries the column."""
    if column in COLUMNS_2015:
        return year < FIRST_YEAR_WITHOUT_WEIGHT
    if column.header in COLUMNS_FROM_2016:
        return year >= FIRST_YEAR_WITHOUT_WEIGHT
    return True


#: The raw table's columns: every version's (a column a version lacks is NULL in its loads).
CONTRACT = Contract(
    source=SOURCE,
    columns=(
        *(replace(c, required=c.header not in COLUMNS_FROM_2016) for c in _BASE_CONTRACT.columns),
        *COLUMNS_2015,
    ),
)


def contract_for(year: int) -> Contract:
    """The year's version: its own columns required, the other versions' columns loaded as NULL."""
    return Contract(
        source=SOURCE, columns=tuple(replace(c, required=delivered(c, year)) for c in CONTRACT.columns)
    )


def contract_of(path: Path) -> Contract:
    """The contract of a delivered file: its year folder's version."""
    year = int(path.parent.name) if path.parent.name.isdigit() else FIRST_YEAR_WITHOUT_WEIGHT
    return contract_for(year)


def read_extract(path: Path) -> ParsedTable:
    return read_frame(path, contract_of(path))
