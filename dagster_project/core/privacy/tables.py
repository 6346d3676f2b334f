"""Served aggregate tables built from cell counts, with the suppression rule applied.

Registered as privacy marts in ``privacy/marts.py`` (``mart_indicator_by_region``,
``mart_brukerplan_distribution``); pure pandas in, pandas out, so the tests exercise exactly
what the marts serve. The served column types are the registry's alone (``privacy.marts.typed``).
"""

from __future__ import annotations

import pandas as pd

from dagster_project.core.privacy.suppression import (
    DISCLOSURE_LEVELS,
    MIN_MUNICIPALITIES,
    MIN_PERSONS,
    complement_groups,
    protect_table,
)

NATIONAL = "alle"


def _too_small(n: int, municipalities: int, count_kind: str) -> bool:
    if n <= 0:
        return False
    if count_kind == "persons":
        return n < MIN_PERSONS or municipalities < MIN_MUNICIPALITIES
    return n < MIN_MUNICIPALITIES or municipalities < MIN_MUNICIPALITIES


def _value(measure: str, n: int, positives: int, amount: float | None) -> float | None:
    if measure == "share":
        return 100.0 * positives / n if n else None
    if amount is None or pd.isna(amount):
        return None
    return amount / 1000.0 if measure == "sum_thousands" else float(amount)


def _region_row(key, meta, level, county, size, numbers, suppressed, reason) -> dict:
    (indicator, year), (measure, kind, source), (n, k, amount, munis) = key, meta, numbers
    return {
        "indicator_no": int(indicator),
        "year": int(year),
        "computed_from": source,
        "region_level": level,
        "county_code": county,
        "size_class": size,
        "value": None if suppressed else _value(measure, n, k, amount),
        "n_units": None if suppressed else n,
        "n_municipalities": None if suppressed else munis,
        "count_kind": kind,
        "is_suppressed": suppressed,
        "suppression": reason,
    }


REGION_COLUMNS = [
    "indicator_no",
    "year",
    "computed_from",
    "region_level",
    "county_code",
    "size_class",
    "value",
    "n_units",
    "n_municipalities",
    "count_kind",
    "is_suppressed",
    "suppression",
]


def indicator_by_region(cells: pd.DataFrame) -> pd.DataFrame:
    """Each computed indicator per county x size class, per county, per size class and nationally.

    ``cells`` has one row per indicator, year, county and size class with n_denominator,
    n_positive, amount, n_municipalities, measure, count_kind and computed_from.
    """
    out: list[dict] = []
    for (indicator, year), group in cells.groupby(["indicator_no", "year"], sort=True):
        records = group.to_dict("records")
        measure, kind, source = records[0]["measure"], records[0]["count_kind"], records[0]["computed_from"]
        by_cell = {(r["county_code"], r["size_class"]): r for r in records}
        counts = {cell: int(r["n_denominator"]) for cell, r in by_cell.items()}
        primary = {c for c, r in by_cell.items() if _too_small(counts[c], int(r["n_municipalities"]), kind)}

        def margin(key_index: int, key: str, _by_cell=by_cell) -> dict:
            members = [r for c, r in _by_cell.items() if c[key_index] == key]
            return {
                "n": sum(int(r["n_denominator"]) for r in members),
                "k": sum(int(r["n_positive"]) for r in members),
                "amount": sum(float(r["amount"]) for r in members if pd.notna(r["amount"])),
                "munis": sum(int(r["n_municipalities"]) for r in members),
            }

        counties = {c[0]: margin(0, c[0]) for c in by_cell}
        sizes = {c[1]: margin(1, c[1]) for c in by_cell}
        small_counties = {k for k, m in counties.items() if _too_small(m["n"], m["munis"], kind)}
        small_sizes = {k for k, m in sizes.items() if _too_small(m["n"], m["munis"], kind)}
        hidden, hidden_counties, hidden_sizes = protect_table(counts, primary, small_counties, small_sizes)

        def emit(
            level,
            county,
            size,
            n,
            k,
            amount,
            munis,
            suppressed,
            reason,
            _key=(indicator, year),
            _meta=(measure, kind, source),
        ):
            out.append(
                _region_row(
                    _key,
                    _meta,
                    level,
                    county,
                    size,
                    (n, k, amount, munis),
                    suppressed,
                    reason,
                )
            )

        for cell, r in sorted(by_cell.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
            reason = "primary" if cell in primary else ("secondary" if cell in hidden else None)
            emit(
                "county_by_size_class",
                cell[0],
                cell[1],
                counts[cell],
                int(r["n_positive"]),
                r["amount"] if pd.notna(r["amount"]) else None,
                int(r["n_municipalities"]),
                cell in hidden,
                reason,
            )
        for county, m in sorted(counties.items(), key=lambda item: str(item[0])):
            suppressed = county in hidden_counties
            reason = ("primary" if county in small_counties else "secondary") if suppressed else None
            emit("county", county, None, m["n"], m["k"], m["amount"], m["munis"], suppressed, reason)
        for size, m in sorted(sizes.items(), key=lambda item: str(item[0])):
            suppressed = size in hidden_sizes
            reason = ("primary" if size in small_sizes else "secondary") if suppressed else None
            emit("size_class", None, size, m["n"], m["k"], m["amount"], m["munis"], suppressed, reason)
        total = {
            "n": sum(counts.values()),
            "k": sum(int(r["n_positive"]) for r in records),
            "amount": sum(float(r["amount"]) for r in records if pd.notna(r["amount"])),
            "munis": sum(int(r["n_municipalities"]) for r in records),
        }
        emit("national", None, None, total["n"], total["k"], total["amount"], total["munis"], False, None)
    return pd.DataFrame(out, columns=REGION_COLUMNS)


DISTRIBUTION_COLUMNS = [
    "year",
    "group_type",
    "group_value",
    "measure",
    "category",
    "n_persons",
    "share",
    "group_n_persons",
    "is_suppressed",
    "suppression",
]


def distribution_tables(cells: pd.DataFrame) -> pd.DataFrame:
    """Distribution of recipients over the categories of a measure, by group, with suppression.

    ``cells``: year, group_type ('total', 'size_class', 'gender', 'age_group'), group_value, measure,
    category, n_persons, n_municipalities. Served per group with the group total; the 'total' group
    is the column margin of every breakdown.
    """
    out: list[dict] = []
    for (year, measure, group_type), group in cells.groupby(["year", "measure", "group_type"], sort=True):
        records = group.to_dict("records")
        counts = {(r["group_value"], r["category"]): int(r["n_persons"]) for r in records}
        munis = {(r["group_value"], r["category"]): int(r["n_municipalities"]) for r in records}
        primary = {c for c in counts if _too_small(counts[c], munis[c], "persons")}
        row_totals: dict = {}
        for (row, _), n in counts.items():
            row_totals[row] = row_totals.get(row, 0) + n
        small_rows = {row for row, n in row_totals.items() if 0 < n < MIN_PERSONS}
        if group_type == "total":  # one row; its cells are the margins of the breakdowns
            hidden, hidden_rows = primary, small_rows
        else:
            hidden, hidden_rows, _ = protect_table(counts, primary, small_rows)
        for (row, category), n in sorted(counts.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
            suppressed = (row, category) in hidden or row in hidden_rows
            reason = None
            if suppressed:
                reason = "primary" if (row, category) in primary or row in small_rows else "secondary"
            out.append(
                {
                    "year": int(year),
                    "group_type": group_type,
                    "group_value": row,
                    "measure": measure,
                    "category": category,
                    "n_persons": None if suppressed else n,
                    "share": None if suppressed else 100.0 * n / row_totals[row],
                    "group_n_persons": None if row in hidden_rows else row_totals[row],
                    "is_suppressed": suppressed,
                    "suppression": reason,
                }
            )
    return pd.DataFrame(out, columns=DISTRIBUTION_COLUMNS)


#: The columns ``survey_disclosure`` needs and returns: one row per served survey cell, keyed by
#: the table it is served in ('item', 'index', 'respondents'), instrument, wave, unit (item or
#: index code; '' for respondents), group type and group value.
SURVEY_KEY = ["table_name", "instrument", "wave", "unit_code", "group_type", "group_value"]
SURVEY_DISCLOSURE_COLUMNS = [*SURVEY_KEY, "n", "primary_disclosure", "disclosure", "suppression"]


def survey_disclosure(groups: pd.DataFrame) -> pd.DataFrame:
    """Final disclosure of every survey group: the primary rule (given, from SQL) plus complementary
    suppression within each group type, so that the total and the other groups of the type never
    give away a hidden group's n, mean or distribution.

    The reference of the dbt model ``int_survey_disclosure``, which implements the same rule in SQL
    (a test checks that they agree).

    ``groups``: SURVEY_KEY, ``n`` (the group's base), ``primary_disclosure`` ('full' | 'mean_only'
    | 'suppressed'). Returns the same rows with ``disclosure`` (final) and ``suppression``
    ('primary' | 'secondary' | None: why the group shows less than everything).
    """
    levels = {name: i for i, name in enumerate(DISCLOSURE_LEVELS)}
    out = groups.loc[:, [*SURVEY_KEY, "n", "primary_disclosure"]].copy()
    out["n"] = out["n"].fillna(0).astype("int64")
    final = out["primary_disclosure"].map(levels).astype("int64").to_numpy().copy()
    lines = out.groupby([c for c in SURVEY_KEY if c != "group_value"], sort=False, dropna=False).indices
    for (*_, group_type), rows in lines.items():
        if group_type == "total" or len(rows) < 2:
            continue
        # keyed by group value (unique within a line), so that ties break as in the SQL model
        position = {out["group_value"].iat[i]: int(i) for i in rows}
        sizes = {value: int(out["n"].iat[i]) for value, i in position.items()}
        raised = complement_groups(sizes, {value: int(final[i]) for value, i in position.items()})
        for value, level in raised.items():
            final[position[value]] = level
    primary = out["primary_disclosure"].map(levels).to_numpy()
    out["disclosure"] = [DISCLOSURE_LEVELS[level] for level in final]
    out["suppression"] = [
        None if level == 0 else ("primary" if level == first else "secondary")
        for level, first in zip(final, primary, strict=True)
    ]
    out["suppression"] = out["suppression"].astype("string")  # a text column also when all NULL
    return out[SURVEY_DISCLOSURE_COLUMNS].reset_index(drop=True)
