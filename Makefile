# Two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PY312 ?= $(PYENV_ROOT)/versions/3.12.1/bin/python3.12
PY311 ?= $(PYENV_ROOT)/versions/3.11.7/bin/python3.11
VENV := $(CURDIR)/.venv
VENV219 := $(CURDIR)/.venv-219
# Outside the work tree: ansible-test lists files with git, and would see none in an ignored folder.
BUILD ?= /tmp/oceanbase-backup-build-$(shell printf '%s' '$(CURDIR)' | md5sum | cut -c1-8)
COLL := $(BUILD)/ansible_collections/oceanbase/backup
PIP_QUIET := PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_WARN_SCRIPT_LOCATION=1
export ANSIBLE_COLLECTIONS_PATH := $(BUILD)
export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
# ansible-test writes here; it must stay out of the staged tree that sanity reads.
TEST_ENV = PATH="$(1)/bin:$$PATH" VIRTUAL_ENV="$(1)"
# Narrow a run: `make integration TARGETS=reliability_faults`, `make units TARGETS=tests/unit/plugins/filter`.
TARGETS ?=

.PHONY: help venv venv-219 stage units sanity docs integration lint molecule units-219 integration-219 test demo bench clean browser chromium

help:
	@echo "make demo   - start the simulator and run the compliance audit against it"
	@echo "make test   - the whole suite (what .ci/run calls)"

$(VENV)/.stamp: tests/requirements.txt
	@test -x "$(PY312)" || { echo "Python 3.12.1 not found at $(PY312) (pyenv versions 3.12.1); set PY312=/path/to/python3.12"; exit 1; }
	@echo "== building $(VENV) (ansible-core 2.21, Python 3.12)"
	@rm -rf "$(VENV)" && "$(PY312)" -m venv "$(VENV)"
	@$(PIP_QUIET) "$(VENV)/bin/pip" install -q -r tests/requirements.txt 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $@

$(VENV219)/.stamp: tests/requirements-219.txt
	@test -x "$(PY311)" || { echo "Python 3.11.7 not found at $(PY311); set PY311=/path/to/python3.11"; exit 1; }
	@echo "== building $(VENV219) (ansible-core 2.19, Python 3.11)"
	@rm -rf "$(VENV219)" && "$(PY311)" -m venv "$(VENV219)"
	@$(PIP_QUIET) "$(VENV219)/bin/pip" install -q -r tests/requirements-219.txt 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $@

venv: $(VENV)/.stamp hack-pip-stub
venv-219: $(VENV219)/.stamp hack-pip-stub

.PHONY: hack-pip-stub
hack-pip-stub:
	@mkdir -p $(HOME)/.ansible/test/cache
	@for v in 24_2 25_2; do cp hack/get_pip_stub.py $(HOME)/.ansible/test/cache/get_pip_$$v.py; done

stage:
	@"$(firstword $(wildcard $(VENV)/bin/python) python3)" hack/stage.py "$(COLL)"

units: venv stage
	@echo "== unit tests (ansible-core 2.21, Python 3.12)"
	cd "$(COLL)" && $(call TEST_ENV,$(VENV)) ansible-test units --local --python 3.12 --color no $(TARGETS)

sanity: venv stage
	@echo "== ansible-test sanity (ansible-core 2.21, Python 3.12)"
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then echo "tests/sanity/ignore-*.txt must not exist: fix the code instead"; exit 1; fi
	cd "$(COLL)" && $(call TEST_ENV,$(VENV)) ansible-test sanity --local --python 3.12 --color no

docs: venv stage
	@echo "== ansible-doc renders every plugin and role"
	@cd "$(COLL)" && for m in plugins/modules/*.py; do n=$$(basename $$m .py); $(VENV)/bin/ansible-doc oceanbase.backup.$$n > /dev/null && echo "module $$n ok"; done
	@cd "$(COLL)" && for f in plugins/inventory/*.py; do [ -e "$$f" ] || continue; n=$$(basename $$f .py); $(VENV)/bin/ansible-doc -t inventory oceanbase.backup.$$n > /dev/null && echo "inventory $$n ok"; done
	@cd "$(COLL)" && for f in $$($(VENV)/bin/ansible-doc -t filter -l oceanbase.backup 2>/dev/null | awk '{print $$1}'); do $(VENV)/bin/ansible-doc -t filter $$f > /dev/null && echo "filter $$f ok"; done
	@cd "$(COLL)" && for r in roles/*/; do [ -d "$$r" ] || continue; n=$$(basename $$r); $(VENV)/bin/ansible-doc -t role oceanbase.backup.$$n > /dev/null && echo "role $$n ok"; done

integration: venv stage
	@echo "== ansible-test integration (ansible-core 2.21, Python 3.12)"
	@if ls tests/integration/targets/*/aliases >/dev/null 2>&1; then \
	  cd "$(COLL)" && $(call TEST_ENV,$(VENV)) ansible-test integration --local --python 3.12 --color no $(TARGETS); \
	else echo "no integration targets yet"; fi

lint: venv stage
	@echo "== ansible-lint (production profile)"
	cd "$(COLL)" && $(call TEST_ENV,$(VENV)) ansible-lint --offline --nocolor

molecule: venv stage
	@echo "== molecule"
	@if ls extensions/molecule/*/molecule.yml >/dev/null 2>&1; then \
	  cd "$(COLL)" && $(call TEST_ENV,$(VENV)) molecule test --all; \
	else echo "no molecule scenarios yet"; fi

# The HTML report in headless Chromium (the Debian package; Playwright drives it, its own browser download is not used).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "== installing chromium (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "$(CHROMIUM) is missing: apt-get install chromium (as root), or set CHROMIUM=/path/to/chromium"; exit 1; fi; \
	fi

browser: venv stage chromium
	@echo "== the HTML report in a real browser (screenshots in tests/output/)"
	cd "$(COLL)" && CHROMIUM="$(CHROMIUM)" REPORT_SCREENSHOTS="$(CURDIR)/tests/output" PYTHONPATH="$(BUILD)" \
	  "$(VENV)/bin/python" -m pytest -q -p no:cacheprovider tests/browser

units-219: venv-219 stage
	@echo "== unit tests (ansible-core 2.19, Python 3.11)"
	cd "$(COLL)" && $(call TEST_ENV,$(VENV219)) ansible-test units --local --python 3.11 --color no $(TARGETS)

integration-219: venv-219 stage
	@echo "== ansible-test integration (ansible-core 2.19, Python 3.11)"
	@if ls tests/integration/targets/*/aliases >/dev/null 2>&1; then \
	  cd "$(COLL)" && $(call TEST_ENV,$(VENV219)) ansible-test integration --local --python 3.11 --color no $(TARGETS); \
	else echo "no integration targets yet"; fi

test:
	@start=$$(date +%s); for step in units sanity docs integration lint molecule browser units-219 integration-219; do \
	  t0=$$(date +%s); $(MAKE) --no-print-directory $$step; echo "-- $$step passed in $$(( $$(date +%s) - t0 ))s"; done; \
	echo "== make test: all steps passed in $$(( $$(date +%s) - start ))s"

demo: venv stage
	@bash hack/demo.sh "$(VENV)" "$(COLL)"

# Not part of `make test`: speed and memory against the simulator, as ratios from one run (bench/README.md).
# BENCH_ARGS=--smoke runs tiny sizes without enforcing the targets.
BENCH_ARGS ?=
bench: venv stage
	@echo "== benchmarks (ansible-core 2.21, Python 3.12; bench/README.md)"
	cd "$(COLL)" && BENCH_SOURCE="$(CURDIR)" "$(VENV)/bin/python" bench/run.py --out "$(CURDIR)/bench/results/latest.json" $(BENCH_ARGS)

clean:
	rm -rf "$(BUILD)" reports tests/output
