# faellesborger: `make build` builds the warehouse on the shipped synthetic delivery,
# `make test` runs every check. Both set up everything they need from nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
RAW_DIR ?= data/raw
YEAR ?= 2020
SEED ?= 2020
SCALE ?= 1
DB := $(or $(FAELLESBORGER_DB),data/faellesborger.duckdb)
FIGURES_DIR ?= docs/figures
# Extra arguments for `dbt build` in `build` and `dbt-test` (e.g. --select, --exclude).
DBT_ARGS ?=
# pytest runs test modules side by side on this many workers (pytest-xdist; a module's
# tests stay on one worker, which builds the module's warehouses once). 1 runs them in
# one process. Each worker's builds use up to DuckDB's memory_limit (2.5 GB) or a Spark
# driver (4 GB).
PYTEST_WORKERS ?= 2
PYTEST = $(BIN)/pytest $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile)
# The warehouse holds pseudonymised person-level rows: the run itself makes it (and its
# WAL, dbt.log, dbt's artefacts; on Spark the tables) readable by its owner only, not the
# Makefile (src/faellesborger/dbt_plugin.py, profiles.yml). The publication (publish/
# beside the warehouse: data/publish) is public and sets its own modes.
# The Spark stack lives in its own venv; `make build` and `make test` never need it.
SPARK_VENV := .venv-spark
SPARK_BIN := $(CURDIR)/$(SPARK_VENV)/bin
# Spark's warehouse (parquet tables), Derby metastore, dbt target and logs: all under one
# ignored folder, absolute so that Spark and Derby resolve it alike.
SPARK_BUILD_DIR ?= $(CURDIR)/build/spark
# `faellesborger build` (src/faellesborger/dbt_run.py): dbt build with progress lines and a
# summary; dbt's full log stays in logs/dbt.log. Exit code non-zero on any failure.
DBT_BUILD = $(BIN)/faellesborger build $(DBT_ARGS)
# The BI tool (Apache Superset) lives in its own venv; its metadata database, secret key,
# pid file and log in BI_DIR (ignored). It serves the publication only, on 127.0.0.1.
BI_VENV := .venv-bi
BI_BIN := $(CURDIR)/$(BI_VENV)/bin
BI_DIR ?= $(CURDIR)/build/bi
BI_PORT ?= 8088

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export FAELLESBORGER_RAW_DIR := $(RAW_DIR)
export FAELLESBORGER_DB := $(DB)
export SPARK_BUILD_DIR
export FAELLESBORGER_BI_DIR := $(BI_DIR)
export FAELLESBORGER_BI_PORT := $(BI_PORT)
export SUPERSET_CONFIG_PATH := $(CURDIR)/bi/superset_config.py

.PHONY: help venv data build test lint typecheck sqllint conventions dbt-test quality pytest clean lock figures figures-bilag1a \
	bench venv-spark build-spark test-spark lock-spark \
	venv-bi bi bi-serve bi-stop bi-browser test-bi bi-screenshot lock-bi

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

venv: $(VENV)/.installed  ## create .venv with the pinned dependencies

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

data: venv  ## write the synthetic delivery into RAW_DIR unless it holds one
	$(BIN)/faellesborger generate --out $(RAW_DIR) --seed $(SEED) --scale $(SCALE) --if-empty

build: data  ## dbt build on the delivery (and the publication in data/publish/): progress, a summary, then Tabel 3 for YEAR (default 2020)
	mkdir -p $(dir $(DB))
	$(DBT_BUILD)
	$(BIN)/faellesborger tabel3 --db $(DB) --year $(YEAR)

$(DB):
	$(MAKE) build

figures: venv $(DB)  ## render Figur 1 and 2 of YEAR from the warehouse as PNG and SVG into FIGURES_DIR
	$(BIN)/faellesborger figures --db $(DB) --year $(YEAR) --out $(FIGURES_DIR)

figures-bilag1a: venv $(DB)  ## render Bilag 1a's Figur 1 (durations per group, 30 September 2021) into FIGURES_DIR from rpt_publication_benefit_duration
	$(BIN)/faellesborger bilag1a-figure --db $(DB) --out $(FIGURES_DIR)

dbt-test: data
	mkdir -p $(dir $(DB))
	$(DBT_BUILD)

lint: venv  ## ruff on the Python package, the benchmark, the dbt-bouncer check, the tests and the Superset config
	$(BIN)/ruff check src bench bouncer tests bi

typecheck: venv  ## mypy: strict on the package (src/) and bouncer/, lighter on the benchmark (bench/); pyproject.toml [tool.mypy]
	$(BIN)/mypy

sqllint: data  ## sqlfluff (duckdb dialect, dbt templater) on every model, test and analysis
	mkdir -p target
	FAELLESBORGER_DB=target/sqlfluff.duckdb $(BIN)/sqlfluff lint models tests analyses --processes 1

conventions: dbt-test  ## the project's structure rules (dbt-bouncer.yml) on dbt's manifest
	$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml

quality: dbt-test  ## Great Expectations suites on the built warehouse (read-only), Data Docs in target/gx/data_docs
	$(BIN)/faellesborger quality --db $(DB) --docs target/gx/data_docs

pytest: venv  ## pytest, without the Spark comparison (marker spark: `make test-spark`), on PYTEST_WORKERS workers
	$(PYTEST) -m "not spark"

venv-spark: $(SPARK_VENV)/.installed  ## create .venv-spark with the pinned Spark stack (dbt-spark, pyspark; ~630 MB)

$(SPARK_VENV)/.installed: requirements-spark.lock
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.lock
	touch $@

build-spark: venv-spark data  ## dbt build --target spark on the delivery: parquet tables in SPARK_BUILD_DIR/warehouse
	rm -rf $(SPARK_BUILD_DIR) && mkdir -p $(SPARK_BUILD_DIR)
	$(SPARK_BIN)/dbt build --target spark $(DBT_ARGS) \
		--target-path $(SPARK_BUILD_DIR)/target --log-path $(SPARK_BUILD_DIR)/logs

test-spark: dbt-test build-spark  ## the warehouse on DuckDB and on Spark, then pytest compares every public mart
	$(PYTEST) -m spark

# After the build and the two checks that read dbt's target/ (conventions, semantic), the
# one-process checks run side by side on CHECK_JOBS jobs, each check's output printed whole
# when it ends: sqlfluff's dbt templater (about 2.5 minutes) beside mypy and the GX suites
# (about 1.5 and 0.7). `-o` keeps the sub-make from building the warehouse again. Then pytest.
CHECK_JOBS ?= 2

test: dbt-test conventions semantic  ## every check: dbt build with its tests (tests/marts: the cross-mart checks), conventions, the semantic layer, sqlfluff, ruff, mypy, GX suites, pytest
	$(MAKE) --no-print-directory -j$(CHECK_JOBS) --output-sync=target -o data -o dbt-test \
		sqllint lint typecheck quality
	$(MAKE) --no-print-directory pytest

# --- dbt's operational conventions (docs/dbt-operations.md, docs/semantic-layer.md) ---
.PHONY: semantic freshness docs state build-changed
# The publish dir (docs/publication.md): FAELLESBORGER_PUBLISH_DIR, else publish/ beside
# the warehouse. The docs site goes beside the publication: public like it, no data.
PUBLISH_DIR := $(or $(FAELLESBORGER_PUBLISH_DIR),$(dir $(DB))publish)
DOCS_DIR ?= $(PUBLISH_DIR)/docs
# Slim CI: the manifest `make state` saves and `make build-changed` compares against.
STATE_DIR ?= build/state

semantic: dbt-test  ## the semantic layer: mf validate-configs, its semantics and its queries on the built warehouse (read-only)
	FAELLESBORGER_DBT_TARGET=semantic $(BIN)/mf validate-configs

freshness: data  ## dbt source freshness: the age of each raw extract's latest extraction date (warns after 100 days, never errors)
	mkdir -p $(dir $(DB))
	$(BIN)/dbt source freshness

docs: venv $(DB)  ## dbt's static docs site (models, lineage, exposures, macros, metrics) into DOCS_DIR (data/publish/docs/index.html)
	$(BIN)/dbt docs generate --static
	mkdir -p $(DOCS_DIR)
	install -m 0644 target/static_index.html $(DOCS_DIR)/index.html
	@echo "The docs site: $(DOCS_DIR)/index.html"

state: venv  ## save dbt's manifest of the working tree as the Slim CI baseline in STATE_DIR (build/state)
	$(BIN)/dbt parse
	mkdir -p $(STATE_DIR)
	cp target/manifest.json $(STATE_DIR)/manifest.json
	@echo "Saved $(STATE_DIR)/manifest.json: 'make build-changed' builds what changes after this."

build-changed: data  ## Slim CI: dbt build of the models changed since `make state` and everything downstream (state:modified+)
	@test -f $(STATE_DIR)/manifest.json || { echo "No saved manifest in $(STATE_DIR): run 'make state' on the baseline first."; exit 1; }
	mkdir -p $(dir $(DB))
	$(BIN)/dbt build --select state:modified+ --state $(STATE_DIR) $(DBT_ARGS)

venv-bi: $(BI_VENV)/.installed  ## create .venv-bi with the pinned BI stack (Apache Superset, duckdb-engine, playwright; ~1.1 GB)

$(BI_VENV)/.installed: requirements-bi.lock
	$(PYTHON) -m venv $(BI_VENV)
	$(BI_BIN)/pip install --quiet --disable-pip-version-check -r requirements-bi.lock
	touch $@

bi: venv-bi venv $(DB)  ## Superset on the publication: metadata database in BI_DIR, the publication registered read-only, the dashboard from bi/dashboard/, served on 127.0.0.1:BI_PORT
	$(BIN)/faellesborger bi-bundle --publish-dir $(dir $(DB))publish --out $(BI_DIR)/dashboard.zip
	bi/superset-setup $(BI_BIN) $(BI_DIR)/dashboard.zip
	$(MAKE) --no-print-directory bi-serve

bi-serve: venv-bi  ## start Superset (gunicorn) in the background on 127.0.0.1:BI_PORT; pid in BI_DIR/superset.pid, log in BI_DIR/superset.log
	bi/superset-serve $(BI_BIN)

bi-stop:  ## stop the Superset started by `make bi` / `make bi-serve`
	bi/superset-stop

bi-browser:  ## install Debian's chromium (and a font) with apt-get unless /usr/bin/chromium exists: the browser of test-bi
	@if [ -x /usr/bin/chromium ]; then echo "Chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else \
		if [ "$$(id -u)" = 0 ]; then apt=apt-get; else apt="sudo apt-get"; fi; \
		$$apt update -qq && DEBIAN_FRONTEND=noninteractive $$apt install -y -qq --no-install-recommends \
			chromium fonts-dejavu-core >/dev/null && echo "Installed $$(/usr/bin/chromium --version 2>/dev/null)"; \
	fi

test-bi: bi-browser bi  ## the dashboard in headless Chromium (/usr/bin/chromium): logs in, screenshots, checks the charts show the publication's values
	$(BI_BIN)/pytest -m bi -p no:cacheprovider tests/bi; status=$$?; bi/superset-stop; exit $$status

bi-screenshot: bi-browser bi  ## as test-bi, and save the screenshot to FIGURES_DIR/superset_dashboard.png (for the README)
	FAELLESBORGER_BI_SCREENSHOT=$(FIGURES_DIR)/superset_dashboard.png \
		$(BI_BIN)/pytest -m bi -p no:cacheprovider tests/bi; status=$$?; bi/superset-stop; exit $$status

lock-bi:  ## re-pin requirements-bi.lock from requirements-bi.in in a scratch venv
	rm -rf /tmp/faellesborger-lock-bi && $(PYTHON) -m venv /tmp/faellesborger-lock-bi
	/tmp/faellesborger-lock-bi/bin/pip install --quiet -r requirements-bi.in
	/tmp/faellesborger-lock-bi/bin/pip freeze > requirements-bi.lock

bench: venv  ## the benchmark (bench/run): scales 1, 10 and 30 against the floor and the pandas peer; appends to BENCHMARKS.md
	bench/run $(BENCH_ARGS)

lock-spark:  ## re-pin requirements-spark.lock from requirements-spark.in in a scratch venv
	rm -rf /tmp/faellesborger-lock-spark && $(PYTHON) -m venv /tmp/faellesborger-lock-spark
	/tmp/faellesborger-lock-spark/bin/pip install --quiet -r requirements-spark.in
	/tmp/faellesborger-lock-spark/bin/pip freeze > requirements-spark.lock

lock:  ## re-pin requirements.lock from requirements.in in a scratch venv
	rm -rf /tmp/faellesborger-lock && $(PYTHON) -m venv /tmp/faellesborger-lock
	/tmp/faellesborger-lock/bin/pip install --quiet -r requirements.in
	/tmp/faellesborger-lock/bin/pip freeze > requirements.lock

clean:  ## remove the warehouse, dbt's target folder, the generated delivery, the publication and the Spark build
	rm -rf target logs data publish $(SPARK_BUILD_DIR)
