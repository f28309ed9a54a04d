# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PY312 ?= $(PYENV_ROOT)/versions/3.12.1/bin/python3.12
PY311 ?= $(PYENV_ROOT)/versions/3.11.7/bin/python3.11
VENV := $(CURDIR)/.venv
VENV219 := $(CURDIR)/.venv-219
VENV220 := $(CURDIR)/.venv-220
# Release and docs tools (galaxy-importer, antsibull-*, reuse): their pins stay out of the test venvs.
TOOLS := $(CURDIR)/.venv-tools
# Outside the work tree: ansible-test lists files with git, and would see none in an ignored folder.
BUILD ?= /tmp/oceanbase-backup-build-$(shell printf '%s' '$(CURDIR)' | md5sum | cut -c1-8)
COLL := $(BUILD)/ansible_collections/oceanbase/backup
PIP_QUIET := PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_WARN_SCRIPT_LOCATION=1
export ANSIBLE_COLLECTIONS_PATH := $(BUILD)
# What a user gets: the tarball `ansible-galaxy collection build` makes, installed under INSTALLED.
TARBALL_DIR := $(BUILD)-tarball
INSTALLED := $(TARBALL_DIR)/collections
VERSION := $(shell awk '/^version:/ {print $$2}' galaxy.yml)
TARBALL := $(TARBALL_DIR)/oceanbase-backup-$(VERSION).tar.gz
export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
# ansible-test writes here; it must stay out of the staged tree that sanity reads.
TEST_ENV = PATH="$(1)/bin:$$PATH" VIRTUAL_ENV="$(1)"
# Narrow a run: `make integration TARGETS=reliability_faults`, `make units TARGETS=tests/unit/plugins/filter`.
TARGETS ?=

.PHONY: help venv venv-219 venv-220 tools stage units sanity sanity-219 sanity-220 sanity-pythons structure licensing changelog \
	tarball docs galaxy user-lint docsite integration lint molecule units-219 integration-219 test demo bench bench-big clean browser chromium

help:
	@echo "make demo   - start the simulator and run the compliance audit against it"
	@echo "make test   - the whole suite (what .ci/run calls)"
	@echo "steps of make test, each runnable alone: $(TEST_STEPS)"

# $(call MAKE_VENV,dir,python,requirements file,what for): a fresh virtualenv with those requirements.
define MAKE_VENV
	@test -x "$(2)" || { echo "$(notdir $(2)) not found at $(2): install it with pyenv, or set PY312 / PY311"; exit 1; }
	@echo "== building $(1) ($(4))"
	@rm -rf "$(1)" && "$(2)" -m venv "$(1)"
	@$(PIP_QUIET) "$(1)/bin/pip" install -q -r $(3) 2> >(grep -v "is ignored: it is neither" >&2)
	@touch "$(1)/.stamp"
endef

$(VENV)/.stamp: tests/requirements.txt
	$(call MAKE_VENV,$(VENV),$(PY312),$<,ansible-core 2.21 on Python 3.12)

$(VENV219)/.stamp: tests/requirements-219.txt
	$(call MAKE_VENV,$(VENV219),$(PY311),$<,ansible-core 2.19 on Python 3.11)

$(VENV220)/.stamp: tests/requirements-220.txt
	$(call MAKE_VENV,$(VENV220),$(PY312),$<,ansible-core 2.20 on Python 3.12)

$(TOOLS)/.stamp: tests/requirements-tools.txt
	$(call MAKE_VENV,$(TOOLS),$(PY312),$<,galaxy-importer / antsibull-changelog / antsibull-docs / reuse)

venv: $(VENV)/.stamp hack-pip-stub
venv-219: $(VENV219)/.stamp hack-pip-stub
venv-220: $(VENV220)/.stamp hack-pip-stub
tools: $(TOOLS)/.stamp

.PHONY: hack-pip-stub
hack-pip-stub:
	@mkdir -p $(HOME)/.ansible/test/cache
	@for v in 24_2 25_2; do cmp -s hack/get_pip_stub.py $(HOME)/.ansible/test/cache/get_pip_$$v.py || cp hack/get_pip_stub.py $(HOME)/.ansible/test/cache/get_pip_$$v.py; done

stage:
	@"$(firstword $(wildcard $(VENV)/bin/python) python3)" hack/stage.py "$(COLL)"

units: venv stage
	@echo "== unit tests (ansible-core 2.21, Python 3.12)"
	cd "$(COLL)" && $(call TEST_ENV,$(VENV)) ansible-test units --local --python 3.12 --color no $(TARGETS)

# $(call SANITY,venv,python): every sanity test of that core, with no ignore file.
define SANITY
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then echo "tests/sanity/ignore-*.txt must not exist: fix the code instead"; exit 1; fi
	cd "$(COLL)" && $(call TEST_ENV,$(1)) ansible-test sanity --local --python $(2) --color no
endef

sanity: venv stage
	@echo "== ansible-test sanity (ansible-core 2.21, Python 3.12)"
	$(call SANITY,$(VENV),3.12)

sanity-219: venv-219 stage
	@echo "== ansible-test sanity (ansible-core 2.19, Python 3.11)"
	$(call SANITY,$(VENV219),3.11)

sanity-220: venv-220 stage
	@echo "== ansible-test sanity (ansible-core 2.20, Python 3.12)"
	$(call SANITY,$(VENV220),3.12)

# Compile and import on every other Python of the image that each core supports (ansible-test's own list).
sanity-pythons: venv venv-219 venv-220 stage
	@for v in "$(VENV)" "$(VENV219)" "$(VENV220)"; do (cd "$(COLL)" && bash "$(CURDIR)/hack/sanity_pythons.sh" "$$v" "$(PYENV_ROOT)"); done

# Standard library only: runs before any virtualenv exists. Part of the licensing step, the other cheap repo check.
structure:
	@echo "== structure: file and function sizes, one fake server and one path set-up for the tests, no citing of outside documents (hack/structure.py)"
	@"$(firstword $(wildcard $(VENV)/bin/python) python3)" hack/structure.py

licensing: structure venv tools
	@echo "== licensing: an SPDX header in every file (hack/spdx.py), reuse lint"
	@"$(VENV)/bin/python" hack/spdx.py --check
	@"$(TOOLS)/bin/reuse" lint --lines && echo "reuse lint: compliant"

changelog: tools
	@echo "== antsibull-changelog lint"
	@"$(TOOLS)/bin/antsibull-changelog" lint && echo "changelog fragments ok"

tarball: venv stage
	@echo "== ansible-galaxy collection build, installed into $(INSTALLED)"
	@rm -rf "$(TARBALL_DIR)" && mkdir -p "$(TARBALL_DIR)"
	@cd "$(COLL)" && "$(VENV)/bin/ansible-galaxy" collection build --output-path "$(TARBALL_DIR)"
	@ANSIBLE_COLLECTIONS_PATH="$(INSTALLED)" "$(VENV)/bin/ansible-galaxy" collection install --offline --force -p "$(INSTALLED)" "$(TARBALL)" 2>&1 | { grep -v "is not part of the configured" || true; }

galaxy: tools tarball
	@echo "== galaxy-importer on $(notdir $(TARBALL)) (tests/galaxy-importer.cfg)"
	@cd "$(TARBALL_DIR)" && GALAXY_IMPORTER_CONFIG="$(CURDIR)/tests/galaxy-importer.cfg" PATH="$(TOOLS)/bin:$$PATH" \
	  "$(TOOLS)/bin/python" -m galaxy_importer.main "$(TARBALL)" > galaxy-importer.log 2>&1 \
	  || { cat galaxy-importer.log; exit 1; }
	@if grep -E '^(WARNING|ERROR)' "$(TARBALL_DIR)/galaxy-importer.log"; then echo "galaxy-importer warned (log: $(TARBALL_DIR)/galaxy-importer.log)"; exit 1; fi
	@tail -1 "$(TARBALL_DIR)/galaxy-importer.log"

user-lint: venv tarball
	@echo "== ansible-lint --strict on a user's playbook (tests/user_project), collection from the tarball"
	@bash hack/user_lint.sh "$(VENV)" "$(INSTALLED)"

docsite: tools tarball
	@echo "== docs site built by antsibull-docs from the tarball (offline)"
	@bash hack/docsite.sh "$(TOOLS)" "$(INSTALLED)" "$(TARBALL_DIR)/docsite"

docs: venv tarball
	@echo "== from the installed tarball: ansible-doc of every plugin and role, the playbooks by name"
	@bash hack/check_installed.sh "$(VENV)" "$(INSTALLED)" "$(COLL)"

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

# Two lanes, one per core, each on its own staged copy (every step stages the tree it reads again). The virtualenvs
# both lanes use are built first, one at a time. Each lane's output is printed when the lane ends.
LANE_A := licensing changelog units sanity sanity-219 sanity-220 sanity-pythons docs galaxy user-lint docsite lint units-219
LANE_B := integration molecule browser integration-219
TEST_STEPS := $(LANE_A) $(LANE_B)
test:
	@start=$$(date +%s); $(MAKE) --no-print-directory venv venv-219; \
	$(MAKE) --no-print-directory -j2 --output-sync=target lane-a lane-b; \
	echo "== make test: all steps passed in $$(( $$(date +%s) - start ))s"

# $(call LANE,steps,build dir): the steps one after the other, with their times.
define LANE
	@for step in $(1); do t0=$$(date +%s); $(MAKE) --no-print-directory BUILD="$(2)" $$step; echo "-- $$step passed in $$(( $$(date +%s) - t0 ))s"; done
endef
.PHONY: lane-a lane-b
lane-a:
	$(call LANE,$(LANE_A),$(BUILD))
lane-b:
	$(call LANE,$(LANE_B),$(BUILD)-lane-b)

demo: venv stage
	@bash hack/demo.sh "$(VENV)" "$(COLL)"

# Not part of `make test`: speed and memory against the simulator, as ratios from one run (bench/README.md).
# BENCH_ARGS=--smoke runs tiny sizes without enforcing the targets; --only SECTION runs one section; --big the 50,000-tenant audit.
BENCH_ARGS ?=
BENCH_OUT ?= $(CURDIR)/bench/results/latest.json
bench: venv stage
	@echo "== benchmarks (ansible-core 2.21, Python 3.12; bench/README.md)"
	cd "$(COLL)" && BENCH_SOURCE="$(CURDIR)" "$(VENV)/bin/python" bench/run.py --out "$(BENCH_OUT)" $(BENCH_ARGS)

# The 50,000-tenant audit alone (not in `make bench`): bench/results/big.json.
bench-big:
	@$(MAKE) --no-print-directory bench BENCH_ARGS="--big $(BENCH_ARGS)" BENCH_OUT="$(CURDIR)/bench/results/big.json"

clean:
	rm -rf "$(BUILD)" "$(TARBALL_DIR)" reports tests/output
