"""Source `brukerplan`: BrukerPlan registrations (KORFOR / Helse Stavanger), microdata.

One extract per mapping year, one row per registered service recipient with substance problems
(with or without mental-health problems), as assessed by municipal professionals. A recipient is
identified only by a pseudonymous registration key; a national identity number anywhere in the file
rejects the whole file at read time (``identity_numbers``).

Codes: living-condition areas 1 = grønn, 2 = gul, 3 = rød; levekårsindeks 1 = grønn, 2 = gul,
3 = rød, 4 = blålys, in a weighted and an unweighted variant (BrukerPlan dropped the weighting in
2018; the status reports to 2018 use the weighted one); substances 0 = none, 1 = beskjeden,
2 = betydelig, 3 = svært omfattende; flags 1 = ja, 0 = nei; an empty cell = not registered.
"""

from __future__ import annotations

from pathlib import Path

from dagster_project.ingest.tabular import Column, Contract, ParsedTable, read_frame

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

CONTRACT = Contract(
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


def read_extract(path: Path) -> ParsedTable:
    return read_frame(path, CONTRACT)
