# Liaison: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Everything the tests write (screenshots, logs) goes here; git ignores it.
ARTIFACTS := test-artifacts
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

.PHONY: run demo serve setup venv messages static db lint test test-sqlite test-postgres test-browser bench clean

run: setup
	@$(MANAGE) first_admin --url http://$(HOST):$(PORT)/
	@$(MAKE) --no-print-directory serve

# The same, plus a demo account for every role (new passwords printed each time).
demo: setup
	@$(MANAGE) first_admin --url http://$(HOST):$(PORT)/
	@$(MANAGE) demo_accounts
	@$(MANAGE) demo_day
	@$(MANAGE) demo_contacts
	@$(MANAGE) demo_aid
	@$(MANAGE) demo_media
	@$(MANAGE) demo_exchanges
	@$(MANAGE) demo_duty
	@$(MANAGE) demo_incidents
	@$(MANAGE) demo_briefing
	@$(MAKE) --no-print-directory serve

# liaison/gunicorn_conf.py prints the address once gunicorn has bound it. A taken port: the next
# free one is used, unless PORT was given (make run PORT=9000), then it stops with a message.
serve:
	@LIAISON_HOST=$(HOST) LIAISON_PORT=$(PORT) LIAISON_WORKERS=$(WORKERS) \
		LIAISON_PORT_STRICT=$(if $(filter file,$(origin PORT)),0,1) \
		exec $(VENV)/bin/gunicorn liaison.wsgi --config liaison/gunicorn_conf.py

setup: venv messages static db

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@# PDFs: WeasyPrint (pango, harfbuzz subsetting), Debian's Noto fonts; poppler reads them back in tests.
	@scripts/system-packages.sh gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
		fonts-noto-core fonts-noto-cjk poppler-utils
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@# The machine's pip configuration names local indexes that may be absent: drop that noise,
	@# keep every other line, and fail if pip failed.
	@$(PY) -m pip install --quiet -e ".[dev]" 2>&1 | { grep -v "^WARNING: Location" || true; }; \
		exit $${PIPESTATUS[0]}
	@touch $@

# Compiled catalogues are built, not committed: the .po files are the source.
messages: venv
	@$(MANAGE) compilemessages --ignore=.venv --ignore=staticfiles --verbosity 0

static: venv
	@$(MANAGE) collectstatic --noinput --verbosity 0

db: venv
	@$(MANAGE) migrate --noinput --verbosity 0
	@$(MANAGE) createcachetable
	@$(MANAGE) load_reference

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run --verbosity 1
	LIAISON_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		ALLOWED_HOSTS=liaison.example.org $(MANAGE) check --deploy --fail-level WARNING

test: lint test-sqlite test-postgres test-browser
	@echo "make test: every check passed."

test-sqlite: venv messages
	$(VENV)/bin/pytest -m "not browser" -q -n $(TEST_WORKERS)

test-postgres: venv messages
	scripts/with-postgres.sh $(VENV)/bin/pytest -m "not browser" -q -n $(TEST_WORKERS)

test-browser: venv messages static
	@scripts/system-packages.sh chromium fonts-noto-cjk fonts-noto-core
	@mkdir -p $(ARTIFACTS)
	$(VENV)/bin/pytest -m browser -q

# Every benchmark, each on throwaway SQLite and PostgreSQL databases (many minutes at full size);
# each updates its section of bench/README.md. wrk drives the HTTP benchmark.
bench: venv
	@scripts/system-packages.sh wrk
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles $(ARTIFACTS)
