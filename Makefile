# mapapp: `make run` serves the map, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-dates test-fast bench sample assets browser clean help

help:
	@echo "make run    - set up and serve the map on http://$(HOST):$(PORT)/ (SQLite + sample data)"
	@echo "make test   - set up and run the whole test suite (browser tests included)"
	@echo "make bench  - the performance goals at province scale, each beside its floor (N=500000; N=20000 for a quick run)"
	@echo "make sample - regenerate the sample data in data/geo"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Leaflet and plugins come from the npm registry (versions pinned in package.json);
# without npm the pages fall back to the public CDNs.
node_modules/.installed: package.json package-lock.json patches/leaflet.vectorgrid-288.cjs
	@bash .ci/ensure-npm
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: map assets will load from public CDNs (install Node.js for offline use)"; \
	fi

assets: node_modules/.installed

browser:
	@bash .ci/ensure-chromium

run: $(STAMP) assets
	$(BIN)/mapapp serve --host $(HOST) --port $(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own temporary and PostgreSQL databases:
# tests/conftest.py); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
# The suite writes which files hold the `dates` tests (tests/conftest.py): the shifted-clock runs collect only those.
test: $(STAMP) assets browser
	@dates=$$(mktemp); trap 'rm -f "$$dates"' EXIT; \
	MAPAPP_DATES_FILES="$$dates" MAPAPP_TEST_POSTGRES="$${MAPAPP_TEST_POSTGRES:-$$(bash .ci/ensure-postgres)}" \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal && \
	DATES_FILES="$$dates" PYTHON=$(BIN)/python bash .ci/dates-at-three-hours

# The date-dependent tests alone, under faketime at 23:30, 00:30 and 16:59 UTC.
test-dates: $(STAMP)
	PYTHON=$(BIN)/python bash .ci/dates-at-three-hours

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser and not slow"

# One table of issue 12's goals, each figure beside its floor measured in the same run (bench/run.py).
# N lots + N parcels (default 500,000: several minutes); PostGIS rows with MAPAPP_BENCH_POSTGRES=<url of a
# database the benchmark may empty>. The single-purpose benchmarks (bench/bench_*.py) also run alone.
N ?= 500000
bench: $(STAMP)
	$(BIN)/python bench/run.py --n $(N)

sample: $(STAMP)
	$(BIN)/python data/geo/make_sample.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
