# The two commands of the README: `make demo` (the main job) and `make test`.
# Both need only Python 3.11+ on the machine: they create .venv and install the project.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint down clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/audifi up
	$(BIN)/audifi seed --scale small --if-empty
	$(BIN)/audifi replica wait
	$(BIN)/audifi status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install lint
	$(BIN)/pytest

down: install
	$(BIN)/audifi down

clean: down
	$(BIN)/audifi down --purge
