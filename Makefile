# Rete: `make demo` and `make test` take a fresh machine to a running demo / a passing suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export RETE_VAR_DIR ?= $(CURDIR)/var
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/rete

.PHONY: install messages migrate demo serve test test-sqlite test-postgres makemessages lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

messages: install
	bash scripts/system-deps.sh demo
	cd rete && ../$(BIN)/python ../manage.py compilemessages -v0

migrate: messages
	$(BIN)/rete migrate --no-input -v0
	$(BIN)/rete createcachetable

demo: migrate
	$(BIN)/rete demo
	@echo "Serving the demo on http://127.0.0.1:8000 (Ctrl-C stops it)."
	RETE_DEMO=1 $(BIN)/rete runserver 127.0.0.1:8000

test: messages
	bash scripts/system-deps.sh test
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	$(BIN)/pytest

# The same suite (less the browser flows, which exercise the pages, not the database) on
# PostgreSQL. Skipped with a reason where no server runs; CI must have one.
test-postgres:
	@if $(BIN)/python scripts/pg_available.py "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL), and CI must run the suite on it." >&2; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL suite: no server at $(PG_TEST_URL) (set PG_TEST_URL to point at one)."; \
	fi

makemessages: install
	cd rete && for lang in it el cs bg; do ../$(BIN)/python ../manage.py makemessages -l $$lang --no-obsolete --no-location -v0; done

lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

bench: messages
	RETE_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
