# Polku: `make demo` starts a seeded demo at http://127.0.0.1:8000; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_ENV := env -u DATABASE_URL POLKU_DEBUG=1 POLKU_DEMO=1 POLKU_MFA_REQUIRED_ROLES=none
PORT ?= 8000

.PHONY: demo test lint typecheck pytest install system-deps messages makemessages bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[postgres,dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages the suite needs: Chromium for the browser tests, gettext for translations,
# Pango, HarfBuzz and DejaVu fonts for WeasyPrint's PDFs (å, ä, ö and € in every language),
# poppler-utils for the tests that read the PDFs back.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	/sbin/ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	/sbin/ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Catalogues need no settings: django-admin finds src/polku/locale from the working directory.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || $(MAKE) system-deps
	cd src/polku && env -u DJANGO_SETTINGS_MODULE ../../$(BIN)/django-admin compilemessages --verbosity 0

makemessages: $(STAMP)
	cd src/polku && env -u DJANGO_SETTINGS_MODULE ../../$(BIN)/django-admin makemessages \
	  -l fi -l sv -l en --no-obsolete --ignore 'static/*' --add-location file

demo: $(STAMP) messages
	$(DEMO_ENV) $(BIN)/polku migrate --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/polku seed-demo --if-empty
	$(DEMO_ENV) $(BIN)/polku notify-due
	$(DEMO_ENV) $(BIN)/polku schedule-follow-ups
	@echo "Two-factor sign-in is not enforced in the demo (POLKU_MFA_REQUIRED_ROLES=none)."
	@echo ""
	@echo "Polku runs at http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	@# The background worker runs the jobs pages queue (comparison-group runs) beside the server
	@# and stops with it.
	@$(DEMO_ENV) $(BIN)/polku db_worker --queue-name '*' --no-reload --interval 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/polku runserver 127.0.0.1:$(PORT) --noreload

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src tests

pytest: $(STAMP) system-deps messages
	$(BIN)/pytest

# With DATABASE_URL set the suite runs on that database; without it, on SQLite.
test: system-deps $(STAMP) messages lint typecheck pytest

bench: $(STAMP) messages
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache test-artifacts
