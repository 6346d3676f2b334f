"""Late deliveries: each source's expected delivery date is data (``delivery_calendar.csv``).

For a source with a date, the delivery of data year ``today.year - data_year_lag`` is expected by
that date of this year; after it, a missing delivery folder is overdue. Survey waves are irregular
and have no date. The freshness check built on this only warns: nothing waits for it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CALENDAR = Path(__file__).with_name("delivery_calendar.csv")


@dataclass(frozen=True)
class Expected:
    source: str
    month: int | None
    day: int | None
    data_year_lag: int
    note: str

    def due(self, today: date) -> tuple[int, date] | None:
        """The data year expected by now and its due date this year; None for irregular sources."""
        if self.month is None or self.day is None:
            return None
        return today.year - self.data_year_lag, date(today.year, self.month, self.day)


def read_calendar(path: Path = CALENDAR) -> dict[str, Expected]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["source"]: Expected(
            source=row["source"],
            month=int(row["expected_month"]) if row["expected_month"] else None,
            day=int(row["expected_day"]) if row["expected_day"] else None,
            data_year_lag=int(row["data_year_lag"] or 1),
            note=row["note"],
        )
        for row in rows
    }


@dataclass(frozen=True)
class Lateness:
    on_time: bool
    message: str
    data_year: int | None = None
    due: date | None = None


def lateness(expected: Expected | None, delivered_years: set[int], today: date) -> Lateness:
    if expected is None:
        return Lateness(True, "no expected delivery date in the delivery calendar")
    due = expected.due(today)
    if due is None:
        return Lateness(True, f"irregular deliveries: {expected.note}")
    year, by = due
    if year in delivered_years:
        return Lateness(True, f"the {year} delivery is in (expected by {by:%d.%m.%Y})", year, by)
    if today <= by:
        return Lateness(True, f"the {year} delivery is expected by {by:%d.%m.%Y}", year, by)
    days = (today - by).days
    return Lateness(
        False,
        f"the {year} delivery is overdue: expected by {by:%d.%m.%Y}, {days} days ago; {expected.note}",
        year,
        by,
    )
