# The first use of any target creates .venv and installs policybot into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck check scan screenshot bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## Open the playground: a local society channel on http://127.0.0.1:8765
	$(BIN)/policybot playground

scan: $(STAMP)  ## Scan the bundled sample exports and show what policybot would flag
	$(BIN)/policybot scan examples/slack-export
	$(BIN)/policybot scan examples/discord-export.json

screenshot: $(STAMP)  ## Refresh docs/playground.png from the browser test
	POLICYBOT_SCREENSHOT=docs/playground.png $(BIN)/pytest -q tests/adapters/playground/test_playground_browser.py

test: $(STAMP)  ## Run the whole test-suite
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench
	$(BIN)/hadolint Dockerfile

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)  ## Install the bench extra, then run the quality and speed benchmarks (needs ../shared/eval)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.speed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
