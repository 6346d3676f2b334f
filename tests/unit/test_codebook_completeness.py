"""A new wave with rows in survey_items.csv only: its load fails, naming survey_indices.csv, instead
of publishing a wave without its indices."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from dagster_project.core.ingest import survey_microdata
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.settings import SEEDS_DIR


def with_wave(seeds: Path, name: str, wave: int) -> int:
    """Append the 2017 user-survey rows of a seed again as ``wave``; returns how many."""
    path = seeds / name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    new = [
        {**r, "wave": str(wave)}
        for r in rows
        if r["instrument"] == "user_satisfaction" and r["wave"] == "2017"
    ]
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields).writerows(new)
    return len(new)


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy)
    monkeypatch.setattr(survey_microdata, "SEEDS_DIR", copy)
    survey_microdata.load_codebook.cache_clear()
    yield copy
    survey_microdata.load_codebook.cache_clear()


def test_a_wave_whose_indices_are_not_defined_fails_with_a_named_rule(seeds: Path) -> None:
    assert with_wave(seeds, "survey_items.csv", 2019)
    with pytest.raises(ExtractError) as caught:
        survey_microdata.load_codebook("user_satisfaction", 2019)
    assert caught.value.rule == "index_defined_for_wave"
    assert "survey_indices.csv" in str(caught.value) and "2019" in str(caught.value)


def test_the_wave_loads_once_its_indices_are_defined(seeds: Path) -> None:
    with_wave(seeds, "survey_items.csv", 2019)
    assert with_wave(seeds, "survey_indices.csv", 2019) == 4
    codebook = survey_microdata.load_codebook("user_satisfaction", 2019)
    assert {i.index_code for i in codebook.items.values()} >= {"overall", "mental_health"}


def test_an_index_with_the_wrong_item_count_fails(seeds: Path) -> None:
    with_wave(seeds, "survey_items.csv", 2019)
    with_wave(seeds, "survey_indices.csv", 2019)
    text = (seeds / "survey_indices.csv").read_text(encoding="utf-8")
    (seeds / "survey_indices.csv").write_text(
        text.replace(
            "user_satisfaction,2019,overall,Samlet vurdering av tjenestene,4,",
            "user_satisfaction,2019,overall,Samlet vurdering av tjenestene,5,",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ExtractError) as caught:
        survey_microdata.load_codebook("user_satisfaction", 2019)
    assert caught.value.rule == "index_item_count"
