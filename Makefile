# thbstats: `make figures` builds the dataset, runs every notebook and exports every figure;
# `make test` runs the tests. Both create the virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: figures data run test lab bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "thbstats needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

figures: data run

data: $(STAMP)
	$(BIN)/thbstats data --fetch

run: $(STAMP)
	$(BIN)/thbstats run

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check thbstats tests benchmarks
	$(BIN)/ruff format --check thbstats tests benchmarks

clean:
	rm -rf build data/processed/*.parquet data/processed/*.csv data/processed/*.json figures/*
