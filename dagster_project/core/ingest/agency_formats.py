"""Statistics agencies' own table formats, JSON-stat 2.0 (``.json``) and PC-Axis (``.px``), as tables.

SSB and FHI publish their tables in these formats (SSB's API gives JSON-stat, for example population
by municipality, table 07459; the PX files are the classic Statbank export). A cube is turned into
the rows of the source's contract, so that a delivery in either format goes through the same
identity-number guard, typing, suite and messages as the CSV or XLSX one:

- the geographic dimension (JSON-stat role ``geo``, or a variable named region/kommune) gives
  ``kommunenr``; the time dimension (role ``time``, or tid/år/year) gives ``år``; a dimension whose
  id or name is a contract column (``indikator``) gives that column;
- every cell of the cube is a row, its value the contract's value column (``folkemengde``,
  ``verdi``); a missing value (JSON null, a status symbol, PX ``".."``) is an empty cell;
- ``enhet`` and ``kilde`` come from the unit of the metric (JSON-stat category ``unit``, PX
  ``UNITS``) and the dataset's source (JSON-stat ``source``, PX ``SOURCE``);
- the file's label (JSON-stat ``label``, PX ``TITLE``) and notes are its comment lines.

A row number in a message is the cell's position in the cube (1 = the first value). The formats are
parsed from their published specifications (JSON-stat 2.0, statistics Sweden's PX-file format 2013):
no third-party reader, since only the cube and a few keywords are needed.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from dagster_project.core.ingest.errors import ExtractError

SUFFIXES = (".json", ".px")
#: Contract headers filled from dimensions by role or by name, and the value column per source.
GEO_NAMES = {"region", "kommune", "kommunenr", "geo"}
TIME_NAMES = {"tid", "år", "ar", "year", "time"}
VALUE_COLUMNS = {"population": "folkemengde", "national_figures": "verdi"}


@dataclass(frozen=True)
class Dimension:
    name: str
    codes: list[str]
    role: str  # geo | time | metric | other


@dataclass(frozen=True)
class Cube:
    dimensions: list[Dimension]
    values: list[object]  # row-major, the last dimension fastest
    units: dict[str, str]  # metric code (or '') -> unit
    source: str
    comments: list[str]


def read_table(
    path: Path, source: str, headers: list[str]
) -> tuple[list[str], list[str], list[list[object]]]:
    """Header, comment lines and rows (cell texts) of an agency file, in the contract's column names."""
    cube = read_jsonstat(path) if path.suffix.lower() == ".json" else read_px(path)
    return cube_rows(cube, path.name, source, headers)


def cube_rows(
    cube: Cube, file: str, source: str, headers: list[str]
) -> tuple[list[str], list[str], list[list[object]]]:
    wanted = {h.casefold(): h for h in headers}
    value_column = VALUE_COLUMNS.get(source)
    if value_column is None or value_column.casefold() not in wanted:
        raise ExtractError(file, "supported_file_type", f"{source} is not delivered as an agency table")
    columns: list[tuple[int, str]] = []  # (dimension position, contract header)
    for position, dim in enumerate(cube.dimensions):
        name = dim.name.casefold()
        if dim.role == "geo" or name in GEO_NAMES:
            target = "kommunenr"
        elif dim.role == "time" or name in TIME_NAMES:
            target = "år"
        elif name in wanted:
            target = wanted[name]
        else:
            continue
        if target.casefold() in wanted:
            columns.append((position, wanted[target.casefold()]))
    metric = next((i for i, d in enumerate(cube.dimensions) if d.role == "metric"), None)
    out_headers = [h for _, h in columns] + [value_column]
    with_unit = "enhet" in wanted
    with_source = "kilde" in wanted
    if with_unit:
        out_headers.append(wanted["enhet"])
    if with_source:
        out_headers.append(wanted["kilde"])
    expected = math.prod(len(d.codes) for d in cube.dimensions)
    if len(cube.values) != expected:
        raise ExtractError(
            file,
            "cube_complete",
            f"the table has {len(cube.values)} values where its dimensions give {expected}",
        )
    rows: list[list[object]] = []
    for values, codes in zip(
        cube.values, itertools.product(*(d.codes for d in cube.dimensions)), strict=True
    ):
        row: list[object] = [codes[position] for position, _ in columns]
        row.append(_cell(values))
        if with_unit:
            row.append(cube.units.get(codes[metric] if metric is not None else "", cube.units.get("", "")))
        if with_source:
            row.append(cube.source)
        rows.append(row)
    return out_headers, cube.comments, rows


def _cell(value: object) -> object:
    """A cube value as the cell text the contract parses (decimal comma); missing -> empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).replace(".", ",")
    text = str(value).strip()
    return "" if re.fullmatch(r"[.:\-]+|\.\.\.?", text) else text.replace(".", ",")


def read_jsonstat(path: Path) -> Cube:
    """A JSON-stat 2.0 dataset (or a collection/bundle holding exactly one)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractError(path.name, "readable_jsonstat", f"not a readable JSON-stat file ({exc})") from None
    if isinstance(document, dict) and document.get("class") == "collection":
        items = [i for i in document.get("link", {}).get("item", []) if i.get("class") == "dataset"]
        document = items[0] if len(items) == 1 else document
    if isinstance(document, dict) and "dataset" in document and "dimension" not in document:
        document = document["dataset"]  # JSON-stat 1.x bundle shape
    if not isinstance(document, dict) or "dimension" not in document or "value" not in document:
        raise ExtractError(path.name, "readable_jsonstat", "not a JSON-stat dataset (no dimension and value)")
    if str(document.get("version", "2.0")) < "2.0":
        raise ExtractError(
            path.name, "jsonstat_version", f"JSON-stat {document.get('version')}; 2.0 expected"
        )
    ids = document.get("id") or list(document["dimension"])
    sizes = document.get("size") or [len(_category_codes(document["dimension"][i])) for i in ids]
    roles = {dim: role for role, dims in (document.get("role") or {}).items() for dim in dims}
    dimensions, units = [], {}
    for dim_id, size in zip(ids, sizes, strict=True):
        spec = document["dimension"][dim_id]
        codes = _category_codes(spec)
        if len(codes) != size:
            raise ExtractError(
                path.name, "cube_complete", f"dimension {dim_id} has {len(codes)} categories, size {size}"
            )
        role = roles.get(dim_id, "other")
        dimensions.append(Dimension(name=dim_id, codes=codes, role=role))
        if role == "metric":
            for code, unit in (spec.get("category", {}).get("unit") or {}).items():
                units[code] = str(unit.get("label") or unit.get("symbol") or "")
    total = math.prod(sizes)
    raw = document["value"]
    values = [raw.get(str(i)) for i in range(total)] if isinstance(raw, dict) else list(raw)
    comments = [str(document.get("label", ""))] + [str(n) for n in document.get("note", [])]
    extension = document.get("extension") or {}
    if "unit" in extension and "" not in units:
        units[""] = str(extension["unit"])
    return Cube(dimensions, values, units, str(document.get("source", "")), [c for c in comments if c])


def _category_codes(spec: dict) -> list[str]:
    category = spec.get("category", {})
    index = category.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda item: item[1])]
    return [str(c) for c in (category.get("label") or {})]  # a single-category dimension


_KEYWORD = re.compile(r'^\s*([A-Z][A-Z0-9-]*)(?:\[[^\]]*\])?(?:\("([^"]*)"\))?\s*=\s*(.*)$', re.S)


def read_px(path: Path) -> Cube:
    """A PC-Axis file: keywords up to DATA=, then the values (STUB variables outer, HEADING inner)."""
    raw = path.read_bytes()
    head = raw[:4000].decode("ascii", errors="replace")
    encoding = "cp1252" if re.search(r'CHARSET\s*=\s*"ANSI"', head) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    if "DATA=" not in text.replace(" ", ""):
        raise ExtractError(path.name, "readable_px", "not a PC-Axis file (no DATA= section)")
    meta_text, data_text = re.split(r"\bDATA\s*=", text, maxsplit=1)
    keywords: dict[tuple[str, str], str] = {}
    for statement in _statements(meta_text):
        match = _KEYWORD.match(statement)
        if match:
            keywords[(match.group(1), match.group(2) or "")] = match.group(3).strip()
    stub = _strings(keywords.get(("STUB", ""), ""))
    heading = _strings(keywords.get(("HEADING", ""), ""))
    if not stub and not heading:
        raise ExtractError(path.name, "readable_px", "the PC-Axis file has no STUB or HEADING")
    dimensions = []
    for name in stub + heading:
        codes = _strings(keywords.get(("CODES", name), "")) or _strings(keywords.get(("VALUES", name), ""))
        time = name in _strings(keywords.get(("TIMEVAL", name), "")) or ("TIMEVAL", name) in keywords
        dimensions.append(Dimension(name=name, codes=codes, role="time" if time else "other"))
    tokens = re.findall(r'"[^"]*"|[^\s;]+', data_text.split(";")[0])
    values: list[object] = []
    for token in tokens:
        token = token.strip('"')
        try:
            values.append(float(token))
        except ValueError:
            values.append(None if re.fullmatch(r"[.:\-]+", token) else token)
    units = {"": _strings(keywords.get(("UNITS", ""), ""))[0]} if ("UNITS", "") in keywords else {}
    source = " ".join(_strings(keywords.get(("SOURCE", ""), "")))
    comments = [
        " ".join(_strings(keywords.get((k, ""), ""))) for k in ("TITLE", "NOTE") if (k, "") in keywords
    ]
    return Cube(dimensions, values, units, source, comments)


def _statements(meta: str) -> list[str]:
    """Keyword statements end with ';' outside quotes."""
    statements, current, quoted = [], [], False
    for char in meta:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
    return statements


def _strings(value: str) -> list[str]:
    """A PX value list: quoted strings (continued across lines) separated by commas."""
    value = re.sub(r'"\s*\n\s*"', "", value)
    quoted = re.findall(r'"([^"]*)"', value)
    if quoted:
        return [q.strip() for q in quoted]
    return [v.strip() for v in value.split(",") if v.strip()]
