# ckanext-datenraum: `make run` serves the demo catalogue with the production process set,
# `make dev` with the development server, `make test` runs the suite.
# All set up everything they need on a fresh Debian machine and are quick the second time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
CKAN := $(VENV)/bin/ckan
HOST ?= 127.0.0.1
PORT ?= 5000
# make run: gunicorn workers (empty: 2 x CPU cores + 1) and harvest fetch consumers
WEB_WORKERS ?=
FETCH_CONSUMERS ?= 2
# The 25 slowest tests are listed after the run: the suite must stay under 30 min.
PYTEST_ARGS ?= --durations=25
export HOST PORT

.PHONY: help setup services stop status db demo run dev test lint format ckan.ini clients

help:
	@echo "make run       set up, start services, initialise and serve http://$(HOST):$(PORT)"
	@echo "               with the production process set (gunicorn, harvest consumers, jobs, scheduler)"
	@echo "make dev       the same catalogue under CKAN's development server (reloads on changes)"
	@echo "make test      set up, start services, lint and run the tests"
	@echo "make services  start PostgreSQL, Redis and Solr (127.0.0.1)"
	@echo "make stop      stop what the project started"
	@echo "make status    show the services' state"

setup:
	@scripts/system-packages.sh
	@scripts/venv.sh
	@scripts/solr.sh build

services: setup
	@scripts/services.sh up

stop:
	@scripts/services.sh down

status:
	@scripts/services.sh status

# Rendered every time: cheap, and it follows HOST, PORT and the service ports.
ckan.ini:
	@scripts/render-config.sh

db: services ckan.ini
	@$(CKAN) -c ckan.ini db upgrade
	@# scripts/solr.sh flags a changed Solr schema: then the whole index is rebuilt once.
	@if [ -f var/solr/reindex-needed ]; then \
		$(CKAN) -c ckan.ini search-index rebuild --quiet && rm -f var/solr/reindex-needed; \
	else $(CKAN) -c ckan.ini search-index rebuild --only-missing --quiet; fi

demo: db
	@$(CKAN) -c ckan.ini datenraum demo
	@$(CKAN) -c ckan.ini datenraum doctor --services-only

run: demo
	@WEB_WORKERS=$(WEB_WORKERS) FETCH_CONSUMERS=$(FETCH_CONSUMERS) scripts/run.sh ckan.ini

dev: demo
	@echo "Development server at http://$(HOST):$(PORT) (reloads on code changes; no harvest"
	@echo "consumers, jobs worker or scheduler: make run has them); Ctrl-C stops"
	@$(CKAN) -c ckan.ini run --host $(HOST) --port $(PORT) --threaded

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: setup
	@$(VENV)/bin/ruff format .

# GovData's harvesting stack (CKAN 2.10 in its own Python 3.10 virtualenv) for tests/govdata/.
clients: setup
	@scripts/govdata-client.sh install

# pytest exits 5 when it collected no test: for us that means the suite is broken.
test: services lint clients
	@set +e; $(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc
