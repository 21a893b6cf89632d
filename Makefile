# The two commands of the contract: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint setup browser index bench clean

setup: $(STAMP)

# torch first, pinned to the CPU wheel on disk, so no dependency can pull a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

# Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download).
browser:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

index: $(STAMP)
	$(PY) -m mock_interviewer.cli index build

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(PY) -m mock_interviewer.cli serve

lint: $(STAMP)
	$(PY) -m ruff check server tests bench
	$(PY) -m mypy

test: $(STAMP) browser lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/search.py
	$(PY) bench/grading.py

clean:
	rm -rf $(VENV) .cache
