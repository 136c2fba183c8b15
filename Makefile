# Everyday commands. Only python3 must be installed: everything else comes from PyPI into .venv.
#   make run    set up, migrate, load demo data, serve on http://127.0.0.1:5000
#   make test   set up, then run the test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-stamp
# The Chinese font of the delivery sheets (PDF): Debian's fonts-noto-cjk, installed when missing.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
FLASK := $(BIN)/flask --app webapp
TRANSLATIONS := webapp/translations
PYTEST_ARGS ?=

.PHONY: run test lint bench install babel-extract babel-compile

run: install
	$(FLASK) db-upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Each bench/*.py is a stand-alone script that prints its measurements (bench/_*.py are helpers).
bench: install
	@set -e; for script in bench/[!_]*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

install: $(STAMP) babel-compile $(CHROMIUM) $(CJK_FONT)

# Debian packages, as file targets: apt runs only while a file is missing, so repeated runs stay
# fast. chromium for the browser tests (Playwright launches it by path; no browser is
# downloaded), the CJK font for the delivery sheets. As root, or through sudo.
define apt_install
	@if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "install $(1) as root (apt-get install $(1))" >&2; exit 1; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1) >/dev/null \
		|| { $$sudo apt-get update -q && \
			$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1) >/dev/null; }
	@test -f $@
endef

$(CHROMIUM):
	$(call apt_install,chromium)

$(CJK_FONT):
	$(call apt_install,fonts-noto-cjk)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# .mo files are build output (not committed): compiled on every run and test. The `wtforms`
# domain holds WTForms' built-in messages in the languages WTForms does not ship (vi, id).
babel-compile: $(STAMP)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)
	$(BIN)/pybabel -q compile -D wtforms -d $(TRANSLATIONS)

# Collect the strings to translate, then merge them into every catalog (zh_Hant, en, vi, id).
babel-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F webapp/babel.cfg -k _l -k lazy_gettext -k N_ \
		--add-location=file --sort-by-file --project=familybook \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete
