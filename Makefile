# The newest supported Python on the PATH, unless PYTHON= is given.
# (A name that is on the PATH but does not run, like an inactive pyenv shim, is skipped.)
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11; do $$p -c '' 2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP := $(VENV)/.installed-$(PYTHON_VERSION)-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint migrate demo print-python bench bench-quick

$(STAMP): pyproject.toml
	@test -n "$(PYTHON_VERSION)" || { echo "Python 3.11, 3.12 or 3.13 is needed (or PYTHON=/path/to/python)." >&2; exit 1; }
	@# A virtualenv made by another Python is replaced, not reused.
	@if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYTHON_VERSION)" ]; then rm -rf $(VENV); fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_questionnaires
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_students
	$(PY) manage.py seed_demo_staff
	$(PY) manage.py setup_schedules

run: demo
	@echo ""
	@echo "Testodrome is starting on http://$(HOST):$(PORT)/"
	@echo "  API docs:   http://$(HOST):$(PORT)/partner/api/v2/docs"
	@echo "  Dashboard:  http://$(HOST):$(PORT)/reports/  (demo-staff / demo-staff-password)"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  Try:        curl 'http://$(HOST):$(PORT)/partner/api/v2/user/register?client=demo-client-key-for-local-development&user_id=student-1'"
	@echo ""
	PY=$(PY) bin/dev-server $(HOST):$(PORT)

# Production: gunicorn and the task worker, configured by the environment (README, Production).
serve: install
	PY=$(PY) bin/serve

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The whole benchmark, PostgreSQL and wrk needed (bench/README.md, "Reproduce"):
#   make bench                 full run (~45 min): 100k users, scale step at USERS (1,000,000)
#   make bench-quick           ~4 min, small data, to check a change (same as QUICK=1)
#   make bench USERS=500000 DB=bench_run_x ARGS="…"   ARGS: any other bench/run.py option
bench: install
	$(PY) bench/run.py $(if $(filter 1 yes true,$(QUICK)),--quick) $(if $(USERS),--users $(USERS)) $(if $(DB),--db $(DB)) $(ARGS)

bench-quick:
	$(MAKE) bench QUICK=1

print-python:
	@echo $(PYTHON)
