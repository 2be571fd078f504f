# The two commands in the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make demo` installs the platform alone; `make test` adds the dev extra (pytest, Playwright,
# ruff, the reference libraries the analytics are checked against) and Spark.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# pip prints a line per package and a progress bar per download: a first install takes a minute
# or two, and should not look stuck. --no-compile, and no bytecode for pip's own modules while it
# runs: Python compiles the modules Aldea imports on first use, not the 190 MB of bytecode for
# every module of every dependency.
PIP := $(BIN)/python -m pip install --progress-bar on --no-compile -c constraints.txt

.PHONY: demo test install dev lint bench clean messages screenshots

$(STAMP) $(DEV_STAMP): export PYTHONDONTWRITEBYTECODE = 1
$(STAMP): pyproject.toml constraints.txt
	@echo "== Aldea: the virtual environment in $(VENV) =="
	# A venv left half-made (no pip) by an interrupted run is made again.
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --progress-bar on --no-compile --upgrade pip
	# Python 3.11's venv seeds setuptools 65 (3.12's no longer does): nothing imports it at run
	# time, and pip builds Aldea with the setuptools of pyproject.toml in an environment of its own.
	$(BIN)/python -m pip uninstall --yes setuptools
	@echo "== Aldea: installing the platform and its dependencies (about 85 packages) =="
	$(PIP) -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	@echo "== Aldea: adding the test tools and Spark (the dev and spark extras) =="
	$(PIP) -e '.[dev,spark]'
	touch $(DEV_STAMP)

install: $(STAMP)

# The dev and spark extras alone, without running anything (CI installs once, then runs the
# two databases' passes side by side).
dev: $(DEV_STAMP)

demo: $(STAMP)
	$(BIN)/aldea demo

test: $(DEV_STAMP)
	ALDEA_DEBUG=true $(BIN)/aldea makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var

# Refresh the translation catalogues from the code, then compile them (needs GNU gettext).
messages: $(STAMP)
	cd src/aldea && ../../$(BIN)/aldea makemessages -l es_MX -l pt_BR -l en --ignore="analytics/*" --no-obsolete
	cd src/aldea && ../../$(BIN)/aldea compilemessages

# Screenshots of every main page with the demo data (system Chromium; see tools/screenshots.py).
screenshots: $(DEV_STAMP)
	$(BIN)/python tools/screenshots.py --out docs/screenshots
