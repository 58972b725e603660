# Oversight: `make run` serves the demo partnership; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run serve static scheduler test test-dates install install-dev assets migrate demo lint typecheck check-deploy worker bench loadtest screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Rebuilt only when a source changed: the deployment guide's `make install assets`, run by a
# test while browser tests load the stylesheet, then leaves it in place (decision 0027).
DIST_BUILT := oversight/static/dist/.built
$(DIST_BUILT): node_modules/.package-lock.json frontend/build.mjs frontend/oversight.mjs $(wildcard frontend/scss/*.scss)
	npm run --silent build
	touch $@

assets: $(DIST_BUILT)

migrate: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) seed_demo --if-empty

# The task queue's worker and the scheduler run beside the server, so queued work (emails,
# reminders, drift evaluation) happens while you try the demo; they stop with the server.
# Emails are printed here (the console backend) unless EMAIL_URL says otherwise.
run: install assets demo
	@echo "Serving Oversight on http://$(HOST):$(PORT)/ with the task queue's worker and the scheduler"
	export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(MANAGE) db_worker & worker=$$!; $(MANAGE) crontask & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production settings on this machine over plain HTTP on loopback (bin/serve): the
# built assets collected (hashed, compressed), gunicorn and the task queue's worker.
serve: install assets demo
	HOST=$(HOST) PORT=$(PORT) bin/serve

# The release build's last step (docs/deploy.md): hashed, compressed copies of the built
# assets in STATIC_ROOT, which whitenoise serves under the production settings.
static: install assets
	$(MANAGE) collectstatic --no-input -v 0

worker: migrate
	$(MANAGE) db_worker

scheduler: migrate
	$(MANAGE) crontask

# In as many processes as the machine has cores (pytest-xdist); the browser tests and those
# that build the assets share one of them (conftest.py, decision 0027). TEST_PROCESSES=0: one.
TEST_PROCESSES ?= auto
test: install-dev assets
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

# The suite without the browser, with the whole process's clock set to each of these days
# (libfaketime): the 1st of a month, 28 Feb in a common year, a substitute bank holiday
# (Boxing Day 2026 falls on a Saturday) and 29 Feb in a leap year, side by side (bin/test-dates).
# No test may depend on today.
CLOCK_DATES ?= 2027-01-01 2027-02-28 2026-12-28 2028-02-29
test-dates: install-dev assets
	bin/test-dates $(BIN)/pytest $(CLOCK_DATES)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy oversight
	$(BIN)/lint-imports

check-deploy: install
	DJANGO_SETTINGS_MODULE=oversight.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -d '/+=')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-oversight.example.org} \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} \
	EMAIL_URL=$${EMAIL_URL:-smtp+tls://mailer@example.org:secret@smtp.example.org:587} \
	DEFAULT_FROM_EMAIL=$${DEFAULT_FROM_EMAIL:-oversight@example.org} \
	SITE_URL=$${SITE_URL:-https://oversight.example.org} \
	$(MANAGE) check --deploy --fail-level WARNING

bench: install
	$(BIN)/python -m bench.bench $(BENCH_ARGS)
	$(BIN)/python -m bench.floors $(FLOORS_ARGS)

# gunicorn under the production settings on loopback, driven by a closed-loop mixed load of
# the five personas at 10, 50 and 200 users (bench/loadtest.py); LOADTEST_ARGS="--seconds 60".
loadtest: install assets
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules oversight/static/dist staticfiles

# Pictures of each demo persona's home page and the dashboards in docs/screenshots/ (a
# throwaway SQLite demo, served on loopback; needs Debian's chromium).
screenshots: install-dev assets
	$(BIN)/python bin/screenshots
