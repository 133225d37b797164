# The two commands of the README: `make demo` (the main job) and `make test`.
# Both need only Python 3.11+ on the machine: they create .venv and install the project.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install lint-env chromium java demo test test-spark lint down clean

LINT_VENV ?= .venv-lint

install: $(VENV)/.installed

# sqlfluff (with its dbt templater) pins a click that dbt-core's does not accept: the dbt
# lint tools get a venv of their own.
lint-env: $(LINT_VENV)/.installed

$(LINT_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --upgrade pip
	$(LINT_VENV)/bin/pip install --quiet 'sqlfluff~=4.4.0' 'sqlfluff-templater-dbt~=4.4.0' \
		'dbt-core~=1.11.0' 'dbt-postgres~=1.11.0' 'dbt-bouncer~=4.3.0'
	touch $@

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@

demo: install
	$(BIN)/audifi up
	$(BIN)/audifi seed --scale small --if-empty
	$(BIN)/audifi replica wait
	$(BIN)/audifi status
	$(BIN)/audifi build
	$(BIN)/audifi summary

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The dashboard's browser test needs Debian's chromium: installed here when missing (as root).
chromium:
	sh scripts/ensure_chromium.sh

# The Spark tests (tests/test_spark.py, part of `make test`) need a Java runtime: installed
# here when missing.
java:
	sh scripts/ensure_java.sh

test: install lint-env lint chromium java
	$(BIN)/pytest

# Only the Spark tests (they are part of `make test` too): build `tiny` on Spark, compare.
test-spark: install java
	$(BIN)/pytest -m spark

down: install
	$(BIN)/audifi down

clean: down
	$(BIN)/audifi down --purge
