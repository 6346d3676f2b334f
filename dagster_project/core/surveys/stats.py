"""The survey rules in plain Python: the reference the SQL marts are tested against.

The marts compute the same things in SQL (dbt/macros/survey_disclosure.sql and the survey marts);
integration tests compare them row by row, so a change to one without the other fails.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Disclosure = Literal["full", "mean_only", "suppressed"]

#: The 2017 user survey's rule for municipal reports (Vedlegg 3): < 4 nothing, 4-10 means only, >= 11 all.
MIN_N_MEAN = 4
MIN_N_DISTRIBUTION = 11


def disclosure(
    n: int | None, min_n_mean: int = MIN_N_MEAN, min_n_distribution: int = MIN_N_DISTRIBUTION
) -> Disclosure:
    """What may be shown for a group with n valid answers."""
    if n is None or n < min_n_mean:
        return "suppressed"
    if n < min_n_distribution:
        return "mean_only"
    return "full"


@dataclass(frozen=True)
class Option:
    code: int
    score: float | None
    is_valid_for_percent: bool
    is_top2: bool = False


@dataclass(frozen=True)
class ItemResult:
    n_valid: int
    n_not_applicable: int
    n_missing: int
    percents: dict[int, float]
    top2_share: float | None
    mean: float | None


def summarise_item(
    answers: Iterable[int | None], options: Sequence[Option], reverse_coded: bool = False
) -> ItemResult:
    """Percent of valid answers per option, top-2 share and mean, as the marts compute them.

    Codes outside the percent base («ikke aktuelt», «har ikke») and missing answers (None) are
    counted apart and left out of the denominator; options without a score («vet ikke» in 2011) stay
    in the percent base but out of the mean. A reverse-coded item's scores are mirrored on the
    scale's scored range.
    """
    by_code = {o.code: o for o in options}
    scores = [o.score for o in options if o.score is not None]
    low, high = (min(scores), max(scores)) if scores else (0.0, 0.0)
    counts: dict[int, int] = {o.code: 0 for o in options if o.is_valid_for_percent}
    n_na = n_missing = 0
    scored: list[float] = []
    for code in answers:
        if code is None:
            n_missing += 1
            continue
        option = by_code[code]
        if not option.is_valid_for_percent:
            n_na += 1
            continue
        counts[code] += 1
        if option.score is not None:
            scored.append(low + high - option.score if reverse_coded else option.score)
    n_valid = sum(counts.values())
    percents = {code: 100 * n / n_valid for code, n in counts.items()} if n_valid else {}
    has_top2 = any(o.is_top2 for o in options)
    top2 = (
        100 * sum(n for code, n in counts.items() if by_code[code].is_top2) / n_valid
        if has_top2 and n_valid
        else None
    )
    return ItemResult(
        n_valid=n_valid,
        n_not_applicable=n_na,
        n_missing=n_missing,
        percents=percents,
        top2_share=top2,
        mean=sum(scored) / len(scored) if scored else None,
    )


def index_score(
    scores: Sequence[float | None], max_item_score: float, min_answered: int | None = None
) -> float | None:
    """Sum of item scores / maximum possible x 100 (Vedlegg 2), or None when too few items are scored.

    ``None`` in ``scores`` is an item without a score («ikke aktuelt» or missing). With the default
    (min_answered = all items) only complete cases are scored; with fewer required items the
    maximum is taken over the answered items, which makes the score a rescaled mean.
    """
    answered = [s for s in scores if s is not None]
    required = len(scores) if min_answered is None else min_answered
    if not answered or len(answered) < required:
        return None
    return sum(answered) / (len(answered) * max_item_score) * 100


def cronbach_alpha(cases: Sequence[Sequence[float]]) -> float:
    """Cronbach's alpha of complete cases (rows = respondents, columns = items), sample variances."""
    k = len(cases[0]) if cases else 0
    if len(cases) < 2 or k < 2:
        raise ValueError("alpha needs at least two respondents and two items")
    item_variances = [_var([row[j] for row in cases]) for j in range(k)]
    total_variance = _var([sum(row) for row in cases])
    if total_variance == 0:
        raise ValueError("alpha is undefined when every respondent has the same total")
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


def _var(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def complete_cases(rows: Iterable[Mapping[str, float | None]], items: Sequence[str]) -> list[list[float]]:
    """The respondents with a score on every item of an index (the basis of N, mean and alpha)."""
    out = []
    for row in rows:
        values = [row.get(item) for item in items]
        if all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values):
            out.append([float(v) for v in values])  # type: ignore[arg-type]
    return out
