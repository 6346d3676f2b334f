"""The attacker of the microdata marts: finds the lines that add up in the unsuppressed cells, on
its own (not from the marts' line definitions), and tries to recover a hidden cell by subtraction."""

from __future__ import annotations

from collections import defaultdict

TOTAL_COLUMNS = {"Alle", "Alle brukere", "Totalt", "Total", "Samlet"}


def lines_that_add_up(cells: dict[tuple, tuple[int, int, int]]) -> list[tuple[list[tuple], int | None]]:
    """cells: (line, table, row, column) -> (row_order, n, base), unsuppressed. Returns the lines as
    (cell keys, the key of the total cell or None when the total is the shared base)."""
    found: list[tuple[list[tuple], int | None]] = []
    by_column: dict[tuple, list[tuple]] = defaultdict(list)
    by_row: dict[tuple, list[tuple]] = defaultdict(list)
    for key, (_, _, base) in cells.items():
        scope, table, row, column = key
        by_column[(scope, table, column, base)].append(key)
        by_row[(scope, table, row)].append(key)
    for (_, _, _, base), keys in by_column.items():
        keys.sort(key=lambda key: (cells[key][0], key[2]))
        # the whole column, or its first categories (an exclusive set before flag rows)
        for length in range(2, len(keys) + 1):
            if sum(cells[key][1] for key in keys[:length]) == base:
                found.append((keys[:length], None))
    for keys in by_row.values():
        totals = [key for key in keys if key[3] in TOTAL_COLUMNS]
        parts = [key for key in keys if key[3] not in TOTAL_COLUMNS]
        if len(parts) < 2:
            continue
        for total in totals:
            if sum(cells[key][1] for key in parts) == cells[total][1]:
                found.append(([*parts, total], total))
        bases = {cells[key][2] for key in parts}
        if not totals and len(bases) == 1 and sum(cells[key][1] for key in parts) == bases.pop():
            found.append((parts, None))
    return found


def base_lines(cells: dict[tuple, tuple[int, int, int]]) -> list[tuple[list[tuple], tuple | None]]:
    """The lines of bases, as (cell keys whose bases make the line, the remainder cell or None):
    a row whose groups' bases add up to its total column's base; and a remainder cell, whose count
    is its own base minus the base of a column line in its column (n = A - B: a served A and B give
    it away)."""
    found: list[tuple[list[tuple], tuple | None]] = []
    by_row: dict[tuple, list[tuple]] = defaultdict(list)
    for key in cells:
        scope, table, row, _ = key
        by_row[(scope, table, row)].append(key)
    for keys in by_row.values():
        totals = [key for key in keys if key[3] in TOTAL_COLUMNS]
        parts = [key for key in keys if key[3] not in TOTAL_COLUMNS]
        if len(parts) < 2:
            continue
        for total in totals:
            if sum(cells[key][2] for key in parts) == cells[total][2]:
                found.append(([*parts, total], None))
    for keys, total in lines_that_add_up(cells):
        if total is not None:
            continue
        scope, table, _, column = keys[0]
        line_base = cells[keys[0]][2]
        for key, (_, n, base) in cells.items():
            same_column = key[:2] == (scope, table) and key[3] == column and key not in keys
            if same_column and base != line_base and n == base - line_base:
                found.append((keys, key))
    return found


def attack(raw: dict[tuple, tuple[int, int, int]], served: dict[tuple, tuple[bool, int | None]]) -> int:
    """Asserts no line with a served total has exactly one hidden cell (a column line's base counts
    as one of its cells), nor a line of bases exactly one hidden base; returns the lines checked.
    served: the same keys -> (hidden, the served base or None)."""
    checked = 0
    for keys, total in lines_that_add_up(raw):
        if any(key not in served for key in keys):
            continue
        hidden = [key for key in keys if served[key][0]]
        base_served = all(served[key][1] is not None for key in keys)
        if not base_served and len(hidden) == len(keys):
            continue
        if total is None and not base_served:
            hidden.append("base")
        assert len(hidden) != 1, ("recoverable by subtraction", hidden, keys)
        checked += 1
    for keys, remainder in base_lines(raw):
        if any(key not in served for key in keys) or (remainder is not None and remainder not in served):
            continue
        if remainder is None:
            hidden = [key for key in keys if served[key][1] is None]
        else:
            if served[remainder][1] is None:
                continue  # the remainder's own base is hidden: nothing to subtract from
            hidden = [key for key in [remainder] if served[key][0]]
            if any(served[key][1] is None for key in keys):
                hidden.append("base")
        assert len(hidden) != 1, ("recoverable from the bases", hidden, keys, remainder)
        checked += 1
    return checked
