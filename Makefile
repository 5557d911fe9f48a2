# Two commands for a fresh clone: `make demo` and `make test`. Both build .venv on first use.
#
# Two stamps say what .venv holds: the runtime package (what `make demo` and a user need), and
# the test extras on top (pytest, hypothesis, ruff, jsonschema, selenium, pm4py, distributed).
# `make demo` installs only the first; `make test` installs whatever is missing of both, so
# demo then test adds only the extras, and test then demo installs nothing. Editing
# pyproject.toml makes both stale. pip runs --quiet: warnings and errors still show.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet
RUNTIME_STAMP := $(VENV)/.runtime-stamp
TEST_STAMP    := $(VENV)/.test-stamp

.PHONY: demo test lint bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

# The test extras come with the runtime package, so this stamps both.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@ $(RUNTIME_STAMP)

# The name earlier instructions use for the full environment.
$(VENV)/.installed-stamp: $(TEST_STAMP)
	touch $@

demo: $(RUNTIME_STAMP)
	$(BIN)/python -m simulator.demo

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The long fuzz profile (make test runs a fast one): 10,000 mutants of the bundled scenarios and
# the docs' examples, one accepted mutant in eight simulated, 200 odd command lines and 100
# mutated results folders; a summary line, exit 1 on a failure. FUZZ_SEED=n runs another
# campaign; `python -m tests.fuzz.run --show N` shows mutant N.
FUZZ_SEED ?= 1
fuzz: $(TEST_STAMP)
	$(BIN)/python -m tests.fuzz.run --mutants 10000 --simulate-every 8 --command-lines 200 \
		--results-folders 100 --seed $(FUZZ_SEED)

bench: $(RUNTIME_STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_staff.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
