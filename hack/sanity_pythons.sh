#!/usr/bin/env bash
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# make sanity-pythons: the compile and import sanity tests on every Python of this image that the venv's
# ansible-test supports (for targets or the controller), but the venv's own Python, which the full sanity run
# of that core covers. The supported versions come from ansible-test itself. Run from the staged collection.
# Usage: hack/sanity_pythons.sh VENV PYENV_ROOT
set -euo pipefail
venv=$1
pyenv_root=$2
own=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
supported=$("$venv/bin/python" -c 'from ansible_test._util.target.common import constants as c
print(" ".join(c.REMOTE_ONLY_PYTHON_VERSIONS + c.CONTROLLER_PYTHON_VERSIONS))')
core=$("$venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')
ran=()
missing=()
for version in $supported; do
  [ "$version" != "$own" ] || continue
  bin=$(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -name "$version.*" 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/bin/python$version" ]; then
    missing+=("$version")
    continue
  fi
  echo "== sanity compile + import: ansible-core $core, Python $version"
  PATH="$bin/bin:$venv/bin:$PATH" VIRTUAL_ENV="$venv" \
    ansible-test sanity --local --python "$version" --test compile --test import --color no
  ran+=("$version")
done
[ "${#ran[@]}" -gt 0 ] || { echo "ansible-core $core: none of Python $supported found under $pyenv_root/versions"; exit 1; }
echo "-- ansible-core $core: compile + import passed on Python ${ran[*]} (full sanity: $own; not in this image: ${missing[*]:-none})"
