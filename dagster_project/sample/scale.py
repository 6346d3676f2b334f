"""Scaled landing data for benchmarks: ``python -m dagster_project.sample.scale --scale-factor 10
--years 2016-2025 --landing DIR``.

Scale factor 1 is national volume: the bundled sample's ≈ 430 IS-24/8 responses and ≈ 21-24 000
BrukerPlan recipients a year, and its two survey waves. A larger factor multiplies the microdata rows
(BrukerPlan recipients, survey respondents); IS-24/8, population and the national figures stay one
row per unit or indicator, as their keys require. Years after the newest published one (2018) are
calibrated to it, on the municipality codes valid in the year. Deterministic: the same arguments
write byte-identical files. SYNTHETIC data, like the sample.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dagster_project.defs.run import parse_years
from dagster_project.sample import (
    brukerplan,
    brukerplan_2015,
    municipal,
    national_figures,
    price_index,
    service_mapping,
    surveys,
)
from dagster_project.settings import Settings

FIRST_YEAR, LAST_YEAR = 2016, 2035


def write_scaled(landing_dir: Path, scale_factor: int, years: tuple[int, int]) -> list[Path]:
    """Every source's deliveries for the years (inclusive), and the survey waves, at the scale."""
    first, last = years
    if scale_factor < 1:
        raise ValueError(f"the scale factor must be a whole number >= 1, not {scale_factor}")
    if first < FIRST_YEAR or last > LAST_YEAR or first > last:
        raise ValueError(f"years must lie within {FIRST_YEAR}-{LAST_YEAR}, not {first}-{last}")
    written = []
    for year in range(first, last + 1):
        written.append(national_figures.write_delivery(landing_dir, year))
        written.append(price_index.write_delivery(landing_dir, year))
        written.append(municipal.write_population(landing_dir, year))
        written.append(municipal.write_is24_8(landing_dir, year))
        written.append(brukerplan.write_delivery(landing_dir, year, scale_factor))
    written += surveys.write_surveys(landing_dir, copies=scale_factor)
    written += service_mapping.write_service_mapping(landing_dir)  # one 2003 wave, not scaled
    written.append(brukerplan_2015.write_delivery(landing_dir, scale_factor))  # the 2015 booklet year
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale-factor", type=int, default=1, help="1 = national volume (default)")
    parser.add_argument(
        "--years", type=parse_years, default=(2016, 2018), help="FIRST-LAST (default 2016-2018)"
    )
    parser.add_argument("--landing", type=Path, required=True, help="an empty or new folder")
    parser.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    args = parser.parse_args(argv)
    landing = args.landing.resolve()
    if landing == Settings.from_env().landing_dir.resolve():
        parser.error(f"{landing} is the warehouse's own landing folder: scaled data never goes there")
    if landing.exists() and any(landing.iterdir()) and not args.force:
        parser.error(f"{landing} is not empty (use --force to write into it)")
    try:
        written = write_scaled(landing, args.scale_factor, args.years)
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {len(written)} files into {landing}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
