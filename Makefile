# Quickstart: `make demo`, then `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= newsgraph.db
PIP_FLAGS ?= --quiet --disable-pip-version-check

.PHONY: install demo test bench eval clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsgraph ingest samples/ --db $(DB)
	$(BIN)/newsgraph stats --db $(DB)
	@echo
	@echo "Who did what to whom (actor-to-actor relations projected from events):"
	$(BIN)/newsgraph query --db $(DB) \
	  "MATCH (a)-[r]->(b) WHERE r.event_id IS NOT NULL RETURN a.name AS source, label(r) AS relation, b.name AS target, r.date AS date, r.status AS status ORDER BY date, source LIMIT 25"

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/newsgraph eval tests/gold/*.gold.json

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
