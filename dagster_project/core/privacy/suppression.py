"""Small-cell suppression with secondary suppression for tables served with their totals.

The rule (README, "Personvern"): a cell counting fewer than ``MIN_PERSONS`` persons, or built on
fewer than ``MIN_MUNICIPALITIES`` municipalities, is suppressed (primary). Because the table is
served with its row and column totals (the national figure, the county, the size class), one
suppressed cell in a row or column could be recovered by subtraction; so wherever a row or a
column holds exactly one suppressed cell, the smallest other cell of that line is suppressed too
(secondary), repeated until no line has exactly one. A total that is itself small is suppressed
with its whole line. Pure functions on plain dicts; the dbt models call them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

MIN_PERSONS = 5
MIN_MUNICIPALITIES = 3

Cell = tuple[Hashable, Hashable]


def primary_suppressed(
    persons: Mapping[Cell, int | None], municipalities: Mapping[Cell, int | None] | None = None
) -> set[Cell]:
    """Cells under the thresholds. ``persons`` may be None where the unit is the municipality."""
    suppressed = set()
    for cell, n in persons.items():
        units = municipalities.get(cell) if municipalities else None
        if (n is not None and 0 < n < MIN_PERSONS) or (units is not None and 0 < units < MIN_MUNICIPALITIES):
            suppressed.add(cell)
    return suppressed


def secondary_suppressed(counts: Mapping[Cell, int], primary: set[Cell]) -> set[Cell]:
    """Primary plus complementary cells so that no row or column holds exactly one suppressed cell.

    ``counts`` holds the interior cells (row, column) -> count; empty cells are simply absent and
    count as known zeros. The smallest candidate is taken first (least information lost), ties
    broken by the cell key so the result is deterministic.
    """
    suppressed = set(primary) & set(counts)
    rows = {r for r, _ in counts}
    columns = {c for _, c in counts}

    def lines() -> list[list[Cell]]:
        return [[k for k in counts if k[0] == r] for r in sorted(rows, key=str)] + [
            [k for k in counts if k[1] == c] for c in sorted(columns, key=str)
        ]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden = [cell for cell in line if cell in suppressed]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in line if cell not in suppressed]
            if not candidates:
                continue
            partner = min(candidates, key=lambda cell: (counts[cell], str(cell)))
            suppressed.add(partner)
            changed = True
    return suppressed


def recoverable_cells(counts: Mapping[Cell, int], suppressed: set[Cell]) -> set[Cell]:
    """Suppressed cells an adversary recovers from the totals by repeated single-unknown subtraction.

    Used by the tests to show that naive (primary-only) suppression leaks and that the secondary
    pattern does not.
    """
    known = {cell for cell in counts if cell not in suppressed}
    recovered: set[Cell] = set()
    rows = {r for r, _ in counts}
    columns = {c for _, c in counts}
    progress = True
    while progress:
        progress = False
        for line in [[k for k in counts if k[0] == r] for r in rows] + [
            [k for k in counts if k[1] == c] for c in columns
        ]:
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                recovered.add(unknown[0])
                progress = True
    return recovered & suppressed


def _protect_margin(totals: Mapping[Hashable, int], suppressed: set[Hashable]) -> set[Hashable]:
    """Margins of one dimension add up to the grand total: one hidden margin needs a partner."""
    suppressed = set(suppressed)
    if len(suppressed) == 1:
        others = [key for key in totals if key not in suppressed]
        if others:
            suppressed.add(min(others, key=lambda key: (totals[key], str(key))))
    return suppressed


def protect_table(
    counts: Mapping[Cell, int],
    primary: set[Cell],
    primary_rows: set[Hashable] | None = None,
    primary_columns: set[Hashable] | None = None,
) -> tuple[set[Cell], set[Hashable], set[Hashable]]:
    """Suppressed interior cells, rows totals and column totals of a table served with its margins.

    A small row or column total hides its whole line (and gets a partner total hidden, since the
    totals add up to the grand total); then the interior gets secondary suppression.
    """
    row_totals: dict[Hashable, int] = {}
    column_totals: dict[Hashable, int] = {}
    for (row, column), n in counts.items():
        row_totals[row] = row_totals.get(row, 0) + n
        column_totals[column] = column_totals.get(column, 0) + n
    rows = _protect_margin(row_totals, primary_rows or set())
    columns = _protect_margin(column_totals, primary_columns or set())
    hidden = set(primary) | {cell for cell in counts if cell[0] in rows or cell[1] in columns}
    return secondary_suppressed(counts, hidden), rows, columns


#: Disclosure levels of a survey group, from most to least shown: 'mean_only' hides the
#: distribution (shares, counts per option, sd), 'suppressed' hides the counts and the mean too.
DISCLOSURE_LEVELS = ("full", "mean_only", "suppressed")


def complement_groups(sizes: Mapping[Hashable, int], levels: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Disclosure levels of the groups of one group type (a partition of the total), raised so that
    no number hidden at a level can be recovered by subtraction from the total.

    The groups of a type add up to the total that is served beside them: counts do, and so do sums
    (a mean times its n), sums of squares and counts per option. Whatever a level hides is then
    recoverable when exactly one group is hidden at that level or above; so, level by level from the
    strictest, the smallest group still shown gets the level too (least information lost; ties by
    key), until no level hides exactly one group. A group with n = 0 is protected too: its n is 0,
    but its other numbers (an item's «ikke aktuelt» and missing answers) are not.
    """
    result = dict(levels)
    for level in range(len(DISCLOSURE_LEVELS) - 1, 0, -1):
        hidden = [key for key, at in result.items() if at >= level]
        if len(hidden) != 1:
            continue
        shown = [key for key, at in result.items() if at < level]
        if shown:
            partner = min(shown, key=lambda key: (sizes[key], str(key)))
            result[partner] = level
    return result


def recoverable_groups(
    sizes: Mapping[Hashable, int], levels: Mapping[Hashable, int], level: int
) -> set[Hashable]:
    """Groups hidden at ``level`` whose hidden numbers follow from the total minus the groups shown:
    those alone in being hidden there. For the tests, as the attacker sees it."""
    hidden = [key for key, at in levels.items() if at >= level]
    return set(hidden) if len(hidden) == 1 else set()
