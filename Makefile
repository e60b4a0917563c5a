# Quickstart: `make demo`, then `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= newsgraph.db
PIP_FLAGS ?= --quiet --disable-pip-version-check

# The HTML view's graph library, vendored from the npm registry at build time (not committed).
CYTOSCAPE_VERSION := 3.35.0
CYTOSCAPE_INTEGRITY := sha512-sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g==
VENDOR := pipeline/data/vendor
VENDOR_JS := $(VENDOR)/cytoscape.min.js

# A throwaway Neo4j 5 Community server, resolved from Maven Central (tools/neo4j/, docs/NEO4J.md).
# NEO4J picks what `make test` runs the Neo4j contract tests against:
#   auto     a private server when java and mvn are on the PATH, else those tests are skipped
#   on       a private server, or fail;  off  none;  external  the one NEO4J_URI names (emptied!)
NEO4J ?= auto
# on: user neo4j with a password generated per start; off: no authentication. (Not NEO4J_AUTH,
# which Docker users may have set to user/password.)
NEWSGRAPH_NEO4J_AUTH ?= on
NEO4J_TOOL := $(PYTHON) tools/neo4j/server.py
# pytest-xdist workers for make test. The Neo4j tests share one server, so they run after the
# parallel pass, one at a time.
TEST_WORKERS ?= 2
# Extra arguments for bench/run.py: make bench BENCH_ARGS="--only write"
BENCH_ARGS ?=

.PHONY: install vendor demo test lint bench eval model clean neo4j-start neo4j-stop neo4j-env neo4j-status

install: $(STAMP) $(VENDOR_JS)

vendor: $(VENDOR_JS)

# npm pack checks the tarball against the registry's integrity; the pinned hash checks that
# the registry's tarball is the one this Makefile was written for.
$(VENDOR_JS):
	@mkdir -p $(VENDOR)
	@set -e; tmp=$$(mktemp -d); \
	  (cd $$tmp && npm pack --silent cytoscape@$(CYTOSCAPE_VERSION) >/dev/null); \
	  got="sha512-$$(openssl dgst -sha512 -binary $$tmp/cytoscape-$(CYTOSCAPE_VERSION).tgz | base64 -w0)"; \
	  if [ "$$got" != "$(CYTOSCAPE_INTEGRITY)" ]; then echo "cytoscape tarball integrity mismatch: $$got" >&2; exit 1; fi; \
	  tar -xzf $$tmp/cytoscape-$(CYTOSCAPE_VERSION).tgz -C $$tmp package/dist/cytoscape.min.js package/LICENSE; \
	  cp $$tmp/package/LICENSE $(VENDOR)/cytoscape.LICENSE; \
	  cp $$tmp/package/dist/cytoscape.min.js $@; rm -rf $$tmp
	@echo "vendored cytoscape $(CYTOSCAPE_VERSION) into $(VENDOR)/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP) $(VENDOR_JS)
	$(BIN)/newsgraph ingest samples/ --db $(DB)
	$(BIN)/newsgraph stats --db $(DB)
	@echo
	@echo "Who did what to whom (actor-to-actor relations projected from events):"
	$(BIN)/newsgraph query --db $(DB) \
	  "MATCH (a)-[r]->(b) WHERE r.event_id IS NOT NULL RETURN a.name AS source, label(r) AS relation, b.name AS target, r.date AS date, r.status AS status ORDER BY date, source LIMIT 25"

test: $(STAMP) $(VENDOR_JS)
	$(BIN)/ruff check pipeline models tests bench
	$(BIN)/mypy
	@$(NEO4J_TOOL) run --mode $(NEO4J) --auth $(NEWSGRAPH_NEO4J_AUTH) -- sh -c \
	  '$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not neo4j" && $(BIN)/python -m pytest -q -m neo4j'

# A server for a shell: make neo4j-start; eval "$$(make -s neo4j-env)"; …; make neo4j-stop
neo4j-start:
	@$(NEO4J_TOOL) start --auth $(NEWSGRAPH_NEO4J_AUTH)

neo4j-stop:
	@$(NEO4J_TOOL) stop

neo4j-env:
	@$(NEO4J_TOOL) env

neo4j-status:
	@$(NEO4J_TOOL) status

# The static checks alone (make test runs them too).
lint: $(STAMP)
	$(BIN)/ruff check pipeline models tests bench
	$(BIN)/mypy

# Retrain the event classifier from the corpus in training/events/: deterministic, a few
# minutes on 2 cores; commit the new pipeline/data/events-model.npz with the corpus change.
model: $(STAMP)
	$(BIN)/python -m pipeline.nlp.events.training training/events/*.jsonl -o pipeline/data/events-model.npz

eval: $(STAMP)
	$(BIN)/newsgraph eval tests/gold/*.gold.json

# With a private Neo4j server like make test (NEO4J=auto|on|off|external), so the write
# benchmark prints both stores side by side.
bench: $(STAMP)
	@$(NEO4J_TOOL) run --mode $(NEO4J) --auth $(NEWSGRAPH_NEO4J_AUTH) -- $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	@$(NEO4J_TOOL) stop 2>/dev/null || true
	rm -rf $(VENV) $(DB) .pytest_cache $(VENDOR) .neo4j
