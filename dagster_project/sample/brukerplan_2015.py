"""Synthetic BrukerPlan registrations 2015 in the 2015 format (SYNTHETIC: no real person behind any row).

Calibrated to the 2016 booklet (KORFOR, «BrukerPlan temahefte», data for 2015): 18 913 registrations
in 222 municipalities, each weighted 27 813 / 18 913 (the booklet's percentages are the same weighted
and unweighted, which a uniform expansion gives). Built by exact allocation rather than by sampling,
so that the booklet's figures reproduce: age and gender (Tabell 1), the activity and housing areas
(Tabell 2, Fig 6), organised activity and the activity groups with their index shares (Tabell 3-4),
housing by ROP, serious mental disorder, LAR and prison release (Tabell 5) and by mental-health
severity (Tabell 6), heavy use by substance and age (Tabell 8-9), the levekårsindeks with «blodrød»
for heavy users and the others (Tabell 11) and for heroin users (Fig 16), LAR (Tabell 13), overdose
and the substance-use area (Tabell 15) and ROP (Vedlegg 2). Who has which value otherwise is drawn
from a seeded generator, so the same code writes the same file. Municipality-size tables (7, 16),
the rate per 1 000 inhabitants and the factor analysis need data the sample does not hold.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.core.ingest import brukerplan
from dagster_project.core.ingest.reference import municipality_codes

YEAR = 2015
REGISTRATIONS, MUNICIPALITIES, WEIGHTED_TOTAL = 18_913, 222, 27_813
WEIGHT = WEIGHTED_TOTAL / REGISTRATIONS
COMMENT = (
    "SYNTETISKE eksempeldata: oppdiktede BrukerPlan-registreringer 2015 (2015-formatet med vekt), "
    "kalibrert mot BrukerPlan temahefte 2016 (KORFOR)."
)
#: Registrations per age band (Tabell 1 shares of 18+) and heavy users per band (Tabell 9 N / weight).
AGE_COUNTS = {"18-23": 1721, "24-29": 2459, "30-39": 4407, "40-49": 4577, "50-59": 3688, "60-69": 1589}
HEAVY_BY_AGE = {
    "18-23": 940,
    "24-29": 1324,
    "30-39": 2346,
    "40-49": 2579,
    "50-59": 2150,
    "60-69": 956,
    "70+": 300,
}
MEN = 12_861  # 68 %
#: Heavy use (betydelig / svært omfattende) among heavy users, registrations (Tabell 8 / weight).
HEAVY_SUBSTANCES = {"alkohol": 5981, "cannabis": 3969, "sentralstimulerende": 3124, "heroin": 876}
HEAVY_ALCOHOL_YOUNG, HEAVY_ALCOHOL_OLD = 357, 279  # 38 % of < 24, 93 % of 70+ (Tabell 9)
#: Activity groups (Tabell 4): NAV work measure, student, no activity at all; heavy users in each.
NAV, STUDENT, NO_ACTIVITY = 2877, 653, 10_247
HEAVY_IN = {"nav": 1400, "none": 6200}
#: Red or blodrød on the index per (heavy, group): Tabell 4 (45 %, 66 %) and Tabell 11 (73 % vs 35 %).
RED_OR_WORSE = {(True, "nav"): 900, (True, "none"): 5000, (True, "rest"): 1834}
RED_OR_WORSE |= {(False, "nav"): 395, (False, "none"): 1763, (False, "rest"): 742}
INDEX_MISSING, GREEN, BLODROD = 31, 1133, 2266  # base 27 767; 6 % green, 12 % blodrød (Tabell 11)
HEROIN_RED, HEROIN_BLODROD = 415, 388  # 47.4 % / 44.3 % of heroin users (Fig 16)
NO_LEISURE = 12_083  # 64 % (Tabell 3)
LAR, LAR_HEAVY = 4124, 1834  # 22 %; 45 % heavy (Tabell 13)
LAR_MEAN, NON_LAR_MEAN = 2.3, 1.7  # heavy-use substances per heavy user (Tabell 13)
#: Group sizes (Tabell 5 N / weight) and homeless among them (Tabell 5 shares).
ROP, SEVERE, PRISON = 4223, 3380, 812
HOMELESS = {"rop": 718, "severe": 507, "lar": 412, "prison": 146}
HOUSING = (13_239, 3972, 1702)  # 70 / 21 / 9 %
SEVERITY_MISSING, MILD, MODERATE = 57, 6596, 8880
HOMELESS_MILD, HOMELESS_MODERATE = 396, 799  # 6 % / 9 % (Tabell 6)
ACTIVITY_AREA = (4917, 6809, 7187)  # 26 / 36 / 38 % (Tabell 2)
#: ROP = these (substance-use area, mental-health area) colours (Vedlegg 2) with their shares.
ROP_COMBOS = (((3, 3), 0.29), ((3, 2), 0.30), ((2, 3), 0.33), ((1, 3), 0.08))
SUBSTANCE_RED_OUTSIDE_ROP = 345  # the substance-use area is red for 15 % in all (Tabell 15)
OVERDOSED, OVERDOSED_RED, RISK, RISK_RED = 1500, 735, 2500, 1450  # 49 % / 58 % red (Tabell 15)


def _rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


class _Allocator:
    """Exact allocation: take k registrations at random from a pool, and keep track of who has what."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def take(self, pool: np.ndarray, k: int) -> np.ndarray:
        if k > len(pool):
            raise ValueError(f"cannot take {k} of {len(pool)}")
        return self.rng.choice(pool, size=k, replace=False) if k else np.array([], dtype=int)


def _mask(n: int, members: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[members] = True
    return mask


def scaled(frame: pd.DataFrame, scale_factor: int) -> pd.DataFrame:
    """The registrations ``scale_factor`` times, with new unique registration keys for the copies."""
    if scale_factor == 1:
        return frame
    copies = pd.concat([frame] * scale_factor, ignore_index=True)
    rng = _rng("brukerplan-scaled", YEAR * 1000 + scale_factor)
    keys = rng.choice(np.iinfo(np.int64).max, size=len(copies), replace=False)
    copies["registreringsnokkel"] = [f"BP{YEAR}-{k:016x}"[:22] for k in keys]
    return copies


def registrations() -> pd.DataFrame:
    rng = _rng("brukerplan", YEAR)
    take = _Allocator(rng).take
    n = REGISTRATIONS
    everyone = np.arange(n)
    codes = list(municipality_codes(YEAR))
    municipalities = sorted(rng.choice(codes, size=MUNICIPALITIES, replace=False).tolist())
    per_municipality = 1 + rng.multinomial(n - MUNICIPALITIES, np.full(MUNICIPALITIES, 1 / MUNICIPALITIES))
    frame = pd.DataFrame({"kommunenr": rng.permutation(np.repeat(municipalities, per_municipality))})
    keys = rng.choice(np.iinfo(np.int64).max, size=n, replace=False)
    frame.insert(0, "registreringsnokkel", [f"BP{YEAR}-{k:016x}"[:22] for k in keys])
    frame["år"] = YEAR
    frame["kjonn"] = np.where(_mask(n, take(everyone, MEN)), "M", "K")
    ages = np.full(n, "70+", dtype=object)
    free = everyone
    for band, count in AGE_COUNTS.items():
        chosen = take(free, count)
        ages[chosen] = band
        free = np.setdiff1d(free, chosen)
    frame["aldersgruppe"] = ages
    frame["brukergruppe"] = np.where(_mask(n, take(everyone, round(0.76 * n))), 2, 1)

    # Heavy users by age band, and the activity groups with their heavy users.
    heavy = np.concatenate([take(np.flatnonzero(ages == band), k) for band, k in HEAVY_BY_AGE.items()])
    is_heavy = _mask(n, heavy)
    not_heavy = np.flatnonzero(~is_heavy)
    group = np.full(n, "rest", dtype=object)
    nav = np.concatenate([take(heavy, HEAVY_IN["nav"]), take(not_heavy, NAV - HEAVY_IN["nav"])])
    group[nav] = "nav"
    none_pool_heavy = np.setdiff1d(heavy, nav)
    none_pool_light = np.setdiff1d(not_heavy, nav)
    no_activity = np.concatenate(
        [take(none_pool_heavy, HEAVY_IN["none"]), take(none_pool_light, NO_ACTIVITY - HEAVY_IN["none"])]
    )
    group[no_activity] = "none"
    student = take(np.flatnonzero(group == "rest"), STUDENT)

    # The levekårsindeks: red or blodrød per (heavy, group) cell; heroin users; blodrød; green/yellow.
    index = np.full(n, 0)
    missing = take(np.flatnonzero(~is_heavy & (group == "rest")), INDEX_MISSING)
    red_or_worse = []
    for (heavy_cell, group_cell), k in RED_OR_WORSE.items():
        pool = np.setdiff1d(np.flatnonzero((is_heavy == heavy_cell) & (group == group_cell)), missing)
        red_or_worse.append(take(pool, k))
    red_or_worse = np.concatenate(red_or_worse)
    is_rw = _mask(n, red_or_worse)
    heroin = np.concatenate(
        [
            take(np.flatnonzero(is_heavy & is_rw), HEROIN_RED + HEROIN_BLODROD),
            take(np.flatnonzero(is_heavy & ~is_rw), HEAVY_SUBSTANCES["heroin"] - HEROIN_RED - HEROIN_BLODROD),
        ]
    )
    heroin_rw = heroin[is_rw[heroin]]
    blodrod = np.concatenate(
        [
            take(heroin_rw, HEROIN_BLODROD),
            take(np.setdiff1d(red_or_worse, heroin_rw), BLODROD - HEROIN_BLODROD),
        ]
    )
    index[red_or_worse] = 3
    index[blodrod] = 4
    rest = np.setdiff1d(np.flatnonzero(~is_rw), missing)
    green = take(rest, GREEN)
    index[rest] = 2
    index[green] = 1
    frame["lki_vektet"] = pd.array(np.where(_mask(n, missing), None, index), dtype="Int64")

    # Substances: heavy use (2 betydelig / 3 svært omfattende) per the booklet; others 0/1.
    levels = {s: rng.choice([0, 1], size=n, p=[0.6, 0.4]) for s in brukerplan.SUBSTANCES}
    young, old = heavy[ages[heavy] == "18-23"], heavy[ages[heavy] == "70+"]
    middle = np.setdiff1d(heavy, np.concatenate([young, old]))
    alcohol = np.concatenate(
        [
            take(young, HEAVY_ALCOHOL_YOUNG),
            take(old, HEAVY_ALCOHOL_OLD),
            take(middle, HEAVY_SUBSTANCES["alkohol"] - HEAVY_ALCOHOL_YOUNG - HEAVY_ALCOHOL_OLD),
        ]
    )
    lar = np.concatenate([take(heavy, LAR_HEAVY), take(not_heavy, LAR - LAR_HEAVY)])
    heavy_sets = {
        "alkohol": alcohol,
        "cannabis": take(np.setdiff1d(heavy, old), HEAVY_SUBSTANCES["cannabis"]),
        "sentralstimulerende": take(heavy, HEAVY_SUBSTANCES["sentralstimulerende"]),
        "heroin": heroin,
        "lar_legemidler_illegalt": take(np.intersect1d(heavy, lar), 848),
    }
    for substance, members in heavy_sets.items():
        levels[substance][members] = rng.choice([2, 3], size=len(members))
    some = np.zeros(n, dtype=bool)
    for members in heavy_sets.values():
        some[members] = True
    without = heavy[~some[heavy]]
    for substance in ("andre_legemidler", "annet_rusmiddel"):
        members = np.union1d(take(heavy, 600), without if substance == "andre_legemidler" else [])
        levels[substance][members.astype(int)] = rng.choice([2, 3], size=len(members))
    # Heavy-use substances per heavy user, LAR vs not (Tabell 13: 2.3 / 1.7): top up with the two
    # uncalibrated substance items until each group's total is reached.
    is_lar_heavy = _mask(n, np.intersect1d(heavy, lar))
    for members, mean in (
        (heavy[is_lar_heavy[heavy]], LAR_MEAN),
        (heavy[~is_lar_heavy[heavy]], NON_LAR_MEAN),
    ):
        missing_total = round(mean * len(members)) - sum(
            int(levels[s][i] >= 2) for s in levels for i in members
        )
        for substance in ("andre_legemidler", "annet_rusmiddel"):
            candidates = members[levels[substance][members] < 2]
            chosen = take(candidates, min(max(missing_total, 0), len(candidates)))
            levels[substance][chosen] = 2
            missing_total -= len(chosen)
    for substance in brukerplan.SUBSTANCES:
        frame[substance] = levels[substance]

    # Groups of Tabell 5: ROP, serious mental disorder (severity red), LAR, prison; homeless among them.
    is_lar = _mask(n, lar)
    rop = take(np.flatnonzero(~is_lar), ROP)
    severe = take(np.setdiff1d(np.flatnonzero(~is_lar), rop), SEVERE)
    homeless = [take(rop, HOMELESS["rop"]), take(severe, HOMELESS["severe"]), take(lar, HOMELESS["lar"])]
    in_groups = np.concatenate([rop, severe, lar])
    homeless_rop_lar = np.concatenate([homeless[0], homeless[2]])
    prison = np.concatenate(
        [
            take(homeless_rop_lar, HOMELESS["prison"]),
            take(np.setdiff1d(everyone, np.concatenate([*homeless, severe])), PRISON - HOMELESS["prison"]),
        ]
    )
    others = np.setdiff1d(everyone, in_groups)
    grouped_homeless = np.concatenate(homeless)
    extra = HOUSING[2] - len(grouped_homeless)  # homeless outside the four groups
    homeless_all = np.concatenate([grouped_homeless, take(np.setdiff1d(others, prison), extra)])
    is_homeless = _mask(n, homeless_all)
    # Severity: severe set; the rest mild or moderate with the homeless split of Tabell 6.
    severity = np.full(n, 0)
    severity[severe] = 3
    not_severe = np.setdiff1d(everyone, severe)
    sev_missing = take(not_severe[~is_homeless[not_severe]], SEVERITY_MISSING)
    pool = np.setdiff1d(not_severe, sev_missing)
    moderate = np.concatenate(
        [
            take(pool[is_homeless[pool]], HOMELESS_MODERATE),
            take(pool[~is_homeless[pool]], MODERATE - HOMELESS_MODERATE),
        ]
    )
    severity[pool] = 1
    severity[moderate] = 2
    frame["psykisk_alvorlighet"] = pd.array(np.where(_mask(n, sev_missing), None, severity), dtype="Int64")
    # Housing: red = homeless; green/yellow among the rest.
    housing = np.full(n, 1)
    housing[homeless_all] = 3
    housed = np.flatnonzero(~is_homeless)
    housing[take(housed, HOUSING[1])] = 2
    # Substance-use and mental-health areas: the ROP combinations for ROP, other combinations else.
    rus, psyk = np.full(n, 1), np.full(n, 1)
    order = rng.permutation(rop)
    start = 0
    for position, ((r, p), share) in enumerate(ROP_COMBOS):
        k = round(share * len(rop)) if position < len(ROP_COMBOS) - 1 else len(rop) - start
        rus[order[start : start + k]], psyk[order[start : start + k]] = r, p
        start += k
    non_rop = np.setdiff1d(everyone, rop)
    non_rop_combos = [(1, 1), (1, 2), (2, 1), (2, 2)]
    picks = rng.integers(0, len(non_rop_combos), len(non_rop))
    rus[non_rop] = [non_rop_combos[i][0] for i in picks]
    psyk[non_rop] = [non_rop_combos[i][1] for i in picks]
    red_outside = take(non_rop, SUBSTANCE_RED_OUTSIDE_ROP)
    rus[red_outside], psyk[red_outside] = 3, 1  # red with mental health green: not ROP
    red_rus = np.flatnonzero(rus == 3)
    overdosed = np.concatenate(
        [take(red_rus, OVERDOSED_RED), take(np.flatnonzero(rus != 3), OVERDOSED - OVERDOSED_RED)]
    )
    risk_pool = np.setdiff1d(everyone, overdosed)
    risk = np.concatenate(
        [
            take(np.intersect1d(risk_pool, red_rus), RISK_RED),
            take(np.setdiff1d(risk_pool, red_rus), RISK - RISK_RED),
        ]
    )
    activity_area = np.full(n, 3)
    order = rng.permutation(n)
    activity_area[order[: ACTIVITY_AREA[0]]] = 1
    activity_area[order[ACTIVITY_AREA[0] : ACTIVITY_AREA[0] + ACTIVITY_AREA[1]]] = 2
    areas = {"bolig": housing, "psykisk_helse": psyk, "aktivitet": activity_area, "rusmiddelbruk": rus}
    for area, _ in brukerplan.AREAS:
        frame[area] = areas.get(area, rng.choice([1, 2, 3], size=n, p=[0.35, 0.4, 0.25]))

    # NAV services and organised activity (Tabell 3-4).
    nav_kind = rng.integers(0, 3, len(nav))
    for position, column in enumerate(("nav_kvp", "nav_arbeidsrettet_tiltak", "nav_vta")):
        frame[column] = _mask(n, nav[nav_kind == position]).astype(int)
    frame["elev_student"] = _mask(n, student).astype(int)
    no_leisure = np.concatenate([no_activity, take(np.concatenate([nav, student]), NO_LEISURE - NO_ACTIVITY)])
    leisure = rng.choice([1, 2], size=n)
    leisure[no_leisure] = 0
    frame["organisert_aktivitet"] = leisure
    frame["lar"] = is_lar.astype(int)
    frame["loslatt_fengsel"] = _mask(n, prison).astype(int)
    frame["overdose"] = _mask(n, overdosed).astype(int)
    frame["overdosefare"] = _mask(n, risk).astype(int)
    for service, _ in brukerplan.SERVICES:
        frame[service] = (rng.random(n) < 0.4).astype(int)
    frame["vekt"] = f"{WEIGHT:.10f}".replace(".", ",")
    return frame.sort_values(["kommunenr", "registreringsnokkel"]).reset_index(drop=True)


def write_delivery(landing_dir: Path, scale_factor: int = 1) -> Path:
    """landing/brukerplan/2015/brukerplan_2015.csv in the 2015 format (SYNTHETIC).

    At a scale factor above 1 (benchmarks) every registration is there that many times, each copy
    with a key of its own: the shares stay the printed ones, the counts grow with the scale.
    """
    folder = landing_dir / brukerplan.SOURCE / str(YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    frame = scaled(registrations(), scale_factor)
    frame = frame[[c.header for c in brukerplan.CONTRACT.columns if brukerplan.delivered(c, YEAR)]]
    buffer = io.StringIO()
    buffer.write(f"# {COMMENT}\n")
    frame.to_csv(buffer, sep=";", index=False, na_rep="", lineterminator="\n")
    path = folder / f"brukerplan_{YEAR}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
