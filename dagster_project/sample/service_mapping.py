"""Synthetic forms of the 2003 national service mapping, calibrated to the printed figures (SYNTHETIC).

The report (SINTEF Unimed / Rogalandsforskning for Sosial- og helsedirektoratet, 2004) gives
aggregates only. This module builds form-level data whose counts reproduce them exactly: 1 700
Skjema 3 consultation forms (substance type by municipality class, Tabell 4-6; health problems,
Tabell 4-8; «stort misbruk», duration and the municipal heavy-abuser definition, §4.4; applications
and waiting days, Tabell 4-9/4-10; need against offered, Tabell 4-13; gap reasons, §4.6.4;
collaboration, Tabell 4-15), 553 GP forms from 241 GPs (Tabell 5-3, 5-4, 5-7, §5.4) and 3 390
institution client forms from 109 institutions (§6.2, Tabell 6-1 to 6-8). What the report does not
pin down (which form has which answer, birth years, durations) comes from a seeded generator, so
the same code writes byte-identical files. Each stream is one semicolon CSV of codes with a ``#``
line saying the data are synthetic; the codebook is dbt/seeds/survey_items.csv (wave 2003).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

WAVE = 2003
CONSULTATIONS = "service_mapping_consultations"
GP = "service_mapping_gp"
INSTITUTIONS = "service_mapping_institutions"

SYNTHETIC_NOTE = (
    "SYNTETISKE DATA - ikke virkelige skjema. Generert av dagster_project.sample.service_mapping og "
    "kalibrert til publiserte tall i kartleggingen av tjenester til rusmiddelmisbrukere 2003."
)

SUBSTANCES = ("alkohol", "medikamenter", "narkotika")
#: The report's seven substance types (Tabell 4-6 order): which substances each combines.
TYPES = (
    ("alkohol alene", ("alkohol",)),
    ("narkotika alene", ("narkotika",)),
    ("medikamenter alene", ("medikamenter",)),
    ("alkohol + narkotika", ("alkohol", "narkotika")),
    ("alkohol + medikamenter", ("alkohol", "medikamenter")),
    ("narkotika + medikamenter", ("narkotika", "medikamenter")),
    ("alle tre", ("alkohol", "medikamenter", "narkotika")),
)
#: SSB municipality class of the returning office -> report group code (1 four largest cities,
#: 9 bykommuner, the rest; 0 = unknown). The sample uses one class per report group and spreads
#: «resten av landet» over the small and medium classes.
CLASS_FOR_GROUP = {"byer": [1], "bykommuner": [9], "resten": [2, 4, 5, 6, 7, 8], "ukjent": [0]}
GROUPS = ("byer", "bykommuner", "resten", "ukjent")

#: Tabell 4-6: forms per substance type and group (the unknown group is the printed total's rest).
TYPE_COUNTS = {
    "byer": (98, 112, 12, 20, 22, 156, 157),
    "bykommuner": (54, 88, 21, 14, 20, 87, 157),
    "resten": (83, 62, 15, 17, 28, 62, 88),
    "ukjent": (11, 17, 1, 6, 3, 10, 15),
}
#: Tabell 4-8: forms per group; health type (none/unknown, somatic, psychiatric, both) per group.
GROUP_FORMS = {"byer": 684, "bykommuner": 520, "resten": 425, "ukjent": 71}
HEALTH_COUNTS = {
    "byer": (315, 81, 205, 83),
    "bykommuner": (179, 53, 175, 113),
    "resten": (143, 48, 158, 76),
    "ukjent": (32, 8, 19, 12),
}
#: Of the 264 forms without substance type, how many have a psychiatric problem (841 - 770, §4.4.3)
#: and a somatic-only problem, per group.
UNTYPED_PSYCH = {"byer": 29, "bykommuner": 21, "resten": 19, "ukjent": 2}
UNTYPED_SOMATIC = {"byer": 8, "bykommuner": 6, "resten": 5, "ukjent": 1}
#: §4.4.4-4.4.6: stort on >= 1 substance; duration given / over five years; heavy (municipal definition).
STORT, WITH_DURATION, OVER_FIVE, HEAVY = 1015, 1299, 1113, 544
#: Tabell 4-9: applications (outpatient, institution, LAR) per group.
APPLICATIONS = {
    "byer": (156, 236, 112),
    "bykommuner": (148, 192, 78),
    "resten": (125, 139, 35),
    "ukjent": (16, 29, 14),
}
#: Tabell 4-10: forms applying for one offer only with a waiting time: n, mean days, max days.
WAITING = {"q13_1": (78, 32, 135), "q13_2": (194, 46, 365), "q13_3": (50, 133, 1095)}
#: Tabell 4-13: the 22 measures of Q20, with the forms recording the need and the offer.
MEASURES = (
    ("Økonomisk sosialhjelp", 477, 553),
    ("Midlertidig husvære", 101, 132),
    ("Varig bopel", 329, 208),
    ("Bolig med oppfølgingstiltak", 292, 157),
    ("Råd og veiledning", 703, 812),
    ("Praktisk hjelp", 284, 298),
    ("Barnevernstiltak", 48, 96),
    ("Aktivisering/dagtilbud", 371, 205),
    ("Støttekontakt", 116, 29),
    ("Ansvarsgruppe", 414, 393),
    ("Individuell plan", 397, 240),
    ("Utredning for LAR", 91, 90),
    ("På venteliste for LAR", 66, 47),
    ("Tatt inn i LAR", 130, 167),
    ("Henvisninger til spesialtiltak i rusfeltet", 305, 259),
    ("Avrusing", 225, 114),
    ("Behandling/rehabilitering", 508, 357),
    ("Somatisk sykehusopphold", 48, 31),
    ("Psykisk helsevern", 285, 182),
    ("Tiltak i regi av Aetat", 207, 128),
    ("Trygdeytelser", 366, 323),
    ("Skole/kurs/voksenopplæring", 186, 97),
)
#: §4.6.4: main reason for a gap (644 answered): municipality, client, other only; combinations.
GAP_REASONS = {"kommune": 90, "klient": 303, "annet": 174, "kombinasjon": 77}
#: Tabell 4-15: collaboration in week 46 (Q7 GP, Q8 family) and Q22 partners, of 1 700.
Q7_GP, Q8_FAMILY = 827, 782
PARTNERS = (
    ("Sykehus", 119),
    ("Spesialinstitusjon i rusfeltet", 758),
    ("Psykisk helsevern", 471),
    ("Bedriftshelsetjeneste", 22),
    ("Politi/fengsel/rettsvesen", 144),
    ("Trygdekontor", 660),
    ("Sosialkontor", 585),
    ("Skole/voksenopplæring", 89),
    ("Aetat", 331),
    ("A-A/A-N", 39),
)

#: GP form: 553 forms from 241 GPs; Tabell 5-3 needs (% of 553), Tabell 5-4 types (520 typed).
GP_FORMS, GP_DOCTORS = 553, 241
GP_NEEDS = (
    ("Undersøkelse", 21),
    ("Henvisning til spesialisthelsetjeneste", 13),
    ("Sykemelding", 9),
    ("Annen dokumentasjon", 8),
    ("Resept", 44),
    ("Kontroll", 40),
    ("Råd og veiledning", 42),
    ("Praktisk hjelp", 7),
    ("Utredning LAR", 7),
    ("Oppfølging LAR", 28),
)
GP_TYPES = (42, 68, 38, 14, 45, 79, 234)
GP_PSYCH = 307
#: Tabell 5-7: LAR started; no LAR at all (every Q14 answer «nei»).
GP_LAR_STARTED, GP_NO_LAR = 157, 265

#: Institutions: 3 390 client forms from 109 institutions; forms and institutions per type (§6.1-6.2).
INSTITUTION_FORMS = {1: 2067, 2: 660, 3: 663}
INSTITUTIONS_PER_TYPE = {1: 39, 2: 28, 3: 42}
MEN_PCT, MEAN_AGE, SD_AGE = 69, 40, 13
NO_OWN_HOME = 1051  # 31 % of 3 390 (§6.2.1)
INST_STORT = {"alkohol": 1036, "narkotika": 1061, "medikamenter": 540}  # Tabell 6-1
HEROIN, INST_HEAVY = 716, 1770  # §6.2.3-6.2.4
INST_SOMATIC, INST_PSYCH = 558, 903  # Tabell 6-2
#: Tabell 6-3: 27 offers, % receiving and % unmet need (of 3 390; the rest «ikke aktuelt»).
OFFERS = (
    ("Regelmessig kontakt med fastlegen", 61, 8),
    ("Pleie og omsorgstilbud i kommunen", 6, 4),
    ("Lavterskel tilbud i kommunen", 7, 6),
    ("Hjelp med bolig", 16, 15),
    ("Hjelp med økonomi", 38, 13),
    ("Regelmessig kontakt sosialkontor", 60, 6),
    ("Hjemmetjenester, praktisk hjelp", 3, 3),
    ("Støttekontakt", 4, 10),
    ("Ansvarsgruppe", 38, 15),
    ("Individuell plan", 41, 23),
    ("Barnevernstiltak", 9, 1),
    ("Tiltak i regi av Aetat", 13, 17),
    ("Aktivisering/dagtilbud", 15, 19),
    ("Trygdeytelser", 49, 12),
    ("Skole/kurs/voksenopplæring", 15, 18),
    ("Poliklinisk rustilbud", 51, 6),
    ("Dagtilbud i rusomsorgen", 6, 6),
    ("Avrusing", 9, 6),
    ("Døgntilbud i rusomsorgen", 49, 5),
    ("LAR", 13, 3),
    ("Utredning somatisk helseproblem", 11, 5),
    ("Behandling ved somatisk sykehus", 7, 3),
    ("Psykiatrisk ungdomsteam", 7, 3),
    ("Dobbeltdiagnoseteam", 1, 7),
    ("Annet rusteam", 5, 4),
    ("Dagtilbud i psykisk helsevern", 3, 5),
    ("Døgntilbud i psykisk helsevern", 7, 2),
)
#: Tabell 6-5: waiting time answered 3 034; < 1 week 2 187, 1-4 weeks and 5-13 weeks the rest.
WAIT_ANSWERED, WAIT_UNDER_WEEK, WAIT_5_13 = 3034, 2187, 121
#: Tabell 6-6/6-7: collaboration with the social service (all 75 %, long-term 95 %); coordination.
SOCIAL_SERVICE_ALL, SOCIAL_SERVICE_LONG = 2543, 627
COORDINATION = {"koordinator": 1661, "ansvarsgruppe": 1390, "individuell_plan": 1526}
#: Tabell 6-8: 1 012 clients with a reason ticked; «ønsker ikke mer hjelp» 74 %.
REASONS_TOTAL, REASON_NO_MORE_HELP = 1012, 749
REASONS = ("Pasienten ønsker ikke mer hjelp", "Mangler kompetanse", "For liten kapasitet", "Dårlig samarbeid")


def _pick(rng: random.Random, pool: Sequence[int], k: int) -> list[int]:
    if k > len(pool):
        raise ValueError(f"cannot pick {k} of {len(pool)}")
    return rng.sample(list(pool), k)


def _values_with_mean(rng: random.Random, n: int, mean: int, maximum: int, minimum: int = 1) -> list[int]:
    """n whole numbers in [minimum, maximum], one equal to maximum, summing to exactly n * mean."""
    values = [maximum] + [rng.randint(minimum, max(minimum, 2 * mean - minimum)) for _ in range(n - 1)]
    values = [min(v, maximum) for v in values]
    target = n * mean
    i = 1
    while sum(values) != target:
        step = 1 if sum(values) < target else -1
        j = 1 + (i % (n - 1))
        if minimum <= values[j] + step <= maximum:
            values[j] += step
        i += 1
    return values


def _severity(rng: random.Random, stort: bool) -> int:
    """Severity code (1 vet ikke, 2 lite, 3 middels, 4 stort): stort only where the form has it."""
    return 4 if stort else rng.choice((2, 3, 3, 1))


def build_consultations(seed: int = 2003) -> tuple[list[str], list[list[object]]]:
    rng = random.Random(seed)
    forms: list[dict[str, object]] = []
    for group in GROUPS:
        types = [t for t, count in zip(TYPES, TYPE_COUNTS[group], strict=True) for _ in range(count)]
        types += [None] * (GROUP_FORMS[group] - len(types))
        rng.shuffle(types)
        # health codes: (somatic, psychiatric) = none, somatic, psychiatric, both
        _none, somatic, psych, both = HEALTH_COUNTS[group]
        untyped = [i for i, t in enumerate(types) if t is None]
        typed = [i for i, t in enumerate(types) if t is not None]
        health: dict[int, tuple[bool, bool]] = {}
        psych_untyped = _pick(rng, untyped, UNTYPED_PSYCH[group])
        rest_untyped = [i for i in untyped if i not in set(psych_untyped)]
        som_untyped = _pick(rng, rest_untyped, UNTYPED_SOMATIC[group])
        both_untyped = round(UNTYPED_PSYCH[group] * both / (psych + both))
        for n, i in enumerate(psych_untyped):
            health[i] = (n < both_untyped, True)
        for i in som_untyped:
            health[i] = (True, False)
        labels = (
            [(True, True)] * (both - both_untyped)
            + [(False, True)] * (psych - (UNTYPED_PSYCH[group] - both_untyped))
            + [(True, False)] * (somatic - UNTYPED_SOMATIC[group])
        )
        labels += [(False, False)] * (len(typed) - len(labels))
        rng.shuffle(labels)
        for i, label in zip(typed, labels, strict=True):
            health[i] = label
        for i in untyped:
            health.setdefault(i, (False, False))
        for i, substance_type in enumerate(types):
            forms.append({"group": group, "type": substance_type, "health": health[i]})
    rng.shuffle(forms)
    typed = [i for i, f in enumerate(forms) if f["type"] is not None]
    with_health = [i for i in typed if any(forms[i]["health"])]
    without_health = [i for i in typed if not any(forms[i]["health"])]
    # Heavy (municipal definition) = stort AND > 5 years AND a health problem: 544 exactly.
    heavy = set(_pick(rng, with_health, HEAVY))
    other_health = [i for i in with_health if i not in heavy]
    stort_long_no_health = set(_pick(rng, without_health, 300))
    rest_no_health = [i for i in without_health if i not in stort_long_no_health]
    stort_short = set(_pick(rng, rest_no_health, STORT - HEAVY - 300))
    long_not_stort = set(_pick(rng, other_health, OVER_FIVE - HEAVY - 300))
    stort = heavy | stort_long_no_health | stort_short
    over_five = heavy | stort_long_no_health | long_not_stort
    undated_pool = [i for i in typed if i not in over_five]
    undated = set(_pick(rng, undated_pool, len(typed) - WITH_DURATION))
    for i in typed:
        form = forms[i]
        substances = list(form["type"][1])
        heavy_substance = rng.choice(list(substances)) if i in stort else None
        max_years = rng.randint(6, 30) if i in over_five else rng.randint(1, 5)
        for k, substance in enumerate(substances):
            form[f"q5_{substance}"] = _severity(rng, substance == heavy_substance)
            if i not in undated:
                form[f"q5_{substance}_ar"] = max_years if k == 0 else rng.randint(1, max_years)
    # Applications (Q13) per group; waiting days (Q14) for forms with one application only.
    for group in GROUPS:
        members = [i for i, f in enumerate(forms) if f["group"] == group]
        for variable, count in zip(("q13_1", "q13_2", "q13_3"), APPLICATIONS[group], strict=True):
            chosen = set(_pick(rng, members, count))
            for i in members:
                forms[i][variable] = 1 if i in chosen else rng.choice((2, 2, 2, 3))
    for variable, (n, mean, maximum) in WAITING.items():
        only = [
            i
            for i, f in enumerate(forms)
            if f[variable] == 1 and sum(f[v] == 1 for v in ("q13_1", "q13_2", "q13_3")) == 1
        ]
        for i, days in zip(_pick(rng, only, n), _values_with_mean(rng, n, mean, maximum), strict=True):
            forms[i]["q14"] = days
    everyone = list(range(len(forms)))
    for number, (_, need, offered) in enumerate(MEASURES, start=1):
        for suffix, count in (("behov", need), ("tilbudt", offered)):
            chosen = set(_pick(rng, everyone, count))
            for i in everyone:
                forms[i][f"q20_{number:02d}_{suffix}"] = int(i in chosen)
    answered = _pick(rng, everyone, sum(GAP_REASONS.values()))
    position = 0
    for reason, count in GAP_REASONS.items():
        for i in answered[position : position + count]:
            ticks = {"kommune": (1,), "klient": (2,), "annet": (3,)}.get(reason) or rng.choice(
                ((1, 2), (1, 3), (2, 3), (1, 2, 3))
            )
            for code in (1, 2, 3):
                forms[i][f"q21_{code}"] = int(code in ticks)
        position += count
    for variable, count in (("q7", Q7_GP), ("q8", Q8_FAMILY)):
        chosen = set(_pick(rng, everyone, count))
        for i in everyone:
            forms[i][variable] = 1 if i in chosen else 2
    for number, (_, count) in enumerate(PARTNERS, start=1):
        chosen = set(_pick(rng, everyone, count))
        for i in everyone:
            forms[i][f"q22_{number}"] = int(i in chosen)
    columns = [
        "skjemanr",
        "kommuneklasse",
        "motte",
        *(f"q5_{s}" for s in SUBSTANCES),
        *(f"q5_{s}_ar" for s in SUBSTANCES),
        "q7",
        "q8",
        "q9",
        "q11",
        "q13_1",
        "q13_2",
        "q13_3",
        "q14",
        *(f"q20_{n:02d}_{s}" for n in range(1, len(MEASURES) + 1) for s in ("behov", "tilbudt")),
        "q21_1",
        "q21_2",
        "q21_3",
        *(f"q22_{n}" for n in range(1, len(PARTNERS) + 1)),
    ]
    rows = []
    for number, form in enumerate(forms, start=1):
        somatic, psych = form["health"]
        form["skjemanr"] = f"K{number:04d}"
        form["kommuneklasse"] = rng.choice(CLASS_FOR_GROUP[form["group"]])
        form["motte"] = 1
        form["q9"] = 1 if somatic else rng.choice((2, 2, 3))
        form["q11"] = 1 if psych else rng.choice((2, 2, 3))
        rows.append([form.get(c) for c in columns])
    return columns, rows


def _type_substances(rng: random.Random, counts: Sequence[int], total: int) -> list[tuple[str, ...] | None]:
    types: list[tuple[str, ...] | None] = [t[1] for t, c in zip(TYPES, counts, strict=True) for _ in range(c)]
    types += [None] * (total - len(types))
    rng.shuffle(types)
    return types


def build_gp(seed: int = 2004) -> tuple[list[str], list[list[object]]]:
    rng = random.Random(seed)
    doctors = list(range(1, GP_DOCTORS + 1)) + [
        rng.randint(1, GP_DOCTORS) for _ in range(GP_FORMS - GP_DOCTORS)
    ]
    rng.shuffle(doctors)
    types = _type_substances(rng, GP_TYPES, GP_FORMS)
    everyone = list(range(GP_FORMS))
    forms: list[dict[str, object]] = [{"lege": doctors[i]} for i in everyone]
    for i, substances in enumerate(types):
        for substance in substances or ():
            forms[i][f"q7_{substance}"] = rng.choice((1, 2, 3, 4))
    for number, (_, pct) in enumerate(GP_NEEDS, start=1):
        chosen = set(_pick(rng, everyone, _count_for_percent(pct, GP_FORMS)))
        for i in everyone:
            forms[i][f"q6_{number}"] = int(i in chosen)
    psych = set(_pick(rng, everyone, GP_PSYCH))
    started = set(_pick(rng, everyone, GP_LAR_STARTED))
    no_lar = set(_pick(rng, [i for i in everyone if i not in started], GP_NO_LAR))
    for i in everyone:
        forms[i]["q11"] = rng.choice((1, 2, 2, 3))
        forms[i]["q12"] = 1 if i in psych else rng.choice((2, 2, 3))
        forms[i]["q14_2"] = 1 if i in started else 2
        for variable in ("q14_1", "q14_3", "q14_4"):
            forms[i][variable] = 2 if i in no_lar else rng.choice((1, 2))
        if (
            i not in started
            and i not in no_lar
            and all(forms[i][v] == 2 for v in ("q14_1", "q14_3", "q14_4"))
        ):
            forms[i]["q14_1"] = 1
    columns = [
        "skjemanr",
        "lege",
        *(f"q6_{n}" for n in range(1, len(GP_NEEDS) + 1)),
        *(f"q7_{s}" for s in SUBSTANCES),
        "q11",
        "q12",
        "q14_1",
        "q14_2",
        "q14_3",
        "q14_4",
    ]
    rows = []
    for number, form in enumerate(forms, start=1):
        form["skjemanr"] = f"L{number:04d}"
        rows.append([form.get(c) for c in columns])
    return columns, rows


def _count_for_percent(pct: float, base: int) -> int:
    """The count nearest pct % of base (the form counts behind a printed whole percentage)."""
    return round(pct * base / 100)


def build_institutions(seed: int = 2005) -> tuple[list[str], list[list[object]]]:
    rng = random.Random(seed)
    forms: list[dict[str, object]] = []
    first_id = 1
    for inst_type, n_forms in INSTITUTION_FORMS.items():
        n_inst = INSTITUTIONS_PER_TYPE[inst_type]
        ids = list(range(first_id, first_id + n_inst))
        first_id += n_inst
        owners = ids + [rng.choice(ids) for _ in range(n_forms - n_inst)]
        forms += [{"institusjon": owner, "institusjonstype": inst_type} for owner in owners]
    rng.shuffle(forms)
    everyone = list(range(len(forms)))
    n = len(forms)
    men = set(_pick(rng, everyone, _count_for_percent(MEN_PCT, n)))
    ages = [min(80, max(16, round(rng.gauss(MEAN_AGE, SD_AGE)))) for _ in everyone]
    shift = MEAN_AGE * n - sum(ages)
    for k in range(abs(shift)):
        ages[k % n] += 1 if shift > 0 else -1
    homeless = set(_pick(rng, everyone, NO_OWN_HOME))
    for i in everyone:
        forms[i]["kjonn"] = 2 if i in men else 1
        forms[i]["fodselsar"] = WAVE - ages[i]
        forms[i]["bolig"] = 5 if i in homeless else rng.choice((1, 1, 1, 2, 3, 4))
    # Heavy (institution definition) = (stort on >= 1 AND > 5 years) OR heroin/opiates: 1 770.
    heroin = set(_pick(rng, everyone, HEROIN))
    stort_sets = {s: set(_pick(rng, everyone, c)) for s, c in INST_STORT.items()}
    any_stort = set().union(*stort_sets.values())
    long_needed = INST_HEAVY - HEROIN
    candidates = [i for i in everyone if i in any_stort and i not in heroin]
    long_stort = set(_pick(rng, candidates, long_needed))
    for i in everyone:
        forms[i]["heroin"] = 1 if i in heroin else rng.choice((2, 2, 2, 3))
        for substance in SUBSTANCES:
            if i in stort_sets[substance]:
                forms[i][substance] = 4
                forms[i][f"{substance}_ar"] = rng.randint(6, 30) if i in long_stort else rng.randint(1, 5)
            else:
                forms[i][substance] = rng.choice((None, 1, 2, 3, 3))
                if forms[i][substance] is not None:
                    forms[i][f"{substance}_ar"] = (
                        rng.randint(1, 30) if i not in any_stort else rng.randint(1, 5)
                    )
    for variable, count in (("somatisk", INST_SOMATIC), ("psykisk", INST_PSYCH)):
        chosen = set(_pick(rng, everyone, count))
        for i in everyone:
            forms[i][variable] = 1 if i in chosen else rng.choice((2, 2, 2, 3))
    for number, (_, receives, unmet) in enumerate(OFFERS, start=1):
        order = everyone[:]
        rng.shuffle(order)
        k_receive, k_unmet = _count_for_percent(receives, n), _count_for_percent(unmet, n)
        for position, i in enumerate(order):
            forms[i][f"behov_{number:02d}"] = (
                3 if position < k_receive else 2 if position < k_receive + k_unmet else 1
            )
    answered = _pick(rng, everyone, WAIT_ANSWERED)
    for position, i in enumerate(answered):
        forms[i]["venteuker"] = (
            0
            if position < WAIT_UNDER_WEEK
            else rng.randint(5, 13)
            if position < WAIT_UNDER_WEEK + WAIT_5_13
            else rng.randint(1, 4)
        )
    long_term = [i for i in everyone if forms[i]["institusjonstype"] == 2]
    others = [i for i in everyone if forms[i]["institusjonstype"] != 2]
    social = set(_pick(rng, long_term, SOCIAL_SERVICE_LONG)) | set(
        _pick(rng, others, SOCIAL_SERVICE_ALL - SOCIAL_SERVICE_LONG)
    )
    for variable, count in COORDINATION.items():
        chosen = set(_pick(rng, everyone, count))
        for i in everyone:
            forms[i][variable] = 1 if i in chosen else rng.choice((2, 2, 3))
    with_reason = _pick(rng, everyone, REASONS_TOTAL)
    for position, i in enumerate(with_reason):
        forms[i]["arsak_1"] = int(position < REASON_NO_MORE_HELP)
        for code in (2, 3, 4):
            forms[i][f"arsak_{code}"] = int(position >= REASON_NO_MORE_HELP and rng.random() < 0.5)
        if position >= REASON_NO_MORE_HELP and not any(forms[i][f"arsak_{c}"] for c in (2, 3, 4)):
            forms[i]["arsak_3"] = 1
    columns = [
        "skjemanr",
        "institusjon",
        "institusjonstype",
        "kjonn",
        "fodselsar",
        "bolig",
        *SUBSTANCES,
        *(f"{s}_ar" for s in SUBSTANCES),
        "heroin",
        "somatisk",
        "psykisk",
        *(f"behov_{n:02d}" for n in range(1, len(OFFERS) + 1)),
        "venteuker",
        "samarbeid_sosialtjeneste",
        *COORDINATION,
        *(f"arsak_{n}" for n in range(1, len(REASONS) + 1)),
    ]
    rows = []
    for number, form in enumerate(forms, start=1):
        form["skjemanr"] = f"I{number:04d}"
        form["samarbeid_sosialtjeneste"] = int(number - 1 in social)
        for code in range(1, len(REASONS) + 1):
            form.setdefault(f"arsak_{code}", 0)
        rows.append([form.get(c) for c in columns])
    return columns, rows


def _write(
    landing_dir: Path, instrument: str, name: str, columns: list[str], rows: list[list[object]]
) -> Path:
    folder = landing_dir / instrument / str(WAVE)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_{WAVE}_SYNTETISK.csv"
    lines = [f"# {SYNTHETIC_NOTE}", ";".join(columns)]
    lines += [";".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_service_mapping(landing_dir: Path) -> list[Path]:
    """The three registration streams of the 2003 mapping, one CSV each (SYNTHETIC)."""
    return [
        _write(landing_dir, CONSULTATIONS, "kartlegging_skjema3_konsultasjoner", *build_consultations()),
        _write(landing_dir, GP, "kartlegging_fastleger", *build_gp()),
        _write(landing_dir, INSTITUTIONS, "kartlegging_institusjonsklienter", *build_institutions()),
    ]
