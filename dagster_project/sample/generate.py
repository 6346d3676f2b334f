"""Write the bundled sample landing data: ``python -m dagster_project.sample.generate [--landing DIR]``."""

from __future__ import annotations

import argparse
from pathlib import Path

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


def generate(landing_dir: Path) -> list[Path]:
    written = [national_figures.write_delivery(landing_dir, year) for year in national_figures.YEARS]
    written += [price_index.write_delivery(landing_dir, year) for year in price_index.YEARS]
    written += [municipal.write_population(landing_dir, year) for year in municipal.YEARS]
    written += [municipal.write_is24_8(landing_dir, year) for year in municipal.YEARS]
    written += [brukerplan.write_delivery(landing_dir, year) for year in brukerplan.YEARS]
    written.append(brukerplan_2015.write_delivery(landing_dir))  # the 2015 format, for the booklet
    written += surveys.write_surveys(landing_dir)  # synthetic survey microdata (.sav and CSV)
    written += service_mapping.write_service_mapping(landing_dir)  # synthetic 2003 mapping forms
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--landing", type=Path, default=Settings.from_env().landing_dir, help="landing folder"
    )
    args = parser.parse_args(argv)
    for path in generate(args.landing):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
