# thbstats: `make figures` builds the dataset, runs every notebook, exports every figure and
# writes the briefs; `make test` runs the tests. Both create the virtual environment (.venv)
# on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: figures data run briefs test lab bench lint clean docs

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "thbstats needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# A run that fails does not stop the rest: the briefs and the site are made from the figures
# there are, and `make figures` exits with the run's status at the end (non-zero).
figures: data
	@status=0; \
	$(BIN)/thbstats run --prune || status=$$?; \
	if [ $$status -ne 0 ]; then \
	  echo "make: thbstats run failed (exit $$status); making the briefs and the site anyway"; \
	fi; \
	$(BIN)/thbstats reconcile || { rec=$$?; [ $$status -ne 0 ] || status=$$rec; }; \
	$(BIN)/thbstats briefs || { briefs=$$?; [ $$status -ne 0 ] || status=$$briefs; }; \
	if [ $$status -ne 0 ]; then echo "make: figures incomplete (exit $$status): see above"; fi; \
	exit $$status

# `thbstats data` exits 4 when it refuses to replace a fuller earlier build (releases missing,
# no network): the earlier table stays and the figures are drawn from it.
data: $(STAMP)
	@$(BIN)/thbstats data --fetch; status=$$?; \
	if [ $$status -eq 4 ]; then \
	  echo "make: kept the earlier, fuller dataset in data/processed; drawing the figures from it"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

# --prune: figures of runs no longer in notebooks/pipeline.yml are removed. Each worker keeps one
# warm kernel for its runs, a fresh namespace per notebook (`thbstats run --fresh`: a new kernel
# per run, slower; the figures are the same bytes)
run: $(STAMP)
	$(BIN)/thbstats run --prune

# one brief per participating State (figures/briefs/), the ranking and the dark figure; after run
briefs: $(STAMP) run
	$(BIN)/thbstats briefs

test: $(STAMP)
	$(BIN)/python -m pytest

# JupyterLab on notebooks/ (kernels start there; figures still go to the project's figures/).
# Builds the dataset first when there is none. Extra arguments: make lab LAB_ARGS=--no-browser
# (root, e.g. in a container, gets --allow-root); the venv's kernel is preferred over a user's.
LAB_ARGS ?=
LAB_ROOT := $(if $(filter --allow-root,$(LAB_ARGS)),,$(if $(filter 0,$(shell id -u)),--allow-root,))
lab: $(STAMP)
	@test -f data/processed/thb_figures.parquet || { \
	  echo "make lab: no dataset in data/processed yet: building it (make data)"; \
	  $(MAKE) --no-print-directory data || echo "make lab: the dataset could not be built; see above"; }
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab notebooks/ $(LAB_ARGS) $(LAB_ROOT)

# the documentation (README.md and docs/*.md, mistune) and the API reference from the docstrings
# (pdoc, in build/docs/api/): a static site, offline: open build/docs/index.html
docs: $(STAMP)
	$(BIN)/python docs/build_site.py build/docs

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check thbstats tests benchmarks
	$(BIN)/ruff format --check thbstats tests benchmarks

clean:
	rm -rf build data/processed/*.parquet data/processed/*.csv data/processed/*.json figures/*
