"""Sample `price_index` deliveries: a SYNTHETIC yearly deflator (price growth in percent).

The printed report names no deflator (METHOD.md of the domain notes: "The deflator is not given"), so
the sample invents one near the size of the municipal deflator of those years. It is labelled
synthetic in the file. The NOK indicators of the sample deliveries are stated in current prices by
dividing the printed 2018-kroner by this deflator, so that the warehouse, restating them in 2018
kroner, reproduces the printed values; any real delivery replaces both.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

from dagster_project.core.ingest.price_index import CONTRACT, SOURCE
from dagster_project.settings import SEEDS_DIR

YEARS = (2016, 2017, 2018)
#: Invented yearly price growth in percent (not an official series); later years repeat DEFAULT_GROWTH.
GROWTH = {2016: 2.4, 2017: 2.5, 2018: 2.8}
DEFAULT_GROWTH = 2.6
REFERENCE = "SYNTETISK deflator (eksempeldata)"
COMMENT = (
    "SYNTETISKE eksempeldata: oppdiktet årlig prisvekst (deflator) i prosent, i nærheten av den "
    "kommunale deflatoren; ikke en offisiell serie."
)


def growth(year: int) -> float:
    return GROWTH.get(year, DEFAULT_GROWTH)


def factor(year: int, base_year: int) -> float:
    """Multiply an amount of `year` by this to get `base_year` kroner (chained price growth)."""
    result = 1.0
    for y in range(min(year, base_year) + 1, max(year, base_year) + 1):
        result *= 1 + growth(y) / 100
    return result if year <= base_year else 1 / result


@cache
def price_adjusted_indicators() -> frozenset[int]:
    """The NOK indicators printed in constant prices (seed price_adjusted_indicators)."""
    with (SEEDS_DIR / "price_adjusted_indicators.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(int(row["indicator_no"]) for row in csv.DictReader(handle))


def delivery_rows(delivery_year: int) -> list[list[object]]:
    return [[delivery_year, str(growth(delivery_year)).replace(".", ","), REFERENCE, ""]]


def write_delivery(landing_dir: Path, delivery_year: int, rows: list[list[object]] | None = None) -> Path:
    folder = landing_dir / SOURCE / str(delivery_year)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.is_file():
            stale.unlink()
    buffer = io.StringIO()
    buffer.write(f"# {COMMENT}\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([c.header for c in CONTRACT.columns])
    writer.writerows(rows if rows is not None else delivery_rows(delivery_year))
    path = folder / f"prisindeks_{delivery_year}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
