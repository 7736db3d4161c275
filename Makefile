# Set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := ../shared/gold/seed.jsonl

.PHONY: run test fuzz install screenshots clean-venv

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

DB ?= communique.db

PORT ?= 8000

# Ingest the bundled examples (reports, saved HTML pages, a feed; plus the seed report when
# ../shared is beside the checkout) into $(DB), show what the store holds, then serve the
# dashboard and the API at http://127.0.0.1:$(PORT) until Ctrl-C.
run: install
	$(BIN)/communique ingest examples/ $(wildcard $(SEED)) --db $(DB)
	$(BIN)/communique stats --db $(DB)
	$(BIN)/communique events --db $(DB) --limit 15
	$(BIN)/communique serve --db $(DB) --port $(PORT)

TRAIN_STAMP := $(VENV)/.installed-train

# the tests also exercise `communique train` on a tiny slice of the corpus: torch and the encoder
$(TRAIN_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[test,train]'
	touch $(TRAIN_STAMP)

test: install $(TRAIN_STAMP)
	$(BIN)/python -m pytest

# Nightly-style fuzzing: the property tests (tests/test_fuzz_*.py) with FUZZ_CASES cases each instead
# of CI's fixed 200; the cases each property ran are printed at the end.
FUZZ_CASES ?= 2000
fuzz: install
	HYPOTHESIS_PROFILE=fuzz FUZZ_CASES=$(FUZZ_CASES) $(BIN)/python -m pytest -q tests/test_fuzz_*.py

# Refresh the dashboard screenshots shown in the README (the browser tests take them).
screenshots: install
	COMMUNIQUE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_dashboard.py

clean-venv:
	rm -rf $(VENV)
