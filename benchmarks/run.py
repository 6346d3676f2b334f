"""``make bench``: how long the warehouse takes at national volume and beyond, and where the time goes.

Per scenario (scale factor x years of generated extracts, see ``dagster_project.sample.scale``):

- **full build**: ``python -m dagster_project.cli`` on an empty warehouse, wall time, time per stage
  (ingest = read, GE checks and load of each delivery in one step; dbt, reports, publish, other)
  and the peak memory of the process tree;
- **new year**: the same run on a warehouse that already holds every year but the last, after the
  last year's deliveries arrived (earlier years are unchanged files and are not read again);
- **reference**: the same work as plain DuckDB in one process (``benchmarks.reference``).

Each measurement is repeated (``--repeat``); the table shows the median and the spread. Figures go
to ``data/bench/latest.json``. Timings are not pass/fail: each target is printed with its measured
figure and whether it was met, for a person to judge on the machine at hand. Correctness is: the
run fails when the marts of the full build, of the new-year (incremental) build and of the
reference are not identical (``benchmarks.marts``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.marts import compare_files
from benchmarks.measure import DBT_TARGET, STAGE_NAMES, RunMeasure, Workspace, median_and_spread, run_pipeline
from dagster_project.settings import REPO_ROOT

BENCH_DIR = REPO_ROOT / "data" / "bench"


@dataclass(frozen=True)
class Scenario:
    name: str
    scale_factor: int
    first_year: int
    last_year: int
    #: Runs per measurement unless ``--repeat`` says otherwise (an SF100 build takes many minutes).
    repeat: int = 3

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("sf1_3y", 1, 2016, 2018),
        Scenario("sf10_10y", 10, 2016, 2025),
        Scenario("sf100_10y", 100, 2016, 2025, repeat=2),
    )
}


@dataclass(frozen=True)
class Target:
    """One speed or memory target: the figure it is about, and its limit (printed, never asserted)."""

    scenario: str
    what: str
    key: str
    limit: float
    unit: str


TARGETS = (
    Target("sf1_3y", "full build (quiet machine)", "full_build_s_median", 25, "s"),
    Target("sf1_3y", "full build / reference", "ratio_to_reference", 10, "x"),
    Target("sf1_3y", "one new year", "new_year_s_median", 12, "s"),
    Target("sf100_10y", "full build / reference", "ratio_to_reference", 1.5, "x"),
    Target("sf10_10y -> sf100_10y", "growth (time ratio / row ratio)", "growth", 1.1, ""),
    Target("sf100_10y", "peak RSS of the process tree", "peak_rss_mb", 1536, "MB"),
)


def _generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "dagster_project" / "sample").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".csv", ".json"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def landing_for(scenario: Scenario) -> Path:
    """The scenario's generated extracts, made once and reused while the generator is unchanged."""
    landing = BENCH_DIR / "landing" / scenario.name
    marker = landing / ".generated"
    stamp = f"{scenario.scale_factor} {scenario.first_year}-{scenario.last_year} {_generator_fingerprint()}"
    if marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        return landing
    from dagster_project.sample.scale import write_scaled

    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    print(f"  generating {scenario.name} into {landing} ...", flush=True)
    write_scaled(landing, scenario.scale_factor, (scenario.first_year, scenario.last_year))
    marker.write_text(stamp, encoding="utf-8")
    return landing


def _linked_landing(landing: Path, target: Path, exclude_year: int | None) -> Path:
    """A landing folder holding the generated deliveries, optionally without one year.

    The files are hard links (copies where the file system has none): cheap, and real files in the
    landing area, where a symbolic link out of it is refused like any hostile delivery.
    """
    shutil.rmtree(target, ignore_errors=True)
    for source in sorted(p for p in landing.iterdir() if p.is_dir()):
        for year in sorted(p for p in source.iterdir() if p.is_dir()):
            if exclude_year is not None and year.name == str(exclude_year):
                continue
            folder = target / source.name / year.name
            folder.mkdir(parents=True)
            for delivered in sorted(p for p in year.iterdir() if p.is_file()):
                try:
                    os.link(delivered, folder / delivered.name)
                except OSError:
                    shutil.copy2(delivered, folder / delivered.name)
    return target


def _fresh(root: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    return root


#: Every timed run uses this one folder: dbt parses again from scratch when the warehouse path in its
#: profile changes, and a yearly run always has the same path.
RUN_ROOT = BENCH_DIR / "work" / "run"


def full_build_copy(scenario: Scenario) -> Path:
    """The scenario's last full build, kept: the new-year build's marts are compared with it, and a
    person can compare it with a warehouse built by other code (``python -m benchmarks.marts``)."""
    return BENCH_DIR / "work" / f"{scenario.name}_full_build.duckdb"


def prepare_dbt(workspace: Workspace, scale_factor: int) -> None:
    """``dbt parse`` for the run folder, as ``make run`` does before a run (not timed)."""
    dbt = str(Path(sys.executable).parent / "dbt")
    subprocess.run(
        [dbt, "parse", "--profiles-dir", ".", "--quiet", "--target-path", str(DBT_TARGET)],
        cwd=REPO_ROOT / "dbt",
        env=workspace.env(scale_factor),
        check=True,
    )


def _rows_loaded(workspace: Workspace) -> int:
    """Rows of the current load of every delivery."""
    from dagster_project.core.ingest.raw_tables import current_loads

    return sum(load.row_count for load in current_loads(workspace.root / "warehouse.duckdb").values())


def full_builds(scenario: Scenario, landing: Path, repeat: int) -> tuple[list[RunMeasure], Workspace, int]:
    measures = []
    workspace = Workspace(RUN_ROOT, landing)
    prepare_dbt(workspace, scenario.scale_factor)
    for attempt in range(repeat):
        _fresh(RUN_ROOT)
        measure = run_pipeline(workspace, scenario.scale_factor, BENCH_DIR / f"{scenario.name}_full.log")
        print(f"    full build {attempt + 1}/{repeat}: {measure.wall_s:.1f} s", flush=True)
        measures.append(measure)
    shutil.copy2(RUN_ROOT / "warehouse.duckdb", full_build_copy(scenario))
    return measures, workspace, _rows_loaded(workspace)


def new_year_runs(scenario: Scenario, landing: Path, repeat: int) -> list[RunMeasure]:
    """Build every year but the last once (untimed), then time adding the last year to copies of it."""
    snapshot = BENCH_DIR / "work" / "before_new_year"
    _fresh(RUN_ROOT)
    before = Workspace(
        RUN_ROOT, _linked_landing(landing, RUN_ROOT / "landing", exclude_year=scenario.last_year)
    )
    run_pipeline(before, scenario.scale_factor, BENCH_DIR / f"{scenario.name}_before_new_year.log")
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(RUN_ROOT, snapshot, symlinks=True)
    measures = []
    for attempt in range(repeat):
        shutil.rmtree(RUN_ROOT)
        shutil.copytree(snapshot, RUN_ROOT, symlinks=True)
        workspace = Workspace(RUN_ROOT, _linked_landing(landing, RUN_ROOT / "landing", exclude_year=None))
        measure = run_pipeline(workspace, scenario.scale_factor, BENCH_DIR / f"{scenario.name}_new_year.log")
        print(f"    new year {attempt + 1}/{repeat}: {measure.wall_s:.1f} s", flush=True)
        measures.append(measure)
        _require_same_marts(full_build_copy(scenario), RUN_ROOT / "warehouse.duckdb", "the new-year build")
    shutil.rmtree(snapshot)
    return measures


def _require_same_marts(full_build: Path, other: Path, what: str) -> None:
    """A faster build that computes something else is no faster build: stop the benchmark."""
    count, differing = compare_files(full_build, other)
    if differing:
        lines = "\n".join(f"  {table}: {how}" for table, how in differing.items())
        raise RuntimeError(f"{what} gives other marts than the full build:\n{lines}")
    print(f"    marts of {what} = full build ({count} marts)", flush=True)


def reference_runs(scenario: Scenario, landing: Path, workspace: Workspace, repeat: int) -> list[dict]:
    results = []
    for attempt in range(repeat):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.reference",
                "--landing",
                str(landing),
                "--pipeline-db",
                str(workspace.root / "warehouse.duckdb"),
                "--work",
                str(BENCH_DIR / "work" / "reference"),
            ],
            cwd=REPO_ROOT,
            env=workspace.env(scenario.scale_factor),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0 and not completed.stdout.strip():
            raise RuntimeError(f"the reference failed:\n{completed.stdout}\n{completed.stderr}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        if result["marts_differing_from_pipeline"]:
            raise RuntimeError(f"the reference's marts differ: {result['marts_differing_from_pipeline']}")
        total = result["bulk_load_s"] + result["transform_s"]
        print(f"    reference {attempt + 1}/{repeat}: {total:.1f} s (same marts as the pipeline)", flush=True)
        results.append(result)
    return results


def measure_scenario(scenario: Scenario, repeat: int) -> dict:
    print(f"{scenario.name}: scale factor {scenario.scale_factor}, {scenario.years} years", flush=True)
    landing = landing_for(scenario)
    full, workspace, rows = full_builds(scenario, landing, repeat)
    references = reference_runs(scenario, landing, workspace, repeat)
    new_year = new_year_runs(scenario, landing, repeat)

    full_s, full_spread = median_and_spread([m.wall_s for m in full])
    new_s, new_spread = median_and_spread([m.wall_s for m in new_year])
    ref_s, ref_spread = median_and_spread([r["bulk_load_s"] + r["transform_s"] for r in references])
    stages = {name: median_and_spread([m.stages[name] for m in full])[0] for name in STAGE_NAMES}
    bulk = median_and_spread([r["bulk_load_s"] for r in references])[0]
    transform = median_and_spread([r["transform_s"] for r in references])[0]
    ingest = stages["ingest"]
    return {
        "scenario": scenario.name,
        "scale_factor": scenario.scale_factor,
        "years": scenario.years,
        "first_year": scenario.first_year,
        "last_year": scenario.last_year,
        "repeat": repeat,
        "rows_loaded": rows,
        "full_build_s_median": full_s,
        "full_build_s_spread": full_spread,
        "full_build_s_runs": [m.wall_s for m in full],
        "full_build_stages_s_median": stages,
        "new_year_s_median": new_s,
        "new_year_s_spread": new_spread,
        "new_year_s_runs": [m.wall_s for m in new_year],
        "new_year_stages_s_median": {
            name: median_and_spread([m.stages[name] for m in new_year])[0] for name in STAGE_NAMES
        },
        "reference_s_median": ref_s,
        "reference_s_spread": ref_spread,
        "reference_bulk_load_s_median": bulk,
        "reference_transform_s_median": transform,
        "ratio_to_reference": full_s / ref_s,
        "ratio_by_stage": {
            "ingest (read + GE + load) / bulk load": ingest / bulk,
            "dbt / compiled SQL": stages["dbt"] / transform,
        },
        "peak_rss_mb": max(m.peak_rss_mb for m in full + new_year),
        "rows_per_s": rows / full_s,
    }


def print_table(results: list[dict]) -> None:
    header = (
        f"{'scenario':<11}{'rows':>11}{'full build s':>15}{'new year s':>13}{'reference s':>13}"
        f"{'ratio':>7}{'ingest':>8}{'dbt':>6}{'peak MB':>9}{'rows/s':>9}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for r in results:
        by_stage = list(r["ratio_by_stage"].values())
        print(
            f"{r['scenario']:<11}{r['rows_loaded']:>11,}"
            f"{r['full_build_s_median']:>9.1f} ±{100 * r['full_build_s_spread']:>3.0f}%"
            f"{r['new_year_s_median']:>7.1f} ±{100 * r['new_year_s_spread']:>3.0f}%"
            f"{r['reference_s_median']:>7.1f} ±{100 * r['reference_s_spread']:>3.0f}%"
            f"{r['ratio_to_reference']:>7.1f}{by_stage[0]:>8.1f}{by_stage[1]:>6.1f}"
            f"{r['peak_rss_mb']:>9.0f}{r['rows_per_s']:>9.0f}"
        )
    print("\n(± = spread of the repeats, (max - min) / median; ratio = pipeline / reference)")
    print("\nSeconds per stage of the full build (median):")
    print(f"{'scenario':<11}" + "".join(f"{name:>11}" for name in STAGE_NAMES))
    for r in results:
        stages = r["full_build_stages_s_median"]
        print(f"{r['scenario']:<11}" + "".join(f"{stages[name]:>11.1f}" for name in STAGE_NAMES))
    print_targets(results)


def growth(results: list[dict]) -> float | None:
    """SF10 -> SF100: (time ratio) / (row ratio); 1.0 is linear in rows."""
    by_name = {r["scenario"]: r for r in results}
    if "sf10_10y" not in by_name or "sf100_10y" not in by_name:
        return None
    small, large = by_name["sf10_10y"], by_name["sf100_10y"]
    return (large["full_build_s_median"] / small["full_build_s_median"]) / (
        large["rows_loaded"] / small["rows_loaded"]
    )


def print_targets(results: list[dict]) -> None:
    """Each target beside its measured figure; one whose scenario did not run says so."""
    by_name = {r["scenario"]: r for r in results}
    print("\nTargets:")
    print(f"{'scenario':<23}{'figure':<33}{'target':>10}{'measured':>11}  met")
    for target in TARGETS:
        if target.key == "growth":
            value = growth(results)
        else:
            value = by_name[target.scenario][target.key] if target.scenario in by_name else None
        limit = f"<= {target.limit:g} {target.unit}".rstrip()
        if value is None:
            measured, met = "-", "not run"
        else:
            measured, met = f"{value:.1f} {target.unit}".rstrip(), "yes" if value <= target.limit else "NO"
        print(f"{target.scenario:<23}{target.what:<33}{limit:>10}{measured:>11}  {met}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated, of {', '.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument("--repeat", type=int, help="runs per measurement (default: 3, and 2 for sf100_10y)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "latest.json")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; choose from {list(SCENARIOS)}")
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:  # written after each scenario: a long run that fails keeps what it measured
        scenario = SCENARIOS[name]
        result = measure_scenario(scenario, args.repeat or scenario.repeat)
        result["marts_identical"] = "full build = new year = reference"
        measured_at = datetime.now(UTC).isoformat(timespec="seconds")
        results.append({**result, "machine": {**machine, "measured_at": measured_at}})
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
