"""Survey microdata (one row per respondent, one column per variable) read into a long frame.

Why long: a survey file is wide and its columns change from wave to wave (items added, renumbered,
dropped). Loading it as one row per respondent x variable (``respondent_id, variable, code, value,
value_label``) gives every instrument and wave the same raw table, so a new wave with changed items
loads without a code or schema change: only its codebook rows are new. The codebook is data, in
``dbt/seeds/survey_items.csv`` (items per instrument and wave, with an explicit item version, scale,
role, reverse coding and index) and ``dbt/seeds/survey_response_options.csv`` (codes and labels per
scale, which codes count in percent bases, which are «ikke aktuelt»/«har ikke»). The same files are
dbt seeds, so the checks here and the marts downstream read one codebook.

Both delivered forms are supported: SPSS ``.sav`` (codes plus the file's own value labels, which
must agree with the codebook: a label the codebook does not know means the file was coded against a
different questionnaire and is rejected as a whole) and semicolon CSV (codes only; the codebook
supplies the labels). Codes outside the codebook, unknown variables, duplicate respondents and
implausible birth years are left to the Great Expectations suite, which names every failing row.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from dagster_project.core.ingest.errors import ExtractError
from dagster_project.core.ingest.identity_numbers import mask_identity_numbers, scan_columns, scan_texts
from dagster_project.core.ingest.tabular import PARSE_ERROR, SOURCE_ROW, Column, Contract, read_table
from dagster_project.settings import SEEDS_DIR, row_count_scale


def survey_contract(source: str) -> Contract:
    """The raw table of every survey source: one row per respondent and variable (see module doc)."""
    return Contract(
        source=source,
        columns=(
            Column("respondent_id", "respondent_id", "text", description="Pseudonymous respondent id"),
            Column("variable", "variable", "text", description="Variable (item code) as in the file"),
            Column("code", "code", "int", required=False, description="Response code (coded variables)"),
            Column("value", "value", "decimal", required=False, description="Value (numeric variables)"),
            Column("value_label", "value_label", "text", required=False, description="Label of the code"),
        ),
    )


@dataclass(frozen=True)
class Extract:
    frame: pd.DataFrame
    comments: tuple[str, ...]


@dataclass(frozen=True)
class CodebookItem:
    item_code: str
    role: str  # id | background | item
    scale_code: str  # empty for numeric variables (birth year)
    index_code: str = ""  # the index (survey_indices.csv) the item counts in, if any


@dataclass(frozen=True)
class Codebook:
    instrument: str
    wave: int
    items: Mapping[str, CodebookItem]
    options: Mapping[str, Mapping[int, str]]  # scale_code -> code -> label

    @property
    def id_variable(self) -> str:
        return next(i.item_code for i in self.items.values() if i.role == "id")

    def labels_for(self, variable: str) -> Mapping[int, str] | None:
        item = self.items.get(variable)
        if item is None or not item.scale_code:
            return None
        return self.options[item.scale_code]

    def code_pairs(self) -> list[list[object]]:
        """(variable, code) pairs the codebook allows: the GE rule 'code_in_codebook'."""
        return [
            [code_name, code]
            for code_name, item in sorted(self.items.items())
            if item.scale_code
            for code in sorted(self.options[item.scale_code])
        ]


def _seed_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load_codebook(instrument: str, wave: int) -> Codebook:
    items = {
        row["item_code"]: CodebookItem(
            row["item_code"], row["variable_role"], row["scale_code"], row.get("index_code") or ""
        )
        for row in _seed_rows("survey_items.csv")
        if row["instrument"] == instrument and int(row["wave"]) == wave
    }
    if not items:
        raise ExtractError(
            f"{instrument}/{wave}",
            "codebook_for_wave",
            f"no codebook rows for {instrument} wave {wave}: add the wave's items to "
            "dbt/seeds/survey_items.csv (and new scales to survey_response_options.csv)",
        )
    options: dict[str, dict[int, str]] = {}
    for row in _seed_rows("survey_response_options.csv"):
        options.setdefault(row["scale_code"], {})[int(row["code"])] = row["label"]
    missing = sorted({i.scale_code for i in items.values() if i.scale_code and i.scale_code not in options})
    if missing:
        raise ExtractError(
            "survey_response_options.csv", "scale_defined", f"scales without options: {missing}"
        )
    check_indices(instrument, wave, items)
    return Codebook(instrument=instrument, wave=wave, items=items, options=options)


def check_indices(instrument: str, wave: int, items: Mapping[str, CodebookItem]) -> None:
    """Every index the wave's items count in is defined for that wave, with that many items.

    A load fails rather than warns: without its row in survey_indices.csv the wave would load and
    publish with no index results at all, and a warning in a log is read after the reports went
    out. The fix is one seed row, which the message names.
    """
    defined = {
        row["index_code"]: row
        for row in _seed_rows("survey_indices.csv")
        if row["instrument"] == instrument and int(row["wave"]) == wave
    }
    members: dict[str, list[str]] = {}
    for item in items.values():
        if item.index_code:
            members.setdefault(item.index_code, []).append(item.item_code)
    for index_code, codes in sorted(members.items()):
        row = defined.get(index_code)
        if row is None:
            raise ExtractError(
                "survey_indices.csv",
                "index_defined_for_wave",
                f"{instrument} wave {wave}: items {', '.join(sorted(codes))} count in index "
                f"'{index_code}', which has no row for wave {wave} in dbt/seeds/survey_indices.csv "
                "(index_label, item_count, max_item_score, min_answered_items); nothing was loaded",
            )
        if int(row["item_count"]) != len(codes):
            raise ExtractError(
                "survey_indices.csv",
                "index_item_count",
                f"{instrument} wave {wave}: index '{index_code}' has item_count {row['item_count']} in "
                f"dbt/seeds/survey_indices.csv but {len(codes)} items in survey_items.csv "
                f"({', '.join(sorted(codes))}); nothing was loaded",
            )


def wave_of(path: Path) -> int:
    """The wave is the delivery folder's year (landing/<source>/<year>/<file>)."""
    if not (path.parent.name.isdigit() and len(path.parent.name) == 4):
        raise ExtractError(path.name, "delivery_folder_is_year", f"'{path.parent}' is not a year folder")
    return int(path.parent.name)


def _norm(label: str) -> str:
    return " ".join(str(label).split()).casefold()


def check_value_labels(
    file_name: str,
    codebook: Codebook,
    file_labels: Mapping[str, Mapping[object, str]],
    frame_rows: Mapping[str, Sequence[object]],
    row_numbers: Sequence[int],
) -> None:
    """The file's own value labels must be the codebook's: an unknown code or a different label is fatal."""
    for variable, labels in file_labels.items():
        expected = codebook.labels_for(variable)
        if expected is None:
            continue  # unknown variables are reported by the suite (variable_in_codebook)
        for raw_code, label in labels.items():
            code = int(float(raw_code))
            values = frame_rows.get(variable, [])
            first = next((row_numbers[i] for i, v in enumerate(values) if _same_code(v, code)), None)
            if code not in expected:
                raise ExtractError(
                    file_name,
                    "value_labels_match_codebook",
                    f"value label {code} = '{label}' is not in the codebook for {variable} "
                    f"({codebook.instrument} {codebook.wave}, scale {codebook.items[variable].scale_code}: "
                    f"codes {sorted(expected)})",
                    row=first,
                    column=variable,
                )
            if _norm(label) != _norm(expected[code]):
                raise ExtractError(
                    file_name,
                    "value_labels_match_codebook",
                    f"code {code} is labelled '{label}' in the file but '{expected[code]}' in the codebook "
                    f"for {variable} ({codebook.instrument} {codebook.wave})",
                    row=first,
                    column=variable,
                )


def _same_code(value: object, code: int) -> bool:
    try:
        return value is not None and not _missing(value) and float(value) == code
    except (TypeError, ValueError):
        return False


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def melt(
    codebook: Codebook,
    columns: Mapping[str, Sequence[object]],
    row_numbers: Sequence[int],
    file_name: str,
) -> pd.DataFrame:
    """Wide columns -> the long frame of the survey contract; unparseable cells go to parse_error."""
    id_variable = codebook.id_variable
    if id_variable not in columns:
        raise ExtractError(file_name, "respondent_id_column", f"no respondent id column '{id_variable}'")
    ids = [None if _missing(v) else _id_text(v) for v in columns[id_variable]]
    records: list[dict[str, object]] = []
    for variable, values in columns.items():
        if variable == id_variable:
            continue
        item = codebook.items.get(variable)
        labels = codebook.labels_for(variable)
        for respondent_id, row_number, cell in zip(ids, row_numbers, values, strict=True):
            code: int | None = None
            value: float | None = None
            error: str | None = None
            if not _missing(cell):
                number, error = _number(cell)
                if error is None and number is not None:
                    if item is not None and not item.scale_code:
                        value = number
                    elif number != int(number):
                        error = f"'{cell}' is not a whole-number code"
                    else:
                        code = int(number)
            label = labels.get(code) if labels is not None and code is not None else None
            records.append(
                {
                    "respondent_id": respondent_id,
                    "variable": variable,
                    "code": code,
                    "value": value,
                    "value_label": label,
                    SOURCE_ROW: row_number,
                    PARSE_ERROR: f"column '{variable}': {error}" if error else None,
                }
            )
    frame = pd.DataFrame.from_records(
        records,
        columns=["respondent_id", "variable", "code", "value", "value_label", SOURCE_ROW, PARSE_ERROR],
    )
    return frame.astype(
        {
            "respondent_id": "string",
            "variable": "string",
            "code": "Int64",
            "value": "Float64",
            "value_label": "string",
            SOURCE_ROW: "Int64",
            PARSE_ERROR: "string",
        }
    )


def _id_text(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _number(cell: object) -> tuple[float | None, str | None]:
    if isinstance(cell, bool):
        return None, f"'{cell}' is not a number"
    if isinstance(cell, int | float):
        return float(cell), None
    text = str(cell).strip().replace(",", ".")
    try:
        return float(text), None
    except ValueError:
        return None, f"'{cell}' is not a number"


def read_sav(path: Path, instrument: str) -> Extract:
    """An SPSS file: codes as stored, value labels from the file's dictionary checked against the
    codebook, user-missing declarations read and mapped through the codebook (``user_missing``)."""
    import pyreadstat  # heavy; only when a .sav is actually read

    if path.suffix.lower() != ".sav":
        raise ExtractError(path.name, "supported_file_type", f"'{path.suffix}' is not an SPSS .sav file")
    codebook = load_codebook(instrument, wave_of(path))
    try:
        data, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others on damaged files
        raise ExtractError(path.name, "readable_sav", f"not a readable SPSS .sav file ({exc})") from None
    if data.empty:
        raise ExtractError(path.name, "has_rows", "the file has no respondents")
    row_numbers = list(range(1, len(data) + 1))  # SPSS case numbers, as shown in SPSS's data view
    columns = {name: data[name].tolist() for name in data.columns}
    _scan_sav(path.name, columns, row_numbers, meta)
    check_value_labels(path.name, codebook, meta.variable_value_labels or {}, columns, row_numbers)
    columns = apply_user_missing(path.name, codebook, columns, row_numbers, declared_missing(meta))
    comments = tuple(c for c in [meta.file_label, *(meta.notes or [])] if c)
    return Extract(frame=melt(codebook, columns, row_numbers, path.name), comments=comments)


def _scan_sav(
    file_name: str, columns: Mapping[str, Sequence[object]], row_numbers: Sequence[int], meta
) -> None:
    """No identity number in any variable (string or numeric), name, label, value label or note."""
    scan_columns(file_name, columns, row_numbers)
    texts: dict[str, object] = {f"variable name '{mask_identity_numbers(n)}'": n for n in columns}
    for name, label in (meta.column_names_to_labels or {}).items():
        texts[f"the label of variable '{name}'"] = label or ""
    for name, labels in (meta.variable_value_labels or {}).items():
        for code, label in labels.items():
            texts[f"value label {code} of variable '{name}'"] = label
    texts["the file label"] = meta.file_label or ""
    for number, note in enumerate(meta.notes or [], start=1):
        texts[f"document note {number}"] = note
    scan_texts(file_name, texts)


UserMissing = Mapping[str, tuple[frozenset[float], tuple[tuple[float, float], ...]]]


def declared_missing(meta) -> UserMissing:
    """Per variable, the user-missing codes and ranges the file declares (SPSS 'Missing')."""
    declared: dict[str, tuple[frozenset[float], tuple[tuple[float, float], ...]]] = {}
    values = getattr(meta, "missing_user_values", None) or {}
    ranges = getattr(meta, "missing_ranges", None) or {}
    for name in set(values) | set(ranges):
        discrete = {float(v) for v in values.get(name, []) if isinstance(v, int | float)}
        spans = []
        for span in ranges.get(name, []):
            low, high = span.get("lo"), span.get("hi")
            if isinstance(low, int | float) and isinstance(high, int | float):
                if low == high:
                    discrete.add(float(low))
                else:
                    spans.append((float(low), float(high)))
        declared[name] = (frozenset(discrete), tuple(spans))
    return declared


def _is_declared(code: float, declaration: tuple[frozenset[float], tuple[tuple[float, float], ...]]) -> bool:
    discrete, spans = declaration
    return code in discrete or any(low <= code <= high for low, high in spans)


def apply_user_missing(
    file_name: str,
    codebook: Codebook,
    columns: Mapping[str, Sequence[object]],
    row_numbers: Sequence[int],
    declared: UserMissing,
) -> dict[str, list[object]]:
    """Cells as the codebook reads them, whatever the file declares user-missing.

    SPSS files often declare «ikke aktuelt» / «har ikke» (6, 7) user-missing: such a code is kept,
    since the codebook counts it as not applicable, an answer distinct from no answer. A declared
    code the codebook does not know (99 'ubesvart') is no answer: the cell becomes missing. A
    declared code the codebook counts as a real answer (a scale point, or «vet ikke» where it is in
    the percent base) contradicts the codebook, and the file is rejected (rule
    ``user_missing_matches_codebook``): the two cannot both be right.
    """
    result = {name: list(values) for name, values in columns.items()}
    for variable, declaration in declared.items():
        item = codebook.items.get(variable)
        if item is None or not item.scale_code or variable not in result:
            continue
        flags = _option_flags().get(item.scale_code, {})
        options = codebook.options[item.scale_code]
        for code in sorted(options):
            if not _is_declared(float(code), declaration):
                continue
            valid, not_applicable = flags.get(code, (True, False))
            if valid and not not_applicable:
                values = result[variable]
                first = next((row_numbers[i] for i, v in enumerate(values) if _same_code(v, code)), None)
                raise ExtractError(
                    file_name,
                    "user_missing_matches_codebook",
                    f"code {code} ('{options[code]}') is declared user-missing in the file, but the "
                    f"codebook counts it as an answer for {variable} ({codebook.instrument} "
                    f"{codebook.wave}, scale {item.scale_code}); remove the declaration or correct "
                    "the codebook",
                    row=first,
                    column=variable,
                )
        values = result[variable]
        for i, cell in enumerate(values):
            if _missing(cell) or isinstance(cell, str):
                continue
            code = float(cell)
            if _is_declared(code, declaration) and not (code.is_integer() and int(code) in options):
                values[i] = None
    return result


@cache
def _option_flags() -> dict[str, dict[int, tuple[bool, bool]]]:
    """scale_code -> code -> (is_valid_for_percent, is_not_applicable), from the codebook seed."""
    flags: dict[str, dict[int, tuple[bool, bool]]] = {}
    for row in _seed_rows("survey_response_options.csv"):
        flags.setdefault(row["scale_code"], {})[int(row["code"])] = (
            row["is_valid_for_percent"] == "true",
            row["is_not_applicable"] == "true",
        )
    return flags


def read_csv(path: Path, instrument: str) -> Extract:
    """A semicolon CSV (``#`` comment lines before the header) with codes; labels come from the codebook."""
    if path.suffix.lower() != ".csv":
        raise ExtractError(path.name, "supported_file_type", f"'{path.suffix}' is not a .csv file")
    codebook = load_codebook(instrument, wave_of(path))
    # The codebook of the wave is the contract: its variables are the headers the file may carry.
    contract = Contract(
        source=instrument, columns=tuple(Column(code, code, "text") for code in sorted(codebook.items))
    )
    table = read_table(path, contract)
    if not table.rows:
        raise ExtractError(path.name, "has_rows", "the file has a header but no respondents")
    duplicates = sorted({h for h in table.header if table.header.count(h) > 1})
    if duplicates:
        raise ExtractError(
            path.name, "unique_headers", f"columns appear twice: {duplicates}", column=duplicates[0]
        )
    columns = {h: [row[i] for row in table.rows] for i, h in enumerate(table.header)}
    return Extract(
        frame=melt(codebook, columns, table.row_numbers, path.name), comments=tuple(table.comments)
    )


def suite_parameters(instrument: str, wave: int, max_rows: int) -> dict[str, object]:
    """Values for the suite's placeholders; ``max_rows`` grows with a benchmark's row-count scale."""
    codebook = load_codebook(instrument, wave)
    return {
        "max_rows": max_rows * row_count_scale(),
        "variables": sorted(v for v in codebook.items if v != codebook.id_variable),
        "code_pairs": codebook.code_pairs(),
        "min_birth_year": wave - 110,
        "max_birth_year": wave - 15,
    }
