PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test test-unit

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "wirestream needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=75" wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

test-unit: setup
	$(BIN)/pytest -q -m "not integration and not chaos"

test: setup
	$(BIN)/pytest -q -m "not chaos"

.PHONY: demo kafka-up kafka-down kafka-status

demo: setup
	$(BIN)/python -m wirestream.demo

kafka-up: setup
	$(BIN)/wirestream broker up

kafka-down: setup
	$(BIN)/wirestream broker down

kafka-status: setup
	$(BIN)/wirestream broker status

.PHONY: test-chaos
test-chaos: setup
	$(BIN)/pytest -q -m chaos -s

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
