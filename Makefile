PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test test-unit chromium

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "wirestream needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=75" wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

test-unit: setup
	$(BIN)/pytest -q -m "not integration and not chaos"

# The dashboard test drives Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the dashboard test"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; }

test: setup chromium
	$(BIN)/pytest -q

.PHONY: demo kafka-up kafka-down kafka-status

demo: setup
	$(BIN)/python -m wirestream.demo

kafka-up: setup
	$(BIN)/wirestream broker up

kafka-down: setup
	$(BIN)/wirestream broker down

kafka-status: setup
	$(BIN)/wirestream broker status

.PHONY: lint
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: test-chaos
test-chaos: setup
	$(BIN)/pytest -q -m chaos -s

.PHONY: bench-quality
# Reads both development corpora beside the repository (../shared/corpus/aeb and fundus) unless CORPUS is set.
bench-quality: setup
	$(BIN)/python bench/quality.py $(foreach c,$(CORPUS),--corpus $(c))

# The benchmark has a virtualenv of its own: quixstreams (the peer it is compared with) pins
# pydantic below the version the tests run on.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: bench
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python bench/throughput.py $(BENCH_ARGS)

$(BENCH_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "the benchmark needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --upgrade pip "setuptools>=75" wheel
	$(BENCH_VENV)/bin/pip install -q -e '.[bench]'
	touch $(BENCH_STAMP)

.PHONY: bench-syndication
# Syndication quality on a stream generated from the development corpora (../shared/corpus unless CORPUS is set).
bench-syndication: setup
	$(BIN)/python bench/syndication.py $(if $(CORPUS),--corpus $(CORPUS)) $(if $(SEED),--seed $(SEED))
