# Two commands do everything on a fresh machine:
#   make run   — install, migrate SQLite, compile translations, collect static, load demo content,
#                create a local admin, serve on http://127.0.0.1:8000
#   make test  — install test tools and run the whole suite
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# manage.py defaults to cms.settings.dev; the test suite always runs on cms.settings.test.

.PHONY: run test setup system-deps browser-deps install install-dev messages lint audit bench faults clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# gettext's msgfmt compiles locale/*.po; installed from Debian's packages when missing.
system-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }

# The real-browser tests drive Debian's chromium (Playwright never downloads a browser here) and
# inject axe-core; make audit runs Lighthouse and vnu-jar (on Debian's Java). All three are
# pinned by tests/browser/package-lock.json and installed into .cache/npm. Both steps are
# skipped when already done; if chromium cannot be installed the browser tests skip, saying why.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	mkdir -p .cache/npm
	cp tests/browser/package.json tests/browser/package-lock.json .cache/npm/
	cd .cache/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

browser-deps: $(AXE)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "chromium could not be installed: the browser tests will be skipped"
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless; } \
		|| echo "java could not be installed: make audit cannot run the Nu HTML Checker"

install: system-deps $(VENV)/.installed
install-dev: system-deps $(VENV)/.installed-dev

setup: install
	$(PY) manage.py backup_sqlite
	$(PY) manage.py migrate --noinput
	$(PY) manage.py update_translation_fields
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_local_admin

# Absolute links (canonical, hreflang, sitemap, API urls) use the address it serves.
run: setup
	$(PY) manage.py set_site_address $(HOST) $(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Compiles locale/**/*.po; Django skips the .mo files already up to date, so two test runs
# side by side (.ci/run) never write the same file once it has run.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v 0

# pytest-xdist spreads the suite over PYTEST_WORKERS processes (each with its own database).
PYTEST_WORKERS ?= 2
test: install-dev browser-deps messages
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Lighthouse (100 in accessibility, best practices and SEO on the home, a therapy and the
# article in both languages) and the Nu HTML Checker (no error on any page type) against the
# demo content served by gunicorn with production settings (tests/browser/audit.py).
audit: install browser-deps messages
	$(PY) tests/browser/audit.py

# lint-imports checks the dependency direction of pyproject.toml's [tool.importlinter].
lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

# Benchmarks (docs/BENCHMARKS.md): production settings, gunicorn and granian, PostgreSQL and
# Redis on loopback, wrk as load generator. BENCH_QUICK=1 for the short run (under 3 minutes).
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.run

# Faults and load (bench/faults.py, about 3 minutes): production stack on loopback, 60 s of load
# at 50 connections with publishes every second, Redis stopped and PostgreSQL restarted under
# load. Uses the machine's PostgreSQL and Redis (restarts them: not while other tests use them).
faults: install
	$(PY) bench/faults.py

clean:
	rm -rf $(VENV) staticfiles
