# Two commands do everything on a fresh clone: `make run` (web chat) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test screenshots bench load lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Converts the bundled embedding model and builds the index once; later runs reuse both.
setup: $(STAMP)
	HF_HUB_OFFLINE=1 $(PY) -m assistant index

run: setup
	HF_HUB_OFFLINE=1 $(PY) -m assistant serve

test: setup
	HF_HUB_OFFLINE=1 $(PY) -m pytest

# The README's images: the browser tests that take them, saving them into docs/screenshots/ (tracked).
screenshots: setup
	HF_HUB_OFFLINE=1 TONGBAO_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/test_browser.py -q -k "5g_answer or targets_tab"

bench: setup
	HF_HUB_OFFLINE=1 $(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .

load: setup
	HF_HUB_OFFLINE=1 $(PY) -m bench.load
