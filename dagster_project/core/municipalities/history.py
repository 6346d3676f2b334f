"""Municipality codes valid on 1 January of each year, derived from two imperfect SSB copies.

Neither reference file says on its own which codes were valid in a year (see reference/README.md):
the KLASS grouping gives every code since 1994 with a validity suffix in its name, but not when a
code that is still valid began; the 2011-2020 list gives codes per year but misses a few. The rule:

* a name ending in a year range, ``Halden (2020-2023)`` or ``Halden (-2019)``, is that range (an open
  start means "before 1994"); names with other parentheses (``Våler (Østfold)``) are names;
* a code without a range is still valid in 2024. When an earlier code of the same name in its 2024
  municipality ended, it is that municipality renumbered and began the year after (Trondheim 5001
  after 1601 ended in 2017; Os 3430 after 0441 ended in 2019). Otherwise it began before our period
  when the 2011-2020 list has it in 2011 or it is the only code of its 2024 municipality, and else
  the year after the last other code of its 2024 municipality ended (Halden 3101 after 3001);
* codes the grouping files under 'Rest' (municipalities split over several 2024 ones, e.g. Narvik
  1805) are grouped under their 2020 code from the 2011-2020 list;
* 21xx-23xx (Svalbard, Jan Mayen, the continental shelf) and 9999 (unknown) are not municipalities;
* ``merged_into_code`` is the code that holds the municipality in the year after its code ended
  (a merger, or a renumbering in the 2018 and 2020 county reforms); null while the code lives on.

The result is compared with the official counts in ``official_municipality_counts.csv`` by a
non-blocking dbt check, so a disagreement stays visible instead of being absorbed.

Regenerate the seed with ``python -m dagster_project.core.municipalities.history``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from dagster_project.settings import SEEDS_DIR

REFERENCE_DIR = Path(__file__).parent / "reference"
KLASS_FILE = REFERENCE_DIR / "municipalities_1994_2024_klass_grouping.xlsx"
LONG_FILE = REFERENCE_DIR / "municipalities_2011_2020_long.csv"
SEED_FILE = SEEDS_DIR / "municipality_years.csv"
FIRST_YEAR, LAST_YEAR = 2016, 2024
OPEN_START, OPEN_END = 0, 9999
NOT_MUNICIPALITIES = ("21", "22", "23", "99")
REST_GROUP = "Rest"

#: Where the rule above gets a start year wrong because both files lack the fact it needs; each
#: correction says why. Without them the derived counts miss the official ones (see main()).
START_CORRECTIONS: dict[str, tuple[int, str]] = {
    "1103": (OPEN_START, "Stavanger kept its code in 2020; the 2011-2020 list omits it before 2020"),
    "1580": (2024, "Haram was part of Ålesund 2020-2023 and re-established in 2024 under a new code"),
}

_VALIDITY = re.compile(r"^(?P<name>.*?)\s*\((?P<start>\d{4})?-(?P<end>\d{4})?\)\s*$")


@dataclass(frozen=True)
class KlassRow:
    group_code: str
    code: str
    text: str


@dataclass(frozen=True)
class MunicipalityYear:
    year: int
    municipality_code: str
    municipality_name: str
    county_code: str
    merged_into_code: str | None


def split_validity(text: str) -> tuple[str, int | None, int | None, bool]:
    """Name, start, end and whether the text carried a validity range at all."""
    match = _VALIDITY.match(text.strip())
    if not match:
        return re.sub(r"\s+", " ", text.strip()), None, None, False
    start, end = match.group("start"), match.group("end")
    name = re.sub(r"\s+", " ", match.group("name"))
    return name, int(start) if start else None, int(end) if end else None, True


def read_klass(path: Path = KLASS_FILE) -> list[KlassRow]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    return [KlassRow(str(g).removeprefix("K."), str(k), str(t)) for g, _, k, t in rows[1:] if k]


@dataclass(frozen=True)
class LongRow:
    code: str
    name: str
    year: int
    code_2020: str


def read_long(path: Path = LONG_FILE) -> list[LongRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LongRow(
                r["muni_num_old"].zfill(4), r["muni_name_old"], int(r["year"]), r["muni_num_2020"].zfill(4)
            )
            for r in csv.DictReader(handle)
            if int(r["year"]) >= 2011
        ]


def first_seen(long: list[LongRow]) -> dict[str, int]:
    """First year (2011-2019) each code appears in the per-year list."""
    first: dict[str, int] = {}
    for row in long:
        first[row.code] = min(first.get(row.code, row.year), row.year)
    return first


def regroup_rest(klass: list[KlassRow], long: list[LongRow]) -> list[KlassRow]:
    """The grouping files municipalities split over several 2024 ones under 'Rest' (Narvik 1805,
    Hitra 1617): put each under the group of its 2020 code from the per-year list."""
    group_of = {r.code: r.group_code for r in klass if r.group_code != REST_GROUP}
    code_2020 = {row.code: row.code_2020 for row in sorted(long, key=lambda r: r.year)}
    return [
        KlassRow(group_of.get(code_2020.get(r.code, ""), r.group_code), r.code, r.text)
        if r.group_code == REST_GROUP
        else r
        for r in klass
    ]


def derive(
    klass: list[KlassRow], long: list[LongRow], corrections: dict[str, tuple[int, str]] = START_CORRECTIONS
) -> list[MunicipalityYear]:
    seen = first_seen(long)
    by_group: dict[str, list[KlassRow]] = defaultdict(list)
    for row in regroup_rest(klass, long):
        # '0716u' is no code; 21xx-23xx are Svalbard, Jan Mayen and the shelf, not municipalities
        if re.fullmatch(r"\d{4}", row.code) and row.code[:2] not in NOT_MUNICIPALITIES:
            by_group[row.group_code].append(row)
    spans: dict[str, tuple[str, str, int, int]] = {}
    for group, rows in by_group.items():
        parsed = {r.code: split_validity(r.text) for r in rows}
        for row in rows:
            name, start, end, ranged = parsed[row.code]
            if ranged:
                spans[row.code] = (group, name, start or OPEN_START, end or OPEN_END)
                continue
            others = [parsed[r.code] for r in rows if r.code != row.code and parsed[r.code][3]]
            ended = [o[2] for o in others if o[2] is not None]
            renumbered = [o[2] for o in others if o[2] is not None and _same_name(o[0], name)]
            if renumbered:  # the same municipality under an earlier number (Os 0441 -> 3430)
                begin = max(renumbered) + 1
            elif len(rows) == 1 or seen.get(row.code, OPEN_END) <= 2011 or not ended:
                begin = OPEN_START
            else:
                begin = max(ended) + 1
            if row.code in corrections:
                begin = corrections[row.code][0]
            spans[row.code] = (group, name, begin, OPEN_END)
    result: list[MunicipalityYear] = []
    for code, (group, name, start, end) in sorted(spans.items()):
        successor = None
        if end < OPEN_END:
            candidates = [
                c for c, (g, _, s, e) in spans.items() if g == group and c != code and s <= end + 1 <= e
            ]
            # the same name continuing under a new number first, else the code that lives longest
            candidates.sort(key=lambda c: (spans[c][1] != name, -spans[c][3], c))
            successor = candidates[0] if candidates else None
        for year in range(max(start, FIRST_YEAR), min(end, LAST_YEAR) + 1):
            result.append(MunicipalityYear(year, code, name, code[:2], successor))
    return sorted(result, key=lambda r: (r.year, r.municipality_code))


def _same_name(a: str, b: str) -> bool:
    def first(n: str) -> str:
        return re.split(r"[\s(-]", n.strip(), maxsplit=1)[0].casefold()

    return first(a) == first(b)


def counts_by_year(rows: list[MunicipalityYear]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for row in rows:
        counts[row.year] += 1
    return dict(sorted(counts.items()))


def write_seed(rows: list[MunicipalityYear], path: Path = SEED_FILE) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["year", "municipality_code", "municipality_name", "county_code", "merged_into_code"])
        for r in rows:
            writer.writerow(
                [r.year, r.municipality_code, r.municipality_name, r.county_code, r.merged_into_code or ""]
            )


def main() -> None:
    klass, long = read_klass(), read_long()
    rows = derive(klass, long)
    write_seed(rows)
    print(f"without corrections: {counts_by_year(derive(klass, long, corrections={}))}")
    print(f"wrote {SEED_FILE}: {counts_by_year(rows)}")


if __name__ == "__main__":
    main()
