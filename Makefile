# Everything a newcomer needs: `make demo` and `make test` work on a fresh machine with only python3.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# The suite runs its files on this many processes (pytest-xdist; each starts its own PostgreSQL). 0 runs it in one.
TEST_WORKERS ?= 2
# Quick and full benchmark results go to a git-ignored folder; `make bench BENCH_OUT=bench/results` updates the
# committed ones (docs/performance.md quotes them).
BENCH_OUT ?= bench/results/local

.PHONY: install demo test lint serve tui bench bench-full clean

# constraints.txt pins every package to the versions the suite last passed with (reproducible CI); pyproject.toml
# keeps the ranges. Refreshing it: docs/operations.md.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create the virtual environment and install the project

demo: $(STAMP)  ## migrate the SQLite database, seed demo data and start a terminal interview
	$(BIN)/cna db upgrade
	$(BIN)/cna demo

test: $(STAMP)  ## the whole suite: unit, SQLite, PostgreSQL (started by the tests), Slack, TUI, e2e
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff, mypy, import contracts, and the shipped scripts
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cna scripts lint

serve: $(STAMP)  ## run the Slack bot (reads .env)
	$(BIN)/cna serve

tui: $(STAMP)  ## the lead's review app
	$(BIN)/cna tui

bench: $(STAMP)  ## quick benchmarks (about 2 minutes); results in $(BENCH_OUT)
	$(BIN)/python -m bench --quick --out $(BENCH_OUT)

bench-full: $(STAMP)  ## the full benchmarks (about 10 minutes); results in $(BENCH_OUT)
	$(BIN)/python -m bench --out $(BENCH_OUT)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
