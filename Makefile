# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages: SpatiaLite for the embedded database, Chromium for the browser tests,
# python3-venv where the system Python lacks ensurepip.
RUN_PACKAGES  := libsqlite3-mod-spatialite redis-server $(shell $(PYTHON) -c "import ensurepip" 2>/dev/null || echo python3-venv)
TEST_PACKAGES := $(RUN_PACKAGES) chromium fonts-dejavu-core

.PHONY: run test install test-spatialite test-postgis test-faults translations clean

run: install
	$(BIN)/omkijken db-upgrade
	$(BIN)/omkijken seed-demo
	$(BIN)/omkijken run

test: install
	@scripts/debian-packages.sh $(TEST_PACKAGES) || echo "Browser tests need Chromium: they will not run."
	$(MAKE) test-spatialite
	$(MAKE) test-postgis
	$(MAKE) test-faults

test-spatialite:
	$(BIN)/pytest tests --ignore=tests/faults

# The XSS walk also runs here: typed text must come back escaped from PostgreSQL too.
test-postgis:
	OMKIJKEN_TEST_BACKEND=postgis $(BIN)/pytest tests/integration tests/browser/test_xss_browser.py

# Kills and restarts services: each run starts its own PostgreSQL cluster and Redis (README).
test-faults:
	$(BIN)/pytest tests/faults

install: $(STAMP)

$(STAMP): pyproject.toml
	scripts/debian-packages.sh $(RUN_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations:
	$(BIN)/pybabel extract -F babel.cfg -k _l -o omkijken/translations/messages.pot .
	$(BIN)/pybabel update -i omkijken/translations/messages.pot -d omkijken/translations
	$(BIN)/pybabel compile -d omkijken/translations

clean:
	rm -rf $(VENV) instance
