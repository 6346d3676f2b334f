"""Synthetic sample BrukerPlan registrations 2016-2018 (SYNTHETIC: no real person behind any row).

Volumes like the real mapping (23 762 recipients in 268 municipalities in 2018), on the real
municipality codes of each year. Marginal distributions follow the 2015 booklet (68 % men; the
booklet's age profile; yellow/red splits of the areas), and the eleven indicator shares are
calibrated so that the computed national values equal those published in Fafo-rapport 2019:33
after rounding to whole percent. Items are drawn independently of one another: cross-tabulations
between areas carry no information. Registration keys are random pseudonyms.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.core.ingest import brukerplan
from dagster_project.core.ingest.reference import municipality_codes
from dagster_project.sample.municipal import positives_for, synthetic_population
from dagster_project.sample.national_figures import LAST_PUBLISHED_YEAR, calibration_values

YEARS = (2016, 2017, 2018)
COMMENT = (
    "SYNTETISKE eksempeldata: oppdiktede BrukerPlan-registreringer (pseudonyme nøkler, ekte "
    "kommunenummer), kalibrert mot publiserte landstall i Fafo-rapport 2019:33."
)
#: (recipients, municipalities, under-18s) per year; 2018 as reported, earlier years invented.
VOLUMES = {2016: (21_480, 251, 150), 2017: (22_710, 259, 185), 2018: (23_762, 268, 230)}
#: Age profile of adult recipients, BrukerPlan booklet 2015 table 1 (50+ split invented).
AGE_SHARES = {
    "18-23": 9.1,
    "24-29": 13.0,
    "30-39": 23.3,
    "40-49": 24.2,
    "50-59": 19.5,
    "60-69": 8.4,
    "70+": 2.5,
}
#: Indicator per living-condition area: the share green.
AREA_INDICATORS = {
    "bolig": 77,
    "fysisk_helse": 78,
    "psykisk_helse": 79,
    "okonomi": 80,
    "aktivitet": 81,
    "rusmiddelbruk": 82,
    "nettverk": 83,
}
#: Yellow's part of the non-green rest (booklet 2015: housing 21/9, activity 36/38); else 0.55.
YELLOW_OF_REST = {"bolig": 0.70, "aktivitet": 0.49}
MISSING_SHARE = 0.003


def _rng(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _exact(n: int, counts: list[tuple[object, int]], rng: np.random.Generator, fill: object) -> np.ndarray:
    """An array of n values with exactly the given count of each, in random order."""
    values = np.full(n, fill, dtype=object)
    order = rng.permutation(n)
    start = 0
    for value, count in counts:
        values[order[start : start + count]] = value
        start += count
    return values


def _valid_count(n: int, missing_share: float) -> int:
    """Registered count: about the missing share fewer, rounded down to a hundred so that every
    whole percent is an exact count (the computed shares then equal the printed ones exactly)."""
    return int(n * (1 - missing_share)) // 100 * 100


def _coloured(n: int, green_percent: float, yellow_of_rest: float, rng: np.random.Generator) -> np.ndarray:
    """1/2/3 codes with None for the unregistered; the green share rounds to the published percent."""
    valid = _valid_count(n, MISSING_SHARE)
    green = positives_for(green_percent, valid)
    yellow = round((valid - green) * yellow_of_rest)
    return _exact(n, [(1, green), (2, yellow), (3, valid - green - yellow)], rng, None)


def _index(n: int, green: float, red_or_blue: float, rng: np.random.Generator) -> np.ndarray:
    valid = _valid_count(n, 0.002)
    g, rb = positives_for(green, valid), positives_for(red_or_blue, valid)
    blue = round(rb * 12 / 56)  # booklet 2015: red 44 %, blodrød 12 %
    return _exact(n, [(1, g), (3, rb - blue), (4, blue), (2, valid - g - rb)], rng, None)


def participating(year: int, count: int) -> list[str]:
    """Municipalities that map, more likely the larger they are (weighted sampling without replacement)."""
    codes = list(municipality_codes(year))
    weights = np.array([synthetic_population(c, year) ** 0.5 for c in codes])
    keys = _rng("bp-municipalities", year).random(len(codes)) ** (1 / weights)
    return sorted(np.array(codes)[np.argsort(-keys)[:count]].tolist())


def registrations(year: int, scale_factor: int = 1) -> pd.DataFrame:
    """One year's registrations; ``scale_factor`` multiplies the recipients (scaled benchmarks)."""
    total, n_municipalities, minors = VOLUMES[min(year, LAST_PUBLISHED_YEAR)]
    total, minors = total * scale_factor, minors * scale_factor
    calibration = calibration_values(year)
    rng = _rng("brukerplan", year) if scale_factor == 1 else _rng("brukerplan", year, scale_factor)
    municipalities = participating(year, n_municipalities)
    weights = np.array([synthetic_population(c, year) for c in municipalities], dtype=float)
    per_municipality = 1 + rng.multinomial(total - len(municipalities), weights / weights.sum())
    frame = pd.DataFrame({"kommunenr": np.repeat(municipalities, per_municipality)})
    n = len(frame)
    keys = rng.choice(np.iinfo(np.int64).max, size=n, replace=False)
    frame.insert(0, "registreringsnokkel", [f"BP{year}-{k:016x}"[:22] for k in keys])
    frame["år"] = year
    frame["kjonn"] = _exact(n, [("M", round(0.68 * n))], rng, "K")
    adults = n - minors
    ages = [(group, round(adults * share / 100)) for group, share in AGE_SHARES.items()]
    ages[-1] = (ages[-1][0], adults - sum(c for _, c in ages[:-1]))
    frame["aldersgruppe"] = _exact(n, [("16-17", minors), *ages], rng, "70+")
    frame["brukergruppe"] = _exact(n, [(2, round(0.76 * n))], rng, 1)
    for area, _ in brukerplan.AREAS:
        indicator = AREA_INDICATORS.get(area)
        green = calibration[indicator] if indicator else 31.0  # sosial fungering: no indicator
        frame[area] = _coloured(n, green, YELLOW_OF_REST.get(area, 0.55), rng)
    # The reports to 2018 use the weighted index, later years the unweighted one: calibrate that one.
    reported = _index(n, calibration[15], calibration[16], rng)
    other = _index(n, calibration[15] + 1, calibration[16] - 2, rng)
    weighted_reported = year <= LAST_PUBLISHED_YEAR
    frame["lki_vektet"] = reported if weighted_reported else other
    frame["lki_uvektet"] = other if weighted_reported else reported
    heavy_share = {"alkohol": 0.32, "cannabis": 0.21, "heroin": 0.05, "sentralstimulerende": 0.17}
    for substance in brukerplan.SUBSTANCES:
        heavy = heavy_share.get(substance, 0.04)
        frame[substance] = rng.choice(
            [0, 1, 2, 3], size=n, p=[0.55 - heavy / 2, 0.45 - heavy / 2, heavy * 0.6, heavy * 0.4]
        )
    valid = _valid_count(n, MISSING_SHARE)
    work = positives_for(calibration[84], valid)
    frame["i_arbeid"] = _exact(n, [(1, work), (0, valid - work)], rng, None)
    frame["lar"] = _exact(n, [(1, round(0.22 * n))], rng, 0)
    planned = positives_for(calibration[30], valid)
    any_plan = _exact(n, [(1, planned), (0, valid - planned)], rng, None)
    services = rng.random((n, len(brukerplan.SERVICES))) < 0.45
    services[np.arange(n), rng.integers(0, len(brukerplan.SERVICES), n)] = True
    services &= (any_plan == 1)[:, None]
    unregistered = np.array([value is None for value in any_plan])
    for i, (service, _) in enumerate(brukerplan.SERVICES):
        frame[service] = np.where(unregistered, None, services[:, i].astype(int))
    coded = [
        c for c in frame.columns if c not in ("registreringsnokkel", "kommunenr", "kjonn", "aldersgruppe")
    ]
    for column in coded:
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(["kommunenr", "registreringsnokkel"]).reset_index(drop=True)


def write_delivery(landing_dir: Path, year: int, scale_factor: int = 1) -> Path:
    folder = landing_dir / brukerplan.SOURCE / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.is_file():
            stale.unlink()
    frame = registrations(year, scale_factor)
    frame = frame[[c.header for c in brukerplan.CONTRACT.columns if brukerplan.delivered(c, year)]]
    buffer = io.StringIO()
    buffer.write(f"# {COMMENT}\n")
    frame.to_csv(buffer, sep=";", index=False, na_rep="", lineterminator="\n")
    path = folder / f"brukerplan_{year}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
