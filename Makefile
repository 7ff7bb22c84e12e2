# RunStrong developer commands. CI calls the same targets (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
UV := python3 -m uv
LOCAL_ENV := DEBUG=true HTTPS=false

.PHONY: help install install-dev assets run migrate seed test test-clock lint format typecheck worker bench bench-smoke backup restore clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) venv --quiet --python $(PYTHON_VERSION) $(VENV)

install: $(VENV)/bin/python ## Install the app's dependencies (pinned, hashed)
	$(UV) pip sync --quiet --python $(PY) requirements/base.txt

install-dev: $(VENV)/bin/python ## Install the app, test and lint dependencies
	$(UV) pip sync --quiet --python $(PY) requirements/dev.txt

# Browser-side test tools (axe-core) from package-lock.json, reinstalled when the lock changes.
# `make test` installs them only where npm exists; without them the axe tests skip (fail in CI).
NPM := $(shell command -v npm 2>/dev/null)
TEST_ASSETS := $(if $(NPM),assets)

# tus-js-client (the resumable video upload) is copied into static/vendor/, which git ignores.
VENDOR_JS := static/vendor/tus.min.js

assets: node_modules/.package-lock.json $(VENDOR_JS) ## Install npm assets (tus-js-client, axe-core) from the lockfile

# The same script as the Docker build: each file with the source map it names.
$(VENDOR_JS): node_modules/.package-lock.json deploy/build-static.sh
	deploy/build-static.sh vendor node_modules $(dir $@)

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

run: install $(TEST_ASSETS) ## Install, migrate, load the demo and serve on http://127.0.0.1:8000
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py seed_demo
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev $(TEST_ASSETS) ## Install everything and run the whole suite
	@set -a; eval "$$($(PY) tests/detect_services.py)"; set +a; \
	echo "database: $${DATABASE_URL:-SQLite}  broker: $${REDIS_URL:-in-process}"; \
	$(PY) -m pytest $(PYTEST_ARGS)

test-clock: install-dev ## The date-sensitive tests at 16 instants of a week (pytest --now)
	@set -a; eval "$$($(PY) tests/detect_services.py)"; set +a; PY=$(PY) bash .ci/clock-matrix

lint: install-dev ## ruff (lint + format check), mypy and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install-dev ## Format and autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: install ## A Celery worker for the default and the videos queues (needs REDIS_URL)
	$(PY) -m celery -A coaching worker --loglevel=INFO \
		-Q $${CELERY_QUEUE_PREFIX:-runstrong}.default,$${CELERY_QUEUE_PREFIX:-runstrong}.videos

bench: install-dev ## Benchmarks against gunicorn + PostgreSQL (full sizes)
	@set -a; eval "$$($(PY) tests/detect_services.py)"; set +a; $(PY) -m tests.bench && $(PY) -m tests.bench.year

bench-smoke: install-dev ## The benchmarks at tiny sizes, so they never rot
	@set -a; eval "$$($(PY) tests/detect_services.py)"; set +a; $(PY) -m tests.bench --smoke && $(PY) -m tests.bench.year --smoke

# The database and every stored video in one archive (see README, "Backups"). Production
# settings come from the environment as for the app; a laptop's SQLite needs only DEBUG.
BACKUP_ENV := DEBUG=$${DEBUG:-true} HTTPS=$${HTTPS:-false}

backup: install ## Back up the database and the stored videos (BACKUP=file.tar to choose where)
	$(BACKUP_ENV) $(PY) manage.py backup $(BACKUP)

restore: install ## Replace the database and videos with a backup: make restore BACKUP=file.tar
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/runstrong-....tar" >&2; exit 2; }
	$(BACKUP_ENV) $(PY) manage.py restore --yes "$(BACKUP)"

clean: ## Remove the virtualenv, local database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles media
