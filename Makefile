# linesheet: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install demo serve test test-sqlite test-postgres lint browser-deps bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## install: create or update the virtual environment
install: $(STAMP)

## demo: migrate, seed, then run the web server and the task worker on http://127.0.0.1:8000
demo: install
	mkdir -p var
	$(BIN)/linesheet migrate --noinput
	$(BIN)/linesheet seed_demo
	scripts/run-demo

## serve: migrate, then serve the app as production does (gunicorn, DEBUG off) on http://127.0.0.1:8000
serve: install
	$(BIN)/linesheet migrate --noinput
	$(BIN)/linesheet serve

## browser-deps: install Debian's Chromium for the browser tests (when missing)
browser-deps:
	scripts/ensure-chromium

## test: the whole suite on SQLite, then on PostgreSQL
test: install browser-deps lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest

test-postgres: install
	@if scripts/postgres-reachable "$(TEST_POSTGRES_URL)"; then \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(TEST_POSTGRES_URL) is not reachable; CI requires the PostgreSQL pass." >&2; exit 1; \
	else \
		echo "PostgreSQL at $(TEST_POSTGRES_URL) is not reachable: skipping the PostgreSQL pass (set TEST_POSTGRES_URL)."; \
	fi

## lint: ruff and mypy
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src bench

## bench: the performance benchmarks on PostgreSQL, in a scratch database on TEST_POSTGRES_URL
## (BENCH_ORDERS sets the large brand's orders, default 1,000,000; see docs/performance.md)
bench: install
	scripts/ensure-postgres "$(TEST_POSTGRES_URL)"
	TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
