"""Texts the printed status tables carry besides the indicators: notes under tables, the keys to the
abbreviated source names, and the ordinal of each measurement in the table titles.

From Fafo-rapport 2019:33 (the third status measurement): "BP = BrukerPlan" is the key under table
6.1, the note under table 7.1 explains BU and TSB (pasienterfaringer TSB); see METHOD.md §b of the
domain notes. A key is printed under every table that uses the abbreviation.
"""

from __future__ import annotations

from dagster_project.core.indicators.rules import BASELINE_YEAR

#: Abbreviated source names in the Kilde column and what they stand for.
SOURCE_KEYS: dict[str, str] = {
    "BP": "BrukerPlan (kartlegging av tjenestemottakere med rusproblemer, KORFOR/Helse Stavanger)",
    "BU": "Brukertilfredshetsundersøkelsen (nasjonal brukerundersøkelse i kommunale rustjenester, 2017)",
    "TSB": "Pasienterfaringer i tverrfaglig spesialisert rusbehandling (TSB)",
}

#: The note printed under a table, by table id.
TABLE_NOTES: dict[str, str] = {
    "7.1": (
        "Note: Verdiene fra brukertilfredshetsundersøkelsen (BU) og pasienterfaringsundersøkelsene i TSB "
        "finnes bare for 2017. Spørsmålet bak indikator 32 ble endret i IS-24/8 2018 (fra ja/nei til en "
        "femdelt skala); bare 2018 vises, og ingen endring beregnes over bruddet."
    ),
}

#: Readable names of the microdata sources the warehouse computes indicators from (computed_from).
COMPUTED_SOURCE_NAMES: dict[str, str] = {
    "is24_8": "IS-24/8",
    "brukerplan": "BrukerPlan (BP)",
    "user_satisfaction": "brukertilfredshetsundersøkelsen (BU)",
}

_ORDINALS = (
    "første",
    "andre",
    "tredje",
    "fjerde",
    "femte",
    "sjette",
    "sjuende",
    "åttende",
    "niende",
    "tiende",
)


def measurement_ordinal(report_year: int) -> str:
    """The baseline year is the first status measurement, 2018 the third ('tredje statusmåling')."""
    index = report_year - BASELINE_YEAR
    return _ORDINALS[index] if 0 <= index < len(_ORDINALS) else f"{index + 1}."
