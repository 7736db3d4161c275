# Set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := ../shared/gold/seed.jsonl

.PHONY: run test install clean-venv

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Code the bundled example corpus (and the seed report when ../shared is beside the checkout).
run: install
	$(BIN)/communique extract examples/ $(wildcard $(SEED)) --format table

test: install
	$(BIN)/python -m pytest

clean-venv:
	rm -rf $(VENV)
