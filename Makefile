# AcuEvidence: `make demo` runs the site on SQLite with the demo corpus; `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/acuevidence_test
DEMO_SETTINGS := acuevidence.config.settings.dev
TEST_SETTINGS := acuevidence.config.settings.test
PYTEST_ARGS ?= -n 2
# The Django-free core (tests/evidence) touches no database: it runs in the SQLite pass only.
PG_ONLY_ARGS ?= --ignore=tests/evidence

.PHONY: install system-deps demo serve test lint test-sqlite test-postgres reference benchmarks clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian packages the test suite needs (real Chromium for browser tests). Needs root, as on CI.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (apt-get)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(BIN)/python manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(BIN)/acuevidence demo
	@echo "Serving AcuEvidence at http://127.0.0.1:8000 (admin at http://127.0.0.1:8000/admin/); Ctrl-C stops it."
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(BIN)/python manage.py runserver 127.0.0.1:8000

serve: install
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run
	scripts/audit.sh

test-sqlite: install system-deps
	@echo "== Test suite on SQLite =="
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install system-deps
	@echo "== Test suite on PostgreSQL ($(PG_TEST_URL)) =="
	@if DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python scripts/check_database.py; then \
	  DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest $(PYTEST_ARGS) $(PG_ONLY_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is required on CI but is not reachable at $(PG_TEST_URL)."; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL is not reachable at $(PG_TEST_URL); start it or set PG_TEST_URL to run this pass."; \
	fi

test: lint test-sqlite test-postgres

reference:
	Rscript scripts/metafor_reference.R

benchmarks: install
	$(BIN)/python benchmarks/meta.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
