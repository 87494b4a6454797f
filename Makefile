# `make run` makes .venv and installs policybot with what it needs to run (no dev tools);
# `make test`, `lint` and `typecheck` add the dev extra. scripts/make-venv.sh checks the Python
# version first and makes again a .venv left by an older Python or a failed install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
PIP    := $(BIN)/python -m pip install --quiet --progress-bar off

.PHONY: run test lint typecheck check scan screenshot bench tune container-smoke clean

$(STAMP): pyproject.toml
	@bash scripts/make-venv.sh "$(PYTHON)" $(VENV)
	@echo "make: installing policybot and what it needs to run into $(VENV) (from PyPI; a minute the first time)"
	@$(PIP) -e .
	@touch $(STAMP)

$(DEV): $(STAMP)
	@echo "make: installing the dev tools into $(VENV): pytest, ruff, mypy, selenium, hadolint, scikit-learn (from PyPI)"
	@$(PIP) -e '.[dev]'
	@touch $(DEV)

run: $(STAMP)  ## Open the playground: a local society channel on http://127.0.0.1:8765
	$(BIN)/policybot playground

scan: $(STAMP)  ## Scan the bundled sample exports and show what policybot would flag
	$(BIN)/policybot scan examples/slack-export
	$(BIN)/policybot scan examples/discord-export.json

screenshot: $(DEV)  ## Refresh docs/playground.png from the browser test
	POLICYBOT_SCREENSHOT=docs/playground.png $(BIN)/pytest -q tests/adapters/playground/test_playground_browser.py

test: $(DEV)  ## Run every test: starts a throwaway PostgreSQL, uses Chromium; says what it skips
	@bash scripts/run-tests.sh $(BIN)/pytest -q -rs

lint: $(DEV)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench
	$(BIN)/hadolint Dockerfile

typecheck: $(DEV)
	$(BIN)/mypy

check: lint typecheck test

container-smoke:  ## Build the Dockerfile and run the image (needs buildah and podman; see the script)
	bash scripts/container-smoke.sh

bench: $(STAMP)  ## Install the bench extra, then run the quality and speed benchmarks (needs ../shared/eval)
	@$(PIP) -e '.[bench]'
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.speed

tune: $(STAMP)  ## Set the policy classifier's thresholds on dev and the everyday sets (writes rules.yaml)
	@$(PIP) -e '.[bench]'
	$(BIN)/python -m bench.tune_thresholds --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
