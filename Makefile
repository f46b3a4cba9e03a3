# `make run`: set everything up and run the server on SQLite.
# `make test`: set everything up and run all tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test setup setup-test system-deps system-deps-test benchmarks

run: system-deps setup
	PYTHON=$(PY) scripts/translations compile
	$(VENV)/bin/council serve

test: system-deps-test setup-test
	PYTHON=$(PY) scripts/translations compile
	$(PY) -m pytest

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

system-deps:
	scripts/system-deps

system-deps-test:
	scripts/system-deps --test

benchmarks: setup-test
	$(PY) benchmarks/live_vote.py
	$(PY) benchmarks/documents.py
	$(PY) benchmarks/format_minutes.py
	$(PY) benchmarks/cafe_seating.py
