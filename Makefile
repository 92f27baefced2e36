# CafePOS: `make serve` runs a demo cafe on http://127.0.0.1:8000; `make test` runs the suite.
VENV   ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install serve test lint format migrate stack stack-stop chromium bench-kds

$(STAMP): requirements/base.txt requirements/prod.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

serve: migrate
	$(PY) manage.py seed_demo
	$(VENV)/bin/uvicorn cafepos.asgi:application --host $(HOST) --port $(PORT) --lifespan off

test: install chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Debian's Chromium for the browser tests: installed with apt when missing and root; else they skip.
chromium:
	scripts/ensure-chromium.sh

# Kitchen display fan-out and idle sockets on one uvicorn (a throwaway PostgreSQL database, emptied, and Redis);
# writes its section of bench/RESULTS.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cafepos_bench_kds
BENCH_REDIS_URL    ?= redis://127.0.0.1:6379/0
bench-kds: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) REDIS_KEY_PREFIX=cafepos-bench-kds \
		$(PY) bench/kds_fanout.py --write bench/RESULTS.md $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The production stack on this machine (nginx, gunicorn, uvicorn, Celery) on http://127.0.0.1:8080;
# PostgreSQL and Redis from DATABASE_URL and REDIS_URL. See README "Deploying".
stack: install
	deploy/local-stack.sh start

stack-stop:
	deploy/local-stack.sh stop

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
