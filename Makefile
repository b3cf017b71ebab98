# The README's two commands: `make run` and `make test`. Only Python 3.11+ is needed.
# Everything goes into .venv/; `make clean` removes it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
LINT_PATHS := factcheck tests config.py wsgi.py $(wildcard benchmarks)

.PHONY: help run test test-fast check lint typecheck clean

help:
	@echo "make run        install, migrate, load the demo data once, serve on http://$(HOST):$(PORT) with a background worker"
	@echo "make test       install with the test extras and run the whole test suite"
	@echo "make test-fast  the inner loop: everything but the browser and slow tests"
	@echo "make check      ruff, mypy, then the test suite"
	@echo "make clean      remove .venv and the tool caches"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "factcheck needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/factcheck db upgrade
	$(BIN)/factcheck demo load --if-empty
	@echo "Serving on http://$(HOST):$(PORT) with a background worker (Ctrl-C stops both)"
	@# The worker (imports by URL, feed polls, re-indexing) runs beside the server and
	@# stops with it; both share the queue in instance/jobs.db (or Redis with REDIS_URL).
	@$(BIN)/factcheck worker & worker=$$!; \
	  trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/factcheck run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: no browser tests, no tests marked slow (see docs/development.md).
test-fast: $(VENV)/.installed-test
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
