# CafePOS: `make serve` runs a demo cafe on http://127.0.0.1:8000; `make test` runs the suite.
VENV   ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install messages messages-extract serve test lint format migrate stack stack-stop chromium bench-kds bench chaos audit mutate mutate-core

$(STAMP): requirements/base.txt requirements/prod.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

# The translations' .mo files are built, never committed (compiled with Babel: no GNU gettext needed).
messages: install
	$(PY) manage.py compilemessages

# Write the catalogs to translate: every string the code marks, for every shipped language but English, in both
# domains (django: Python and templates; djangojs: the pages' scripts). Our makemessages
# (cafepos/management/commands/makemessages.py) skips .venv, node_modules, staticfiles, media, mutants, bench,
# chaos and tests, and writes no source locations and no obsolete entries. Needs GNU gettext (xgettext); run it
# after marking strings, translate the new entries, commit the .po files (cafepos/tests/test_catalogs.py fails on
# a stale, empty, fuzzy or untranslated catalog).
messages-extract: install
	$(PY) manage.py makemessages --domain django
	$(PY) manage.py makemessages --domain djangojs

migrate: install messages
	$(PY) manage.py migrate --noinput

serve: migrate
	$(PY) manage.py seed_demo
	$(VENV)/bin/uvicorn cafepos.asgi:application --host $(HOST) --port $(PORT) --lifespan on

# The browser tests need PostgreSQL and Redis (they skip without DATABASE_URL): Chromium only when they can run.
test: install messages $(if $(DATABASE_URL),chromium)
	$(VENV)/bin/lint-imports --no-cache
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

# The production-like stack (nginx, gunicorn, uvicorn, Celery) on loopback with 100,000 past orders, driven
# open-loop up to p99 200 ms, next to its ceilings (constant views, pgbench), then WebSockets; then bench-kds.
# Writes bench/results.json and bench/RESULTS.md. About 15 minutes; BENCH_RUN_ARGS=--quick for a smoke run.
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/run.py $(BENCH_RUN_ARGS)
	$(MAKE) bench-kds

# Fault tests on a private PostgreSQL and Redis (chaos/): server killed mid-request, Redis and PostgreSQL
# restarted under traffic, 1,000 WebSocket clients churning. A few minutes; CI runs it after make test.
chaos: install
	CAFEPOS_CHAOS=1 $(VENV)/bin/pytest chaos -p no:xdist -p no:cacheprovider $(PYTEST_ARGS)

# Mutation testing of the money code (bench/mutation.py, setup.cfg's [mutmut]) on the embedded defaults: every
# module's score into bench/RESULTS.md (over an hour the first time; MUTATE_ARGS="--children 1" leaves a core free).
# `make mutate-core` (CI, a few minutes) runs the money examples alone against cafepos/money.py's and
# orders/services/pricing.py's mutants and fails when one survives. mutmut keeps one set of results in mutants/:
# after the other target's different tests, a run starts from scratch.
mutate: install
	$(PY) bench/mutation.py --write bench/RESULTS.md $(MUTATE_ARGS)
mutate-core: install
	$(PY) bench/mutation.py --core --gate

# pip-audit on the pinned requirements and bandit on the code, into bench/RESULTS.md (advisory, not in CI).
audit: install
	$(PY) bench/audit.py

# ruff (style, complexity), the layers contract (.importlinter) and copied code: 8 similar lines or more, outside
# migrations (pylint's duplicate-code). CI runs it before the tests.
DUPLICATE_CODE_PATHS ?= accounts cafepos delivery menu orders pos realtime reports tables testing bench chaos
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pylint --disable=all --enable=duplicate-code --min-similarity-lines=8 --ignore=migrations \
		--score=n $(DUPLICATE_CODE_PATHS)

# The production stack on this machine (nginx, gunicorn, uvicorn, Celery) on http://127.0.0.1:8080;
# PostgreSQL and Redis from DATABASE_URL and REDIS_URL. See README "Deploying".
stack: install
	deploy/local-stack.sh start

stack-stop:
	deploy/local-stack.sh stop

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
