# Two entry points: `make run` and `make test`. Each creates .venv in the repository
# and installs what it needs, so both work on a fresh machine with only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint typecheck unit bench check-data clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "error: Python 3.11 is required, found " + sys.version.split()[0] + "; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(STAMP_DEV): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/cyberspex data check
	$(BIN)/cyberspex serve --demo

lint: $(STAMP_DEV)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# The suite runs on every core: one pytest-xdist worker per CPU (`-n auto`); `--dist worksteal`
# hands tests out in chunks and lets an idle worker take half of a busy one's queue, so one
# long file (the access matrix: 16 cases of 1-6 minutes each on a loaded 2-core machine) is
# shared instead of pinning one worker (with `--dist loadfile` it alone set the wall time).
# PYTEST_WORKERS=0 runs it in one process; PYTEST_ARGS narrows it (a folder, `-k ...`).
# `--require-passed`: a run in which no test passed (none collected, all skipped) fails.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

unit: $(STAMP_DEV)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --require-passed $(PYTEST_ARGS)

test: lint typecheck unit

# `make bench`: the benchmark suite (bench/run.py; bench/README.md), its table in bench/RESULTS.md.
# `make bench QUICK=1`: a smoke run of every benchmark; `make bench ONLY=pdf`: one benchmark.
bench: $(STAMP_RUN)
	$(BIN)/python bench/run.py $(if $(QUICK),--quick) $(foreach name,$(ONLY),--only $(name))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Security and reliability beyond `make test`. `make audit`: known vulnerabilities in the
# installed packages (pip-audit; says "skipped: no network" when no vulnerability service
# answers). `make soak`: the long profile of the schemathesis run (every role, many examples;
# CYBERSPEX_FUZZ_SEED=N for other examples than the fixed ones) and the reliability tests.
.PHONY: audit soak

audit: $(STAMP_DEV)
	$(BIN)/python -m tests.security.pip_audit

soak: $(STAMP_DEV)
	CYBERSPEX_FUZZ_PROFILE=soak $(BIN)/python -m pytest tests/security/test_schemathesis.py tests/reliability -p no:cacheprovider
