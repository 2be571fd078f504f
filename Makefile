# The two commands in the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint bench clean messages screenshots

$(STAMP): pyproject.toml
	# A venv left half-made (no pip) by an interrupted run is made again.
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]' -c constraints.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/aldea demo

test: $(STAMP)
	ALDEA_DEBUG=true $(BIN)/aldea makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var

# Refresh the translation catalogues from the code, then compile them (needs GNU gettext).
messages: $(STAMP)
	cd src/aldea && ../../$(BIN)/aldea makemessages -l es_MX -l pt_BR -l en --ignore="analytics/*" --no-obsolete
	cd src/aldea && ../../$(BIN)/aldea compilemessages

# Screenshots of every main page with the demo data (system Chromium; see tools/screenshots.py).
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py --out docs/screenshots
