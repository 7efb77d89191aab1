PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrate demo

$(STAMP): pyproject.toml
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

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
