# The front door: `make demo` (set up + run everything on the bundled sample) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export WAREHOUSE_DB ?= $(CURDIR)/data/warehouse.duckdb
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
DBT := cd dbt && $(CURDIR)/$(BIN)/dbt

.PHONY: help setup manifest demo run sample report ui docs test unit integration lint format bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced manifest  ## Create the virtualenv from uv.lock and prepare the dbt manifest

manifest: $(VENV)/.synced  ## dbt parse: build the manifest ahead of time (never at import)
	@$(DBT) parse --profiles-dir . --quiet

sample: $(VENV)/.synced  ## Write the bundled sample extracts into the landing folder
	$(BIN)/python -m dagster_project.sample.generate

run: setup  ## Run the full pipeline on what is in the landing folder (YEARS=2016-2018: backfill; FULL_REFRESH=1: rebuild every year)
	$(BIN)/python -m dagster_project.cli $(if $(YEARS),--years $(YEARS)) $(if $(FULL_REFRESH),--full-refresh)

demo: setup sample run  ## Set up and run everything on the bundled sample

report: setup  ## Rebuild a past status report edition: make report YEAR=2018 AS_OF=2019-11-01 (or a publication id)
	$(BIN)/python -m dagster_project.core.reports.editions --year $(YEAR) --as-of $(or $(AS_OF),$(shell date -u +%Y-%m-%dT%H:%M:%S))

ui: setup  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/python -c "from dagster_project.defs.run import ensure_dagster_home; ensure_dagster_home()"
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs: setup  ## dbt docs site, offline, one file: dbt/target/static_index.html (types from the warehouse if built)
	@$(DBT) docs generate --profiles-dir . --static --quiet $(if $(wildcard $(WAREHOUSE_DB)),,--empty-catalog)
	@echo "dbt docs: $(CURDIR)/dbt/target/static_index.html (open it in a browser; no server needed)"

# Tests run on every core (at most 4 workers), worksteal-balanced: TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal)

test: setup lint  ## Lint, unit and integration tests (TEST_WORKERS=0: in one process)
	$(PYTEST)

unit: setup  ## Unit tests only
	$(PYTEST) tests/unit

lint: $(VENV)/.synced  ## ruff and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd dbt && $(CURDIR)/$(BIN)/sqlfluff lint models macros tests

format: $(VENV)/.synced  ## Apply ruff formatting and sqlfluff fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	cd dbt && $(CURDIR)/$(BIN)/sqlfluff fix models

bench: setup  ## Benchmark: SF1/SF10/SF100 builds against plain DuckDB (SCENARIOS=sf1_3y REPEAT=3)
	$(BIN)/python -m benchmarks.run $(if $(SCENARIOS),--scenarios $(SCENARIOS)) $(if $(REPEAT),--repeat $(REPEAT))

clean:  ## Remove generated data and the environments
	rm -rf data dbt/target $(VENV) $(TOOLS)
