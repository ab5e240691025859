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

.PHONY: test-chaos
test-chaos: setup
	$(BIN)/pytest -q -m chaos -s

.PHONY: bench-quality
# Reads the extraction-benchmark corpus beside the repository (../shared/corpus/aeb) unless CORPUS is set.
bench-quality: setup
	$(BIN)/python bench/quality.py $(if $(CORPUS),--corpus $(CORPUS))
