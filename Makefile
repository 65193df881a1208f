# Fabrique à idées — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install translations i18n-update lint test-sqlite test-postgres test-browser browser db clean bench wrk

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) translations

## Compile translations/*/LC_MESSAGES/messages.po into the .mo files Flask-Babel reads
## (gitignored). A syntax error, a fuzzy header or a placeholder mismatch stops the build.
translations: $(STAMP)
	$(BIN)/python scripts/i18n_check.py translations
	$(BIN)/pybabel compile --statistics -d translations

## make i18n-update: after changing UI strings, extract them into translations/messages.pot and
## merge it into every catalog (translations kept, nothing guessed as fuzzy, vanished strings
## dropped); French is filled from its msgids, English entries left empty are then listed.
i18n-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --sort-by-file \
	  --ignore-dirs ".venv static node_modules" \
	  --project "Fabrique à idées" --version 0.1 --copyright-holder "Réseau Canopé" \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
	  --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/i18n_fill_fr.py translations/fr/LC_MESSAGES/messages.po
	$(BIN)/python scripts/i18n_check.py translations

## make run: set up, migrate, load demo data when the database is empty, serve on :5000.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

## make test: set up, then lint and run the whole suite on SQLite, PostgreSQL and in Chromium.
test: install browser wrk lint test-sqlite test-postgres test-browser

lint: $(STAMP)
	$(BIN)/ruff check .

test-sqlite: install
	$(BIN)/pytest -q -m "not browser" -p no:cacheprovider

test-postgres: install
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -m "not browser" -p no:cacheprovider

## AXE_RESULTS=1: the axe-core results of every page checked feed the accessibility statement
## (docs/accessibility/axe-results.json, committed with the release).
test-browser: install browser
	AXE_RESULTS=1 $(BIN)/pytest -q -m browser -p no:cacheprovider tests/browser

## Debian's chromium drives the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium"; exit 1; fi; }

## make bench: the performance benchmark (bench/perf/run.py; README "Performance"): seeds the
## scale data on first use (SQLite and PostgreSQL at BENCH_PG_URL), then gunicorn + wrk.
bench: install wrk
	$(BIN)/python -m bench.perf.run $(BENCH_ARGS)

## Debian's wrk drives the benchmark (and its smoke test).
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: sudo apt-get install wrk"; exit 1; fi; }

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
