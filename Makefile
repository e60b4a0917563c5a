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

.PHONY: install vendor demo test lint bench eval clean

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
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/newsgraph eval tests/gold/*.gold.json

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache $(VENDOR)
