# The README's two commands: `make run` and `make test`. Only Python 3.11+ is needed.
# Everything goes into .venv/; `make clean` removes it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
LINT_PATHS := factcheck tests config.py wsgi.py $(wildcard benchmarks)

.PHONY: help run test test-fast check lint typecheck clean translations compile-translations

help:
	@echo "make run        install, migrate, load the demo data once, serve on http://$(HOST):$(PORT) with a background worker"
	@echo "make test       install with the test extras and run the whole test suite"
	@echo "make test-fast  the inner loop: everything but the browser and slow tests"
	@echo "make check      ruff, mypy, then the test suite"
	@echo "make translations  extract the marked strings, update both catalogues, compile them"
	@echo "make clean      remove .venv and the tool caches"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "factcheck needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The message catalogues (docs/i18n.md): the .po files are committed, the .mo files
# are built from them whenever a .po is newer (run, test and the tests' own check).
CATALOGUES := factcheck/translations
PO_FILES := $(wildcard $(CATALOGUES)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(CATALOGUES)/%/LC_MESSAGES/messages.mo: $(CATALOGUES)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d $(CATALOGUES) -l $* --statistics

compile-translations: $(MO_FILES)

translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k N_ -k tr -k ntr:1,2 --ignore-dirs ".* __pycache__" --no-location --sort-output --width 100 \
	  --project factcheck --copyright-holder "factcheck" -o $(CATALOGUES)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python -c 'from factcheck.web.i18n import fill_english; print(fill_english(), "English messages filled")'
	$(BIN)/pybabel compile -d $(CATALOGUES) --statistics

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed compile-translations
	$(BIN)/factcheck db upgrade
	$(BIN)/factcheck demo load --if-empty
	@echo "Serving on http://$(HOST):$(PORT) with a background worker (Ctrl-C stops both)"
	@# The worker (imports by URL, feed polls, re-indexing) runs beside the server and
	@# stops with it; both share the queue in instance/jobs.db (or Redis with REDIS_URL).
	@$(BIN)/factcheck worker & worker=$$!; \
	  trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/factcheck run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: no browser tests, no tests marked slow (see docs/development.md).
test-fast: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy factcheck

check: lint typecheck test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
