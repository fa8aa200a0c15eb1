# The developer's interface. `make run` and `make test` work from a fresh clone with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fmt messages seed bench migrate integration backup restore clean

$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.deps $@

# The embedded default runs with DEBUG on: with it off, start-up asks for SECRET_KEY and a real
# SMS backend (see README).
migrate: $(VENV)/.deps
	DEBUG=yes $(MANAGE) migrate --noinput

seed: migrate
	DEBUG=yes $(MANAGE) seed_demo

# The embedded default: SQLite, tasks in-process, SMS printed here. DEBUG on for the dev server.
# Beside it, the beat schedule runs in-process every minute (reminders, held texts, slots).
run: seed
	@DEBUG=yes $(MANAGE) run_periodic --every 60 & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	DEBUG=yes $(MANAGE) runserver $(HOST):$(PORT)

# The import contract (pyproject.toml, [tool.importlinter]): apps import downwards only, the
# matcher's engine stays a plain library, no app's parts import each other in a circle.
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

fmt: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/pytest -q -m "not integration"

# Against the real services: DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) must be set.
integration: $(VENV)/.dev-deps
	$(BIN)/pytest -q -m integration

# gettext is needed only here, to extract and compile; the compiled .mo files are committed.
# Each app keeps its own catalogue in <app>/locale; the project's (templates/, config/, core/,
# accounts/) is in locale/.
APPS_WITH_CATALOGUES := accounts signin core venues volunteers activities notifications matching mediation reports demo
messages: $(VENV)/.deps
	DEBUG=yes $(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles \
		--ignore=tests --ignore=bench $(foreach app,$(APPS_WITH_CATALOGUES),--ignore=$(app))
	for app in $(APPS_WITH_CATALOGUES); do \
		[ -d $$app/locale ] && (cd $$app && DEBUG=yes ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); \
	done; true
	DEBUG=yes $(MANAGE) compilemessages --ignore=.venv

# A backup of the configured database into BACKUP_DIR (default backups/): SQLite through its
# online backup API (safe while the site runs), PostgreSQL (DATABASE_URL) through pg_dump.
backup: $(VENV)/.deps
	DEBUG=$${DEBUG:-yes} $(MANAGE) backup

# Replaces the configured database's data with FILE (asks first): stop the site before.
restore: $(VENV)/.deps
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/volunteers-….sqlite3|.dump"; exit 2; }
	DEBUG=$${DEBUG:-yes} $(MANAGE) restore "$(FILE)"

bench: $(VENV)/.dev-deps
	@echo "Benchmarks live in bench/; each prints what it measured. See README.md."

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
