"""The package split: ``dagster_project.core`` is pure (no Dagster), ``dagster_project.defs`` defines.

Every import in core, at module level or inside a function, is read with ``ast``; core may import
neither Dagster (``dagster``, ``dagster_dbt``, ``dagster_duckdb`` or their submodules) nor anything
from ``dagster_project.defs``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dagster_project

PACKAGE_DIR = Path(dagster_project.__file__).parent
CORE_DIR = PACKAGE_DIR / "core"
DAGSTER_PACKAGES = ("dagster", "dagster_dbt", "dagster_duckdb")
DEFS_PACKAGE = "dagster_project.defs"
CORE_MODULES = sorted(CORE_DIR.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module an import in ``source`` names (line, dotted name), relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, node.module] if node.module else parts)
            found.append((node.lineno, base))
            # `from dagster_project import defs` names the package through the imported name
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def forbidden(module: str) -> bool:
    return module.split(".")[0] in DAGSTER_PACKAGES or (module + ".").startswith(DEFS_PACKAGE + ".")


def test_core_holds_the_pure_modules() -> None:
    names = {p.relative_to(CORE_DIR).as_posix() for p in CORE_MODULES}
    expected = {"operations/planning.py", "quality/suites.py", "serving/publish.py", "reports/editions.py"}
    assert expected <= names


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: p.relative_to(CORE_DIR).as_posix())
def test_core_module_imports_neither_dagster_nor_defs(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    imports = imported_modules(source, module_name(path), is_package=path.name == "__init__.py")
    bad = [f"line {line}: {name}" for line, name in imports if forbidden(name)]
    assert not bad, f"{path.relative_to(PACKAGE_DIR)} imports {', '.join(bad)}"


@pytest.mark.parametrize(
    "source",
    [
        "import dagster as dg",
        "import dagster_dbt.asset_decorator",
        "def f():\n    from dagster_duckdb import DuckDBResource\n",
        "from dagster import asset",
        "from dagster_project.defs.resources import WarehousePaths",
        "from dagster_project import defs",
        "import dagster_project.defs.run",
        "def f():\n    from ...defs import run\n",
        "from ...defs.engines.resource import WarehouseEngine",
    ],
)
def test_the_rule_catches_every_form(source: str) -> None:
    assert any(forbidden(name) for _, name in imported_modules(source, "dagster_project.core.x.m"))


def test_the_rule_lets_pure_imports_pass() -> None:
    source = (
        "import pandas\nimport dagster_project.core.ingest\nfrom dagster_project.settings import SEEDS_DIR\n"
        "from . import tabular\nfrom ..operations.lock import warehouse_lock\nimport dagsterish\n"
    )
    names = [name for _, name in imported_modules(source, "dagster_project.core.ingest.m")]
    assert "dagster_project.core.operations.lock" in names
    assert not [name for name in names if forbidden(name)]
