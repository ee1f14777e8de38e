# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages: SpatiaLite for the embedded database, redis-server for its broker, python3-venv
# where the system Python lacks ensurepip, Pango and a font for WeasyPrint's decision letter (PDF/A).
# What the tests need besides is in scripts/test-setup.sh.
RUN_PACKAGES  := libsqlite3-mod-spatialite redis-server libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
                 $(shell $(PYTHON) -c "import ensurepip" 2>/dev/null || echo python3-venv)
# pytest-xdist: one test process per core, each with its own database, broker and worker. An idle
# process takes tests from a busy one's queue (worksteal), so none waits while another finishes.
XDIST := -n auto --dist worksteal

.PHONY: run test lint test-setup test-quick install test-spatialite test-postgis test-faults mutation translations clean

run: install
	@scripts/debian-packages.sh $(RUN_PACKAGES)
	$(BIN)/omkijken db-upgrade
	$(BIN)/omkijken seed-demo
	$(BIN)/omkijken run

# The whole suite, on a fresh machine too: it installs what is missing, starts its own services,
# fails (never skips) a test whose service is missing, and ends with the time of each phase.
test:
	@scripts/phases.sh \
	  setup "scripts/test-setup.sh && $(MAKE) --no-print-directory install" \
	  lint "$(MAKE) --no-print-directory lint" \
	  SpatiaLite "$(MAKE) --no-print-directory test-spatialite" \
	  PostGIS "$(MAKE) --no-print-directory test-postgis" \
	  faults "$(MAKE) --no-print-directory test-faults"

# Pyflakes errors and import order (pyproject.toml [tool.ruff]); `ruff check --fix` sorts imports.
lint: install
	$(BIN)/ruff check .

test-setup:
	scripts/test-setup.sh

test-spatialite: install
	$(BIN)/pytest $(XDIST) tests --ignore=tests/faults

# The XSS walk also runs here: typed text must come back escaped from PostgreSQL too. The tests
# start a PostgreSQL cluster and Redis of their own (tests/services.py).
test-postgis: install
	OMKIJKEN_TEST_BACKEND=postgis $(BIN)/pytest $(XDIST) tests/integration tests/browser/test_xss_browser.py

# Kills and restarts services: each run starts its own PostgreSQL cluster and Redis (README).
test-faults: install
	$(BIN)/pytest $(XDIST) tests/faults

# For quick feedback while working: SpatiaLite only, without the browser; a missing service skips.
test-quick: install
	OMKIJKEN_TEST_MAY_SKIP=1 $(BIN)/pytest $(XDIST) tests --ignore=tests/faults --ignore=tests/browser
	@echo "test-quick: SpatiaLite only, without browser, PostGIS and fault tests; make test runs them all."

# Mutation score per module of the rules that protect people and money (bench/mutation.py, issue 31):
# slow (minutes per module on two busy cores), so not part of `make test`. mutmut changes only its copy
# in mutants/. GROUPS=lifecycle measures one group again; the JSON ends the output.
mutation: install
	$(BIN)/python bench/mutation.py run $(GROUPS)

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
