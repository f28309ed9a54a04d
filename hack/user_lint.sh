#!/usr/bin/env bash
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# make user-lint: `ansible-lint --strict` on a user's playbook (tests/user_project/) in a project of its own,
# outside the collection, resolving oceanbase.backup from the collection installed from its tarball.
# Usage: hack/user_lint.sh VENV COLLECTIONS_PATH
set -euo pipefail
venv=$1
collections=$2
here=$(cd "$(dirname "$0")/.." && pwd)
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cp -r "$here/tests/user_project/." "$project/"
cd "$project"
# A user's project is a git repository: ansible-lint takes its root from there and lints only its files.
git init -q .
# Plain `--strict`, as a user runs it: a profile would leave out the `args` rule that checks module options.
# The environment fallbacks of the connection options would hide a required-option error that a user without
# those variables gets: lint as that user.
lint() {
  env -u OCP_URL -u OBSHELL_URL PATH="$venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$collections" \
    ansible-lint --strict --offline --nocolor "$@"
}
lint backup_checks.yml
# The same playbook with a misspelled option must fail on it: proof that the modules' argument specs were
# loaded from the installed collection, not skipped.
sed 's/return_tasks: false/return_taks: false/' backup_checks.yml > misspelled.yml
grep -q return_taks misspelled.yml
if out=$(lint misspelled.yml 2>&1); then
  echo "ansible-lint passed a playbook with a misspelled module option:"; echo "$out"; exit 1
fi
grep -q 'args\[module\].*return_taks' <<<"$out" || { echo "ansible-lint failed for another reason:"; echo "$out"; exit 1; }
echo "user-lint: backup_checks.yml is clean; the misspelled copy fails with args[module] as it should"
