"""SPSS deliveries as SPSS writes them: «ikke aktuelt» / «har ikke» declared user-missing, and a
'no answer' code declared missing, read exactly as the same wave without declarations; a
declaration that calls a real answer missing is refused with a named rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from dagster_project.core.ingest import user_satisfaction
from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.survey_microdata import load_codebook
from dagster_project.sample.surveys import write_user_satisfaction

NOT_APPLICABLE_SCALES = {"degree5_na": 6, "degree5_hasnot": 7}
NO_ANSWER = 99


@pytest.fixture(scope="module")
def plain_wave(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample wave as written without any missing-value declaration."""
    return write_user_satisfaction(tmp_path_factory.mktemp("plain"))


def declared_variant(
    plain: Path, target_root: Path, declarations: dict[str, list], blanks_as: float | None
) -> Path:
    data, meta = pyreadstat.read_sav(str(plain), user_missing=True)
    if blanks_as is not None:
        for variable in declarations:
            data[variable] = data[variable].fillna(blanks_as)
    folder = target_root / "user_satisfaction" / plain.parent.name
    folder.mkdir(parents=True)
    path = folder / plain.name
    pyreadstat.write_sav(
        data,
        str(path),
        file_label=meta.file_label,
        column_labels=[meta.column_names_to_labels[c] for c in data.columns],
        variable_value_labels=meta.variable_value_labels,
        missing_ranges=declarations,
        note=meta.notes,
    )
    return path


def not_applicable_items() -> dict[str, int]:
    codebook = load_codebook(user_satisfaction.SOURCE, 2017)
    return {
        code: NOT_APPLICABLE_SCALES[item.scale_code]
        for code, item in codebook.items.items()
        if item.scale_code in NOT_APPLICABLE_SCALES
    }


def test_user_missing_declarations_read_as_the_plain_wave(plain_wave: Path, tmp_path: Path) -> None:
    items = not_applicable_items()
    assert items, "the 2017 codebook has items with «ikke aktuelt» / «har ikke»"
    declarations = {variable: [code, NO_ANSWER] for variable, code in items.items()}
    variant = declared_variant(plain_wave, tmp_path, declarations, blanks_as=NO_ANSWER)
    assert pyreadstat.read_sav(str(variant), user_missing=True)[1].missing_ranges  # really declared

    plain = user_satisfaction.read_extract(plain_wave).frame
    declared = user_satisfaction.read_extract(variant).frame
    pd.testing.assert_frame_equal(plain, declared)
    not_applicable = declared[declared["variable"].isin(list(items)) & declared["code"].isin([6, 7])]
    assert len(not_applicable) > 0  # «ikke aktuelt» kept as an answer, not turned into missing


def test_a_declaration_that_calls_an_answer_missing_is_refused(plain_wave: Path, tmp_path: Path) -> None:
    variable = next(iter(not_applicable_items()))
    variant = declared_variant(plain_wave, tmp_path, {variable: [{"lo": 4, "hi": 7}]}, blanks_as=None)
    with pytest.raises(ExtractError) as caught:
        user_satisfaction.read_extract(variant)
    error = caught.value
    assert (error.rule, error.column) == ("user_missing_matches_codebook", variable)
    assert "code 4" in str(error) and error.row is not None
