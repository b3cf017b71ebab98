# The README's two commands: `make run` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/factcheck db upgrade
	$(BIN)/factcheck demo load --if-empty
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(BIN)/factcheck run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check factcheck tests benchmarks config.py wsgi.py

typecheck: $(STAMP)
	$(BIN)/mypy factcheck

check: lint typecheck test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
