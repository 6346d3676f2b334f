"""Synthetic sample microdata 2016-2018: population per municipality and the IS-24/8 survey.

Everything here is invented (SYNTHETIC), on the real municipality codes valid in each year. The
survey answers are calibrated so that the indicators computed from them equal the values published
in Fafo-rapport 2019:33 after the report's rounding (whole percent; FTEs and NOK thousands whole),
and so that the changes computed from the unrounded shares equal the printed change cells (the
print computed its changes before rounding, so those cells constrain the unrounded shares too),
with per-question denominators like the real ones (about 422 responding units; N = 411 for 66 and
67 in 2018; 54 = 104 of 422). Deterministic: the same code writes byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import random
from functools import cache
from pathlib import Path

from dagster_project.core.ingest import is24_8, population
from dagster_project.core.ingest.reference import bydel_codes, municipality_codes
from dagster_project.sample.national_figures import LAST_PUBLISHED_YEAR, calibration_values, printed_changes

YEARS = (2016, 2017, 2018)
OSLO = "0301"
RESPONDING_UNITS = 422
COMMENT_POPULATION = (
    "SYNTETISKE eksempeldata: oppdiktet folkemengde per kommune (ekte kommunenummer), ikke SSB-tall."
)
COMMENT_IS24_8 = (
    "SYNTETISKE eksempeldata: oppdiktede svar i IS-24/8 (ekte kommunenummer), kalibrert mot publiserte "
    "landstall i Fafo-rapport 2019:33."
)

#: question code -> (indicator, answer type, first year asked); the question set of the sample.
QUESTION_PLAN: dict[str, tuple[int, str, int]] = {
    "arsverk_totalt": (4, "fte", 2016),
    "kr_brukermedvirkning": (24, "nok", 2016),
    "opptrapping_kompetanse": (7, "yes_no", 2017),
    "arsverk_brukererfaring_voksne": (25, "yes_no", 2017),
    "arsverk_brukererfaring_barn": (26, "yes_no", 2017),
    "brukererfaringer_innhentet": (27, "yes_no", 2016),
    "recoveryorientert": (31, "scale5", 2017),
    "sikrer_brukermedvirkning": (32, "yes_no_until_2017_then_scale5", 2016),
    "parorende_voksne": (33, "scale5", 2017),
    "parorende_barn": (34, "scale5", 2017),
    "system_identifisering": (42, "yes_no", 2017),
    "oppsokende_ungdom": (43, "yes_no", 2016),
    "tilbud_voksne_milde": (45, "scale5", 2016),
    "tilbud_barn_milde": (46, "scale5", 2016),
    "oyeblikkelig_hjelp": (53, "yes_no", 2017),
    "oppsokende_team": (54, "yes_no", 2017),
    "tilbud_voksne_kortvarige": (58, "scale5", 2016),
    "tilbud_barn_kortvarige": (59, "scale5", 2016),
    "tilbud_voksne_langvarige": (60, "scale5", 2016),
    "tilbud_barn_langvarige": (61, "scale5", 2016),
    "samarbeid_hf_voksne": (66, "scale5", 2016),
    "samarbeid_hf_unge": (67, "scale5", 2016),
    "koordinerte_tjenester": (68, "scale5", 2017),
    "samarbeid_nav": (69, "yes_no", 2017),
    "ips_se": (70, "yes_no", 2017),
    "oppfolging_bolig": (76, "scale5", 2016),
    "boligsituasjon_bedret": (85, "scale5", 2016),
    "opptrapping_boliger": (86, "yes_no", 2017),
}
#: Denominators the report prints; other questions lose a few answers at random.
KNOWN_DENOMINATORS = {(66, 2018): 411, (67, 2018): 411, (54, 2018): 422}
#: Positive answers the report prints (its text: 104 of 422 units have an outreach team in 2018).
KNOWN_POSITIVES = {(54, 2018): 104}
#: Keep a computed change this far from a rounding boundary, so float noise cannot flip a cell.
ROUNDING_MARGIN = 0.002
#: Ind. 32 was yes/no until 2017 (not an indicator then); the share of 'ja' in the sample.
Q32_YES_SHARE_BEFORE_2018 = 0.55


def round_half_up(value: float, decimals: int = 0) -> float:
    factor = 10**decimals
    return math.floor(value * factor + 0.5) / factor


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def synthetic_population(code: str, year: int) -> int:
    """A plausible, invented population: log-normal around 5 000, Oslo large, slow growth."""
    if code == OSLO:
        base = 660_000
    else:
        rng = _rng("population", code)
        base = int(min(max(math.exp(rng.gauss(math.log(5_200), 1.05)), 200), 290_000))
    return round(base * (1.006 ** (year - 2016)))


def population_rows(year: int) -> list[list[object]]:
    return [[code, year, synthetic_population(code, year)] for code in municipality_codes(year)]


def responding_units(year: int) -> list[str]:
    units = [c for c in municipality_codes(year) if c != OSLO] + list(bydel_codes(year))
    rng = _rng("responding", year)
    return sorted(rng.sample(units, min(RESPONDING_UNITS, round(0.98 * len(units)))))


def positives_for(share_percent: float, n: int) -> int:
    """A count k with round_half_up(100 k / n) equal to the published whole percent."""
    k = round(share_percent * n / 100)
    for candidate in (k, k - 1, k + 1, k - 2, k + 2):
        if 0 <= candidate <= n and round_half_up(100 * candidate / n) == share_percent:
            return candidate
    raise ValueError(f"no count of {n} rounds to {share_percent} %")


def _denominator(share_percent: float | None, units: int, rng: random.Random) -> int:
    """A few units leave each question unanswered; prefer a count that gives the published share
    exactly, so that changes computed from the sample equal the printed ones (colour thresholds)."""
    candidates = list(range(units - 24, units + 1))
    if share_percent is None:
        return rng.choice(candidates)
    exact = [n for n in candidates if (share_percent * n) % 100 == 0]
    if exact:
        return rng.choice(exact)
    return min(candidates, key=lambda n: abs(positives_for(share_percent, n) / n * 100 - share_percent))


def _share_candidates(indicator: int, year: int, level: float, units: int) -> list[tuple[float, int, int]]:
    """(share, n, k) with k of n answering positively rounding to the printed level, nearest first."""
    if (indicator, year) in KNOWN_DENOMINATORS:
        denominators = [KNOWN_DENOMINATORS[(indicator, year)]]
    else:
        denominators = list(range(units - 24, units + 1))
        _rng("is24_8-denominators", indicator, year).shuffle(denominators)  # varied n, still seeded
    found = []
    for n in denominators:
        for k in range(max(0, round(level * n / 100) - 3), min(n, round(level * n / 100) + 3) + 1):
            if KNOWN_POSITIVES.get((indicator, year), k) != k:
                continue
            share = 100.0 * k / n
            if round_half_up(share) == level:
                found.append((share, n, k))
    return sorted(found, key=lambda c: round(abs(c[0] - level), 9))  # stable: keeps the shuffle


def _rounds_to(change: float, printed: tuple[float, int]) -> bool:
    """The unrounded change rounds half-up to the printed cell, with a margin from the boundary."""
    target, decimals = printed
    half = 0.5 * 10**-decimals
    return target - half + ROUNDING_MARGIN <= change < target + half - ROUNDING_MARGIN


def calibrated_counts(indicator: int, units_by_year: dict[int, int]) -> dict[int, tuple[int, int]]:
    """(n answering, k positive) per printed year such that the printed levels AND the printed change
    cells (year on year, and the annualised one from the baseline) come out of the unrounded shares."""
    years = sorted(y for y in units_by_year if y <= LAST_PUBLISHED_YEAR)
    levels = {y: calibration_values(y).get(indicator) for y in years}
    years = [y for y in years if levels[y] is not None]
    cells = printed_changes().get(indicator, {})
    candidates = {y: _share_candidates(indicator, y, levels[y], units_by_year[y]) for y in years}

    def fits(chosen: dict[int, tuple[float, int, int]]) -> bool:
        for (first, last), printed in cells.items():
            if first in chosen and last in chosen and printed is not None:
                span = last - first
                if not _rounds_to((chosen[last][0] - chosen[first][0]) / span, printed):
                    return False
        return True

    def search(i: int, chosen: dict[int, tuple[float, int, int]]) -> dict[int, tuple[float, int, int]] | None:
        if i == len(years):
            return chosen
        for candidate in candidates[years[i]]:
            trial = {**chosen, years[i]: candidate}
            if fits(trial) and (result := search(i + 1, trial)) is not None:
                return result
        return None

    solution = search(0, {})
    if solution is None:
        raise ValueError(f"indicator {indicator}: no counts reproduce the printed levels and changes")
    return {year: (n, k) for year, (_, n, k) in solution.items()}


def _split_total(total: float, weights: list[float], decimals: int) -> list[float]:
    """Shares of a total, rounded, with the remainder on the largest share: the sum is exact."""
    scale = 10**decimals
    target = round(total * scale)
    raw = [w / sum(weights) * target for w in weights]
    parts = [int(r) for r in raw]
    parts[max(range(len(parts)), key=lambda i: weights[i])] += target - sum(parts)
    return [p / scale for p in parts]


def _categorical(
    units: list[str], rng: random.Random, n_valid: int, k: int, positive: list[int], negative: list[int]
) -> dict[str, int | None]:
    """k positive answers, the rest of n_valid negative or 'vet ikke', the others unanswered."""
    order = units[:]
    rng.shuffle(order)
    answers: dict[str, int | None] = dict.fromkeys(units)
    dont_know = min(n_valid - k, round(0.04 * n_valid))
    for i, unit in enumerate(order[:n_valid]):
        if i < k:
            answers[unit] = rng.choice(positive)
        elif i < k + dont_know:
            answers[unit] = is24_8.DONT_KNOW
        else:
            answers[unit] = rng.choice(negative)
    return answers


@cache
def _printed_counts(indicator: int) -> dict[int, tuple[int, int]]:
    units = {year: len(responding_units(year)) for year in YEARS}
    return calibrated_counts(indicator, units)


def is24_8_answers(year: int) -> tuple[list[str], dict[str, dict[str, object]]]:
    """Question codes asked in the year, and the answers per unit."""
    calibration = calibration_values(year)
    units = responding_units(year)
    population_of = {u: synthetic_population(u[:4], year) / (15 if len(u) == 6 else 1) for u in units}
    asked = [q for q, (_, _, first) in QUESTION_PLAN.items() if first <= year]
    answers: dict[str, dict[str, object]] = {u: {} for u in units}
    for question in asked:
        indicator, kind, _ = QUESTION_PLAN[question]
        rng = _rng("is24_8", year, question)
        value = calibration.get(indicator)
        if kind == "fte":
            weights = [population_of[u] ** 0.9 for u in units]
            for unit, fte in zip(units, _split_total(value, weights, 1), strict=True):
                answers[unit][question] = fte
            continue
        if kind == "nok":
            order = units[:]
            rng.shuffle(order)
            # under 40 % name an amount, 64 % give no answer or zero (Fafo 2019:33 on ind. 24)
            cut_give, cut_zero = int(0.37 * len(order)), int(0.60 * len(order))
            givers, zeros = order[:cut_give], order[cut_give:cut_zero]
            weights = [rng.uniform(0.2, 3.0) * population_of[u] ** 0.5 for u in givers]
            amounts = _split_total(value * 1000, weights, 0)
            for unit in units:
                answers[unit][question] = None
            for unit, amount in zip(givers, amounts, strict=True):
                answers[unit][question] = int(amount)
            for unit in zeros:
                answers[unit][question] = 0
            continue
        n_valid = KNOWN_DENOMINATORS.get((indicator, year)) or _denominator(value, len(units), rng)
        if value is not None and year <= LAST_PUBLISHED_YEAR:
            n_valid, k = _printed_counts(indicator)[year]
        else:
            k = None if value is None else positives_for(value, n_valid)
        if kind == "yes_no_until_2017_then_scale5" and year < 2018:
            k = round(Q32_YES_SHARE_BEFORE_2018 * n_valid)
            column = _categorical(units, rng, n_valid, k, [1], [0])
        elif value is None:
            raise ValueError(f"no published value for indicator {indicator} in {year}")
        elif kind == "yes_no":
            column = _categorical(units, rng, n_valid, k, [1], [0])
        else:
            column = _categorical(units, rng, n_valid, k, [4, 5], [1, 2, 3])
        for unit in units:
            answers[unit][question] = column[unit]
    return asked, answers


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return (str(int(value)) if value == int(value) else f"{value:.1f}").replace(".", ",")
    return str(value)


def _write_csv(path: Path, comment: str, header: list[str], rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    buffer.write(f"# {comment}\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.iterdir():
        if stale.is_file():
            stale.unlink()
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_population(landing_dir: Path, year: int) -> Path:
    header = [c.header for c in population.CONTRACT.columns]
    path = landing_dir / population.SOURCE / str(year) / f"folkemengde_{year}.csv"
    return _write_csv(path, COMMENT_POPULATION, header, population_rows(year))


def write_is24_8(landing_dir: Path, year: int) -> Path:
    asked, answers = is24_8_answers(year)
    header = ["enhetsnr", "år", *asked]
    rows = [[unit, year, *(answers[unit].get(q) for q in asked)] for unit in sorted(answers)]
    path = landing_dir / is24_8.SOURCE / str(year) / f"is24_8_{year}.csv"
    return _write_csv(path, COMMENT_IS24_8, header, rows)
