# The first use of any target creates .venv and installs policybot into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck check scan clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## Scan the bundled sample exports and show what policybot would flag
	$(BIN)/policybot scan examples/slack-export
	$(BIN)/policybot scan examples/discord-export.json

test: $(STAMP)  ## Run the whole test-suite
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)  ## Install the bench extra, then run the quality and speed benchmarks (needs ../shared/eval)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.speed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
