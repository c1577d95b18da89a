# exhibition: `make demo` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Production is the default (DEBUG off, SECRET_KEY required): the local demo, its smoke test and
# the benchmarks ask for the embedded demo settings themselves.
DEMO := DEBUG=$${DEBUG:-1}

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment and install requirements.txt

demo: venv ## Migrate, seed the Milipol-sized demo show (first time) and serve it on http://127.0.0.1:8000
	$(DEMO) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py seed_demo --if-missing
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(DEMO) $(PY) manage.py runserver 127.0.0.1:$(PORT)

reseed: venv ## Rebuild the demo show from scratch (drops demo data)
	$(DEMO) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py seed_demo

# Two processes (pytest-xdist), one per core of the machine CI runs on: each has its own test
# database and Redis database (tests/settings.py). TEST_WORKERS=1 runs the suite in one process.
TEST_WORKERS ?= 2
test: venv ## Run the whole test suite (SQLite by default; DATABASE_URL / REDIS_URL for the real services)
	$(PY) -m pytest -q $(if $(filter 1,$(TEST_WORKERS)),-p no:xdist,-n $(TEST_WORKERS))

smoke: venv ## Prove the embedded default (SQLite, eager tasks) migrates, seeds and serves
	$(DEMO) bash .ci/smoke

fuzz: venv ## Fuzz the API as every role (needs DATABASE_URL on PostgreSQL; FUZZ_EXAMPLES=50 FUZZ_RANDOM=1 to explore)
	$(PY) -m pytest -q -s tests/test_api_fuzz.py

bench: venv ## Print the benchmark figures (see README)
	@set -e; for f in tests/bench/bench_*.py; do echo "== $$f"; $(DEMO) $(PY) $$f $(BENCH_ARGS); done

lint: venv typecheck ## ruff lint, the formatting ruff format and djlint give (`make format` applies them), djlint's template rules, typecheck
	$(PY) -m ruff check exhibition tests
	$(PY) -m ruff format --check exhibition tests
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check

# The django-stubs plugin imports the settings: the demo ones (DEBUG=1) need no SECRET_KEY.
typecheck: venv ## mypy, strict, on every app's services and selectors and on both planners (config: [tool.mypy] in pyproject.toml)
	$(DEMO) $(PY) -m mypy exhibition/meetings/scheduling exhibition/delegations/scheduling \
		$(wildcard exhibition/*/services exhibition/*/services.py exhibition/*/selectors exhibition/*/selectors.py)

format: venv ## Format the code (ruff format), sort imports, format the templates (djlint --reformat)
	$(PY) -m ruff format exhibition tests
	$(PY) -m ruff check --select I --fix exhibition tests
	@# djlint --reformat exits 1 when it changed a file: then the check says whether all is done.
	$(VENV)/bin/djlint templates --reformat || $(VENV)/bin/djlint templates --check

worker: venv ## Run one Celery worker for both queues, with beat (development; needs REDIS_URL)
	$(VENV)/bin/celery -A exhibition worker -B -Q short,planners --loglevel=INFO

.PHONY: help venv demo reseed test smoke fuzz bench lint typecheck format worker
