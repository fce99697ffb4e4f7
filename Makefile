# sarkit: the two commands a newcomer needs are `make demo` and `make test`.
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SARKIT := $(VENV)/bin/sarkit
CASE   ?= examples/case
DEMO   := build/demo/case
DEBS   := poppler-utils tesseract-ocr tesseract-ocr-eng libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation
TEST_DEBS := chromium npm

.PHONY: install install-test system-deps test-deps demo test lint bench example clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .

install-test: $(PY) system-deps test-deps
	$(PY) -m pip install --quiet -e '.[test]'

# Debian packages the OCR and the tests need; installed only when missing.
system-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The accessibility test runs axe-core (npm) in Debian's headless Chromium.
test-deps:
	@missing=""; for p in $(TEST_DEBS); do command -v $$p >/dev/null 2>&1 || dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The main job on a copy of the fictional example case (in build/demo/, so examples/ stays as committed):
# check, propose, bundle, verify.
demo: install system-deps
	@rm -rf $(DEMO) && mkdir -p $(dir $(DEMO)) && cp -R $(CASE) $(DEMO) && rm -rf $(DEMO)/.sarkit $(DEMO)/bundle $(DEMO)/reports
	@SECONDS=0; \
	$(SARKIT) check $(DEMO) && \
	$(SARKIT) propose $(DEMO) && \
	$(SARKIT) bundle $(DEMO) --accept-proposals && \
	$(SARKIT) verify $(DEMO) && \
	echo && echo "Bundle: $(DEMO)/bundle/  (reports for the authority: $(DEMO)/reports/)" && \
	echo "Total time: $$SECONDS s"

test: install-test
	$(PY) -m pytest -q

lint: install-test
	$(PY) -m pip install --quiet ruff mypy types-PyYAML
	$(VENV)/bin/ruff check sarkit tests benchmarks examples
	$(VENV)/bin/ruff format --check sarkit tests benchmarks examples
	$(VENV)/bin/mypy sarkit --ignore-missing-imports

bench: install
	$(PY) benchmarks/corpus_score.py

# Regenerate the fictional example case from its script.
example: install
	$(PY) examples/make_example.py

clean:
	rm -rf $(VENV) build dist *.egg-info $(CASE)/.sarkit $(CASE)/bundle $(CASE)/reports
