"""Synthetic survey microdata calibrated to the published tables (SYNTHETIC: no real respondent).

The published reports give aggregates only. This module builds respondent-level data whose
aggregates reproduce them: for the 2017 user-satisfaction survey, 491 respondents in 20 municipalities
(53/67/371 by size class) whose item distributions match Vedlegg 3 by size class and the chapter-5
national figures (top-2 count and n per item), whose complete-case index N match Tabell 2, and whose
top-2 shares reconcile with the published indicator values (every five-point item uses all five
codes, as the questionnaire does: Vedlegg 3 merges them only for printing); for the 2011 municipal
survey, 51 units
with the exact published distributions of Q1, Q2, Q11 and Q18 by size class and the national Q6/Q8
figures. Everything else (which respondent gave which answer, birth years, gender within class,
municipality) is drawn from a seeded generator, so the same code writes byte-identical files.

The 2017 wave is written as SPSS .sav (with value labels and a file label saying it is synthetic),
the 2011 wave as a semicolon CSV with a ``#`` header comment.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dagster_project.core.ingest.survey_microdata import load_codebook
from dagster_project.settings import SEEDS_DIR

DATA = Path(__file__).parent / "data" / "surveys"
USER_SATISFACTION = "user_satisfaction"
MUNICIPAL = "municipal_sample_survey"
US_WAVE = 2017
MS_WAVE = 2011

SYNTHETIC_NOTE = (
    "SYNTETISKE DATA - ikke virkelige svar. Generert av dagster_project.sample.surveys og kalibrert "
    "til publiserte tabeller (se dagster_project/sample/data/surveys/README.md)."
)

#: SPSS document lines hold 80 characters.
SAV_NOTE = "SYNTETISKE DATA - ikke virkelige svar; kalibrert til publiserte tabeller."

#: Respondents per size class (small, medium, large), municipalities per class: Vedlegg 3 Tabell 1, §5.1.
US_CLASS_SIZES = {1: 53, 2: 67, 3: 371}
US_MUNICIPALITIES = {1: 7, 2: 4, 3: 9}
US_WOMEN_PCT = {1: 30, 2: 31, 3: 29}
US_AGE = {1: (45.54, 12.636), 2: (43.70, 14.637), 3: (41.65, 12.337)}
US_ELECTRONIC = 19
#: Share of respondents leaving an item with an N/A option blank (system-missing), the rest of the
#: non-valid answers are «ikke aktuelt» / «har ikke»; chosen so the N/A-inclusive bases are ~400-450.
US_MISSING_SHARE = 0.08
#: How the merged published groups split into single codes, and how strongly an item follows the
#: latent satisfaction: (code 1 share of bottom-2, code 5 share of top-2, noise) per index, tuned so
#: the index means and Cronbach's alpha come out near Tabell 2 and Vedlegg 2.
SPLITS = {
    "overall": (0.45, 0.42, 0.6),
    "practical_help": (0.72, 0.22, 0.8),  # all five codes, as Vedlegg 3 (the index reaches 100)
    "satisfactory_help": (0.75, 0.3, 0.75),
}
DEFAULT_SPLIT = (0.5, 0.45, 1.2)
#: Indices whose complete cases lean to the less satisfied (see _index_pools), and how loosely.
POOL_LEAN = {"practical_help"}
POOL_NOISE = 2.5


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _round_half_up(x: float) -> int:
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def apportion(total: int, percents: Sequence[float]) -> list[int]:
    """Integer counts summing to total, as close as possible to the percentages (largest remainder)."""
    raw = [total * p / sum(percents) if sum(percents) else 0 for p in percents]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass
class ItemTarget:
    item_code: str
    n_by_class: dict[int, int]
    groups_by_class: dict[int, list[int]]  # bottom-2, middle, top-2 counts


def _vedlegg3_targets() -> dict[str, ItemTarget]:
    rows = _rows("user_satisfaction_2017_vedlegg3.csv")
    headlines = {r["item_code"]: r for r in _rows("user_satisfaction_2017_headlines.csv")}
    by_item: dict[str, dict[int, dict[str, float]]] = {}
    for r in rows:
        by_item.setdefault(r["item_code"], {}).setdefault(int(r["size_class"]), {})[r["column"]] = float(
            r["value"]
        )
    targets: dict[str, ItemTarget] = {}
    for item, classes in by_item.items():
        if item == "Q20":
            continue
        n = {c: int(v["Antall svar"]) for c, v in classes.items()}
        head = headlines.get(item)
        if head and head["n"]:
            n[3] += int(head["n"]) - sum(n.values())  # chapter-5 n wins; the largest class absorbs it
        pct = {
            c: [v["Ikke i det hele tatt/liten grad"], v["I noen grad"], v["I stor/svært stor grad"]]
            for c, v in classes.items()
        }
        groups = {c: apportion(n[c], pct[c]) for c in n}
        if head:
            total = sum(n.values())
            goal = int(head["count"]) if head["count"] else _round_half_up(float(head["value"]) * total / 100)
            _steer_top2(groups, n, pct, goal)
        targets[item] = ItemTarget(item, n, groups)
    return targets


def _steer_top2(
    groups: dict[int, list[int]], n: dict[int, int], pct: dict[int, list[float]], goal: int
) -> None:
    """Move single answers between middle and top-2 so the national top-2 count hits the published
    one, keeping every class within a percentage point of its published share."""
    for _ in range(50):
        diff = goal - sum(g[2] for g in groups.values())
        if diff == 0:
            return
        step = 1 if diff > 0 else -1
        candidates = []
        for c, g in groups.items():
            new_pct = (g[2] + step) * 100 / n[c]
            if abs(new_pct - pct[c][2]) <= 1.0 and (g[1] - step >= 0 or g[0] - step >= 0):
                candidates.append((abs(new_pct - pct[c][2]), c))
        if not candidates:
            return
        _, c = min(candidates)
        g = groups[c]
        g[2] += step
        if g[1] - step >= 0:
            g[1] -= step
        else:
            g[0] -= step


def _codes_for(groups: list[int], split: tuple[float, float, float]) -> list[int]:
    bottom, middle, top = groups
    ones = _round_half_up(bottom * split[0])
    fives = _round_half_up(top * split[1])
    return [1] * ones + [2] * (bottom - ones) + [3] * middle + [4] * (top - fives) + [5] * fives


def _index_pools(
    rng: random.Random,
    members: dict[int, list[int]],
    nonvalid: dict[str, dict[int, int]],
    target_n: int,
    latent: dict[int, float] | None = None,
) -> dict[int, list[int]]:
    """Respondents per class who miss at least one item of the index: sized so that the complete cases
    add up to the published index N (each item's non-valid answers are a window of this pool). With
    ``latent``, the more satisfied are likelier to miss an item (answer «ikke aktuelt»), which steers
    the complete-case mean towards the published one."""
    lows = {c: max(nv[c] for nv in nonvalid.values()) for c in members}
    highs = {c: min(len(members[c]), sum(nv[c] for nv in nonvalid.values())) for c in members}
    need = sum(len(m) for m in members.values()) - target_n
    sizes = dict(lows)
    while sum(sizes.values()) < need:
        room = [c for c in sizes if sizes[c] < highs[c]]
        if not room:
            break
        c = max(room, key=lambda k: (highs[k] - sizes[k]) / max(1, len(members[k])))
        sizes[c] += 1
    if latent is None:
        return {c: rng.sample(members[c], sizes[c]) for c in members}
    keys = {i: latent[i] + rng.gauss(0, POOL_NOISE) for m in members.values() for i in m}
    return {c: sorted(members[c], key=lambda i: -keys[i])[: sizes[c]] for c in members}


def build_user_satisfaction(seed: int = 2017) -> tuple[list[str], list[list[object]]]:
    """Columns and rows (one per respondent) of the synthetic 2017 wave."""
    rng = random.Random(seed)
    codebook = load_codebook(USER_SATISFACTION, US_WAVE)
    items = _seed_items(USER_SATISFACTION, US_WAVE)
    targets = _vedlegg3_targets()
    # respondents, ordered by class, with a latent satisfaction that makes items correlate
    respondents: list[dict[str, object]] = []
    municipality = 0
    for c, size in US_CLASS_SIZES.items():
        munis = list(range(municipality + 1, municipality + 1 + US_MUNICIPALITIES[c]))
        municipality += US_MUNICIPALITIES[c]
        women = _round_half_up(size * US_WOMEN_PCT[c] / 100)
        genders = [1] * women + [2] * (size - women)
        rng.shuffle(genders)
        mean_age, sd_age = US_AGE[c]
        for i in range(size):
            age = min(75, max(18, _round_half_up(rng.gauss(mean_age, sd_age))))
            respondents.append(
                {
                    "storrelse": c,
                    "kommune": munis[i % len(munis)],
                    "region": (munis[i % len(munis)] - 1) % 7 + 1,
                    "Q1": genders[i],
                    "Q2": float(US_WAVE - age),
                    "modus": 1,
                    "_latent": rng.gauss(0, 1),
                }
            )
    for i in rng.sample(range(len(respondents)), US_ELECTRONIC):
        respondents[i]["modus"] = 2
    members = {c: [i for i, r in enumerate(respondents) if r["storrelse"] == c] for c in US_CLASS_SIZES}

    nonvalid_sets: dict[str, dict[int, list[int]]] = {}
    index_targets = {
        r["item_code"].split(":")[1]: int(r["n"])
        for r in _rows("user_satisfaction_2017_headlines.csv")
        if r["item_code"].startswith("index:") and r["n"]
    }
    for index_code, target_n in index_targets.items():
        index_items = [i["item_code"] for i in items if i["index_code"] == index_code]
        nonvalid = {
            item: {c: US_CLASS_SIZES[c] - targets[item].n_by_class[c] for c in US_CLASS_SIZES}
            for item in index_items
        }
        latent = {i: float(r["_latent"]) for i, r in enumerate(respondents)}
        pools = _index_pools(rng, members, nonvalid, target_n, latent if index_code in POOL_LEAN else None)
        for c, pool in pools.items():
            start = 0
            for item in index_items:
                k = nonvalid[item][c]
                window = [pool[(start + j) % len(pool)] for j in range(k)] if pool else []
                nonvalid_sets.setdefault(item, {})[c] = window
                start = (start + k) % len(pool) if pool else 0

    for item in items:
        code = item["item_code"]
        if code not in targets:
            continue
        target = targets[code]
        split = SPLITS.get(item["index_code"], DEFAULT_SPLIT)
        noise = split[2]
        na_code = {"degree5_na": 6, "degree5_hasnot": 7}.get(item["scale_code"])
        for c in US_CLASS_SIZES:
            class_members = members[c]
            out = nonvalid_sets.get(code, {}).get(c)
            if out is None:
                out = rng.sample(class_members, US_CLASS_SIZES[c] - target.n_by_class[c])
            out_set = set(out)
            valid = [i for i in class_members if i not in out_set]
            valid.sort(key=lambda i: respondents[i]["_latent"] + rng.gauss(0, noise))
            for i, answer in zip(valid, _codes_for(target.groups_by_class[c], split), strict=True):
                respondents[i][code] = answer
            missing = (
                min(len(out), _round_half_up(US_CLASS_SIZES[c] * US_MISSING_SHARE)) if na_code else len(out)
            )
            for j, i in enumerate(out):
                respondents[i][code] = None if j < missing or na_code is None else na_code
    _hscl10(rng, respondents)
    _q20(rng, respondents, members)
    _q28(rng, respondents, members)
    columns = [i["item_code"] for i in items]
    rows = []
    for number, r in enumerate(respondents, start=1):
        r["lopenr"] = number
        rows.append([r.get(name) for name in columns])
    assert set(columns) <= set(codebook.items)
    return columns, rows


def _q20(rng: random.Random, respondents: list[dict[str, object]], members: dict[int, list[int]]) -> None:
    """Q20 (degrading treatment): «nei, aldri» by class (V3 Tabell 10), the «ja» answers split 12:18:7
    as in the national distribution (Figur 11)."""
    rows = [r for r in _rows("user_satisfaction_2017_vedlegg3.csv") if r["item_code"] == "Q20"]
    table = {(int(r["size_class"]), r["column"]): float(r["value"]) for r in rows}
    size = {c: int(table[(c, "Antall svar")]) for c in members}
    never = {c: _round_half_up(size[c] * table[(c, "Nei aldri")] / 100) for c in members}
    never[3] += 285 - sum(never.values())  # the national count of «nei, aldri» (Figur 11 text)
    yes_total = {c: size[c] - never[c] for c in members}
    for c, class_members in members.items():
        n = never[c] + yes_total[c]
        chosen = sorted(rng.sample(class_members, n), key=lambda i: -respondents[i]["_latent"])
        yes = apportion(yes_total[c], [12, 18, 7])
        codes = [1] * never[c] + [2] * yes[0] + [3] * yes[1] + [4] * yes[2]
        for i, code in zip(chosen, codes, strict=True):
            respondents[i]["Q20"] = code


def _hscl10(rng: random.Random, respondents: list[dict[str, object]]) -> None:
    """HSCL-10 (Q31_1-10), national distributions of Figur 19. Symptom load is mildly opposed to
    satisfaction; the respondents without an answer are nested (those missing one item come first in
    one shared order), so the complete cases are those answering the item with the lowest n."""
    order = list(range(len(respondents)))
    rng.shuffle(order)
    symptoms = [-0.25 * float(r["_latent"]) + rng.gauss(0, 1) for r in respondents]  # type: ignore[arg-type]
    for row in _rows("user_satisfaction_2017_hscl10.csv"):
        n = int(row["n"])
        out = set(order[: len(respondents) - n])
        valid = [i for i in range(len(respondents)) if i not in out]
        valid.sort(key=lambda i: symptoms[i] + rng.gauss(0, 0.85))
        counts = apportion(n, [float(row[f"pct_{c}"]) for c in range(1, 5)])
        codes = [c for c, k in zip(range(1, 5), counts, strict=True) for _ in range(k)]
        for i, code in zip(valid, codes, strict=True):
            respondents[i][row["item_code"]] = code
        for i in out:
            respondents[i][row["item_code"]] = None


def ticked_counts(sizes: dict[int, int], pct_by_class: dict[int, int], national_pct: int) -> dict[int, int]:
    """Ticks per class that round to the printed class shares and, together, to the printed national
    share: start from the nearest count per class, then move the largest classes within their
    rounding windows until the national share rounds as printed (when the windows allow it)."""
    counts = {c: _round_half_up(n * pct_by_class[c] / 100) for c, n in sizes.items()}
    windows = {
        c: [k for k in range(n + 1) if _round_half_up(100 * k / n) == pct_by_class[c]]
        for c, n in sizes.items()
    }
    total = sum(sizes.values())
    while (national := _round_half_up(100 * sum(counts.values()) / total)) != national_pct:
        step = 1 if national < national_pct else -1
        movable = [c for c in sorted(sizes, key=sizes.get, reverse=True) if counts[c] + step in windows[c]]
        if not movable:
            break
        counts[movable[0]] += step
    return counts


def _q28(rng: random.Random, respondents: list[dict[str, object]], members: dict[int, list[int]]) -> None:
    """Q28 specialist services (ticked or not, everyone): Vedlegg 3 Tabell 7 by class, with døgn/LAR as
    Figur 16 labels them, and the national shares of Figur 16 (headlines)."""
    by_class = {"Q28_1": {1: 30, 2: 22, 3: 26}, "Q28_2": {1: 9, 2: 5, 3: 9},
                "Q28_3": {1: 21, 2: 18, 3: 15}, "Q28_4": {1: 23, 2: 16, 3: 31}}  # fmt: skip
    national = {
        r["item_code"]: int(r["value"])
        for r in _rows("user_satisfaction_2017_headlines.csv")
        if r["measure"] == "share_ticked"
    }
    sizes = {c: len(class_members) for c, class_members in members.items()}
    for item, pct in by_class.items():
        counts = ticked_counts(sizes, pct, national[item])
        for c, class_members in members.items():
            ticked = set(rng.sample(class_members, counts[c]))
            for i in class_members:
                respondents[i][item] = 1 if i in ticked else 0


def _seed_items(instrument: str, wave: int) -> list[dict[str, str]]:
    with (SEEDS_DIR / "survey_items.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["instrument"] == instrument and int(r["wave"]) == wave]


def replicated(
    columns: list[str], rows: list[list[object]], id_column: str, copies: int, new_id
) -> list[list[object]]:
    """The respondents ``copies`` times over, each copy with fresh respondent ids (scaled benchmarks)."""
    if copies == 1:
        return rows
    at = columns.index(id_column)
    out = []
    for copy in range(copies):
        for number, row in enumerate(rows, start=1):
            out.append([*row[:at], new_id(copy * len(rows) + number), *row[at + 1 :]])
    return out


def write_user_satisfaction(landing_dir: Path, copies: int = 1) -> Path:
    import pandas as pd
    import pyreadstat

    columns, rows = build_user_satisfaction()
    rows = replicated(columns, rows, "lopenr", copies, lambda number: number)
    codebook = load_codebook(USER_SATISFACTION, US_WAVE)
    items = {i["item_code"]: i for i in _seed_items(USER_SATISFACTION, US_WAVE)}
    frame = pd.DataFrame(rows, columns=columns, dtype="float64")
    labels = {c: dict(codebook.labels_for(c)) for c in columns if codebook.labels_for(c)}
    folder = landing_dir / USER_SATISFACTION / str(US_WAVE)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brukertilfredshet_{US_WAVE}_SYNTETISK.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label="SYNTETISKE DATA - brukertilfredshet 2017",
        column_labels=[items[c]["item_text"][:250] for c in columns],
        variable_value_labels={c: {float(k): v for k, v in lab.items()} for c, lab in labels.items()},
        note=SAV_NOTE,
    )
    _pin_sav_timestamp(path)
    return path


def _pin_sav_timestamp(path: Path) -> None:
    """SPSS headers carry the creation date and time (bytes 92-108); pin them so the same sample has
    the same sha256 (a re-run is then an unchanged load, not a new vintage)."""
    data = bytearray(path.read_bytes())
    data[92:101] = b"01 Nov 17"
    data[101:109] = b"12:00:00"
    path.write_bytes(bytes(data))


def build_municipal(seed: int = 2011) -> tuple[list[str], list[list[object]]]:
    """51 units (48 municipalities + 3 Oslo districts) with the published distributions by size class."""
    rng = random.Random(seed)
    class_sizes = {1: 26, 2: 9, 3: 7, 4: 9}
    units: list[dict[str, object]] = []
    for c, size in class_sizes.items():
        for _ in range(size):
            units.append({"storrelse": c, "enhetstype": 1, "tilskudd": 1})
    for i in [j for j, u in enumerate(units) if u["storrelse"] == 4][-3:]:
        units[i]["enhetstype"] = 2  # the three Oslo districts are in the largest class
    no_grant = [j for j, u in enumerate(units) if u["storrelse"] == 1][:14] + [
        j for j, u in enumerate(units) if u["storrelse"] == 2
    ][:2]
    for j in no_grant:
        units[j]["tilskudd"] = 0
    members = {c: [i for i, u in enumerate(units) if u["storrelse"] == c] for c in class_sizes}
    counts: dict[str, dict[int, list[int]]] = {}
    for r in _rows("municipal_sample_survey_2011_counts.csv"):
        counts.setdefault(r["item_code"], {}).setdefault(int(r["size_class"]), []).extend(
            [int(r["code"])] * int(r["n"])
        )
    for item, by_class in counts.items():
        for c, codes in by_class.items():
            shuffled = list(codes)
            rng.shuffle(shuffled)
            for i, code in zip(members[c], shuffled, strict=True):
                units[i][item] = code
    q6 = [1] * 11 + [2] * 21 + [3] * 19
    rng.shuffle(q6)
    for i, code in enumerate(q6):
        units[i]["Q6"] = code
    q8 = {1: 36, 2: 24, 3: 33, 4: 17, 5: 30, 6: 38, 7: 11, 8: 0}
    for k, n in q8.items():
        ticked = set(rng.sample(range(len(units)), n))
        for i, u in enumerate(units):
            u[f"Q8_{k}"] = 1 if i in ticked else 0
    columns = [i["item_code"] for i in _seed_items(MUNICIPAL, MS_WAVE)]
    rows = []
    for number, u in enumerate(units, start=1):
        u["enhet"] = f"E{number:02d}"
        rows.append([u.get(c) for c in columns])
    return columns, rows


def write_municipal(landing_dir: Path, copies: int = 1) -> Path:
    columns, rows = build_municipal()
    rows = replicated(columns, rows, "enhet", copies, lambda number: f"E{number:02d}")
    folder = landing_dir / MUNICIPAL / str(MS_WAVE)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"utvalgsundersokelse_kommuner_{MS_WAVE}_SYNTETISK.csv"
    lines = [f"# {SYNTHETIC_NOTE}", ";".join(columns)]
    lines += [";".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_surveys(landing_dir: Path, copies: int = 1) -> list[Path]:
    return [write_user_satisfaction(landing_dir, copies), write_municipal(landing_dir, copies)]
