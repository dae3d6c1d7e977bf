# Every command a developer needs. `make run` and `make test` work on a fresh clone (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=true

.PHONY: run install test lint format lock bench bench-report check-python audit load load-restart load-scale-out \
	drill-failover drill-restore eval-change eval-experiments eval-flares eval-flares-ceiling eval-insights

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "BFS Tracker needs Python 3.11 or newer; set PYTHON=python3.11")'

# Installs from the lock file: every transitive dependency pinned, each file checked against its hash.
$(VENV)/.installed: requirements-dev.lock | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

## Install everything, prepare the database and a demo account (development only), serve on port 8000.
run: install
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py ensure_demo
	$(DEV) $(PY) manage.py seed_demo_timeline --user demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

## Lint, then the whole test suite (unit, views, real browser) against DATABASE_URL, or SQLite when unset.
test: install
	scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m bandit -q -c pyproject.toml -r bfs_tracker
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run --settings=bfs_tracker.settings_test
	$(PY) -m pytest

## After editing requirements.txt or requirements-dev.txt: compile the lock files (every transitive dependency, with
## the hashes of its files on PyPI). Machine-local package sources are ignored, so the locks name PyPI's files only.
lock: install
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.txt
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.txt

lint: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Flare detection on the labelled made-up corpus: precision, recall, edge errors per category (docs/trends.md).
## SEEDS=100 histories per category from seed SEED_START=0 (100 for held-out ones); COMPARE=--compare also scores
## the other methods.
eval-flares: install
	$(DEV) $(PY) manage.py eval_flares --seeds $(or $(SEEDS),100) --seed-start $(or $(SEED_START),0) $(COMPARE)

## What any detector could reach on the same corpus: an oracle that knows the true usual level and flare spans
## (docs/trends.md, "What any detector could reach on this corpus"). SCALE=count judges counts instead of log(1 + x).
eval-flares-ceiling: install
	$(DEV) $(PY) manage.py eval_flares --ceiling --seeds $(or $(SEEDS),100) --seed-start $(or $(SEED_START),0) --scale $(or $(SCALE),log)

## Every main page under wrk against gunicorn with production settings, as a ratio to the signed-in trivial page in
## the same run: PostgreSQL (DATABASE_URL, when it is one; seeds 10 years of logs into it) and SQLite with Django's
## defaults. Writes the figures and the machine into docs/performance.md (see bench/pages.py).
bench: install
	$(PY) bench/pages.py

## Simulate thousands of self-experiments on realistic histories and print how often each verdict is right
## (docs/trends.md, "Self-experiments"). About a quarter of an hour; ARGS="--scenarios 4,7" runs chosen rows.
eval-experiments: install
	DJANGO_SETTINGS_MODULE=bfs_tracker.settings_test $(PY) -c "import django; django.setup(); \
		from bfs_tracker.trends.experiment_eval import main; main()" $(ARGS)

## Time a one-year doctor's PDF (and CSV, FHIR) against baselines measured in the same run; see docs/performance.md.
bench-report: install
	$(PY) bench/report.py

## The report's "Change" column on labelled made-up histories: false "more"/"less" and changes found (docs/trends.md).
eval-change: install
	$(PY) -m bfs_tracker.trends.change_eval

## "What goes with worse days" on labelled made-up day records: false links, links found, per category and method
## (docs/trends.md). A few minutes on one core; ARGS="--histories 50 --methods effective_days" for a quicker look.
eval-insights: install
	$(PY) -m bfs_tracker.trends.insights_eval $(ARGS)

## Check pinned dependencies against the PyPI advisory database. Fails when the service cannot be reached:
## an audit that could not run is not a pass.
audit: install
	scripts/audit-dependencies

## Mixed load on gunicorn + PostgreSQL (its own cluster, port 5439), then a zero-loss count (docs/performance.md).
load: install
	$(PY) bench/mixed_load.py

## The same with PostgreSQL restarted half-way through.
load-restart: install
	$(PY) bench/mixed_load.py --restart-postgres

## The same spread over two gunicorn instances on two ports.
load-scale-out: install
	$(PY) bench/mixed_load.py --instances 2

## Failover drill: primary + streaming replica (clusters 15 drill_primary/drill_replica, ports 5441/5442, made and
## dropped by the drill), the primary killed under load, the replica promoted, gunicorn reloaded onto it; async, then
## sync replication. Needs root. 3-5 minutes on a busy 2-core machine; figures in docs/performance.md.
drill-failover: install
	$(PY) bench/drill_failover.py

## Point-in-time restore drill: encrypted (age) WAL archive + base backup, a bad import under load, recovery to just
## before it into a fresh cluster (15 drill_source/drill_restore, ports 5444/5443), zero-loss and export checks.
## Needs root. 2-3 minutes.
drill-restore: install
	scripts/ensure-age
	$(PY) bench/drill_restore.py
