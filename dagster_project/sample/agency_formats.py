"""Synthetic agency-format deliveries (SYNTHETIC): the sample population and national figures as
SSB delivers its tables, JSON-stat 2.0 (the Statbank API's answer for table 07459) and PC-Axis.

``python -m dagster_project.sample.agency_formats DIR`` writes the sample files; the bundled copies
are in dagster_project/sample/data/agency/ (they are not in the landing folder: a year has one
delivery, the CSV one).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from dagster_project.core.ingest import national_figures, population
from dagster_project.sample import municipal
from dagster_project.sample import national_figures as national_sample

LABEL = "SYNTETISKE DATA: Folkemengde 1. januar, etter region og år (formet som SSB tabell 07459)"
SOURCE = "Syntetisk eksempel (ikke Statistisk sentralbyrå)"


def population_frame(year: int, landing: Path) -> pd.DataFrame:
    return population.read_extract(municipal.write_population(landing, year)).frame


def population_jsonstat(frame: pd.DataFrame, year: int) -> dict:
    codes = list(frame["municipality_code"])
    return {
        "version": "2.0",
        "class": "dataset",
        "label": LABEL,
        "source": SOURCE,
        "updated": f"{year}-02-20T08:00:00Z",
        "note": ["SYNTETISKE DATA - ikke virkelige tall."],
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(codes), 1, 1],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {c: i for i, c in enumerate(codes)},
                    "label": {c: f"Kommune {c}" for c in codes},
                },
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {
                    "index": {"Personer1": 0},
                    "label": {"Personer1": "Personer"},
                    "unit": {"Personer1": {"base": "personer", "decimals": 0}},
                },
            },
            "Tid": {"label": "år", "category": {"index": {str(year): 0}, "label": {str(year): str(year)}}},
        },
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "value": [int(v) for v in frame["population"]],
    }


def _px_list(values: list[str]) -> str:
    lines, line = [], []
    for value in values:
        line.append(f'"{value}"')
        if len(line) == 8:
            lines.append(",".join(line))
            line = []
    if line:
        lines.append(",".join(line))
    return ",\n".join(lines)


def population_px(frame: pd.DataFrame, year: int) -> str:
    codes = list(frame["municipality_code"])
    data = " ".join(str(int(v)) for v in frame["population"])
    return (
        'CHARSET="ANSI";\nAXIS-VERSION="2013";\nLANGUAGE="no";\nCREATION-DATE="20180220 08:00";\n'
        'MATRIX="07459";\nSUBJECT-AREA="Befolkning";\nSUBJECT-CODE="be";\n'
        f'TITLE="{LABEL}";\nCONTENTS="Personer";\nUNITS="personer";\n'
        'STUB="region";\nHEADING="år";\n'
        f'VALUES("region")={_px_list([f"Kommune {c}" for c in codes])};\n'
        f'VALUES("år")="{year}";\nTIMEVAL("år")=TLIST(A1),"{year}";\n'
        f'CODES("region")={_px_list(codes)};\nCODES("år")="{year}";\n'
        f'SOURCE="{SOURCE}";\nNOTE="SYNTETISKE DATA - ikke virkelige tall.";\n'
        f"DATA=\n{data};\n"
    )


def national_figures_jsonstat(year: int, landing: Path) -> dict:
    frame = national_figures.read_extract(national_sample.write_delivery(landing, year)).frame
    frame = frame[frame["unit"] == "antall"].sort_values(["indicator_no", "year"])
    indicators = sorted(frame["indicator_no"].astype(int).unique())
    years = sorted(frame["year"].astype(int).unique())
    cells = {(int(r.indicator_no), int(r.year)): float(r.value) for r in frame.itertuples()}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "SYNTETISKE DATA: indikatortall (antall), etter indikator og år",
        "source": SOURCE,
        "id": ["indikator", "ContentsCode", "Tid"],
        "size": [len(indicators), 1, len(years)],
        "dimension": {
            "indikator": {"category": {"index": [str(i) for i in indicators]}},
            "ContentsCode": {
                "category": {"index": ["Antall"], "unit": {"Antall": {"label": "antall", "decimals": 0}}}
            },
            "Tid": {"category": {"index": [str(y) for y in years]}},
        },
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "value": [cells.get((i, y)) for i in indicators for y in years],
    }


def write_samples(folder: Path, landing: Path, year: int = 2018) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    frame = population_frame(year, landing)
    paths = [
        folder / f"folkemengde_07459_{year}_SYNTETISK.json",
        folder / f"folkemengde_07459_{year}_SYNTETISK.px",
    ]
    paths[0].write_text(
        json.dumps(population_jsonstat(frame, year), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    paths[1].write_bytes(population_px(frame, year).encode("cp1252"))
    return paths


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as landing:
        for written in write_samples(Path(sys.argv[1]), Path(landing)):
            print(f"wrote {written}")
