PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test test-unit chromium

setup: $(STAMP)

# Exactly the versions in requirements.lock (hash-checked), then wirestream itself without
# resolving anything; `pip check` fails when pyproject.toml asks for what the lock lacks.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "wirestream needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "requirements.lock is out of date with pyproject.toml: run make lock"; exit 1; }
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
	$(BIN)/wirestream broker up $(if $(BROKERS),--brokers $(BROKERS))

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

$(BENCH_STAMP): pyproject.toml requirements-bench.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "the benchmark needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --require-hashes --no-deps -r requirements-bench.lock
	$(BENCH_VENV)/bin/pip install -q --no-deps --no-build-isolation -e .
	@$(BENCH_VENV)/bin/pip check >/dev/null || { $(BENCH_VENV)/bin/pip check; echo "requirements-bench.lock is out of date: run make lock"; exit 1; }
	touch $(BENCH_STAMP)

.PHONY: bench-syndication
# Syndication quality on a stream generated from the development corpora (../shared/corpus unless CORPUS is set).
bench-syndication: setup
	$(BIN)/python bench/syndication.py $(if $(CORPUS),--corpus $(CORPUS)) $(if $(SEED),--seed $(SEED))

# Pinned dependencies. requirements.lock: every package `make setup`, `make test` and the Docker
# image install, with hashes; requirements-bench.lock: the benchmark's (quixstreams pins pydantic
# lower). Both are resolved by uv from pyproject.toml (its dependencies, extras and build
# requirements, so that the venv's pip and setuptools are pinned too) for every platform.
# `make lock` keeps the versions already locked and adds what pyproject.toml newly asks for;
# `make lock UPGRADE=1` moves everything to the newest versions pyproject.toml allows.
LOCK_TOOL := uv==0.13.9
LOCK_VENV := .venv-lock
LOCK_OPTIONS := --quiet --universal --generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
BUILD_REQUIRES = $(PYTHON) -c 'import tomllib; print("\n".join(["pip", *tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]]))'

.PHONY: lock
lock:
	test -f "$(LOCK_VENV)/$(LOCK_TOOL)" || { $(PYTHON) -m venv --clear $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install -q "$(LOCK_TOOL)" && touch "$(LOCK_VENV)/$(LOCK_TOOL)"; }
	$(BUILD_REQUIRES) | $(LOCK_VENV)/bin/uv pip compile pyproject.toml - --extra dev $(LOCK_OPTIONS) -o requirements.lock
	$(BUILD_REQUIRES) | $(LOCK_VENV)/bin/uv pip compile pyproject.toml - --extra bench $(LOCK_OPTIONS) -o requirements-bench.lock

# The three-broker suite (tests/cluster, marker `cluster`): broker loss, rolling restarts and a
# broker down for a minute under load. About 15 minutes, so `make test` leaves it out.
.PHONY: test-cluster
test-cluster: setup
	$(BIN)/pytest -q -m cluster -s
