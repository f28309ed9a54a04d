#!/usr/bin/env bash
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# make docsite: the collection's documentation site as antsibull-docs builds it (plugin pages and the guides of
# docs/docsite/), from the collection installed from its tarball. No network here, so Sphinx cannot fetch the
# intersphinx inventories of docs.python.org and docs.ansible.com: those warnings, and the references into the
# Ansible docs that only those inventories resolve, are expected; any other warning fails.
# Usage: hack/docsite.sh TOOLS_VENV COLLECTIONS_PATH DEST
set -euo pipefail
tools=$1
collections=$2
dest=$3
export PATH="$tools/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$collections"
antsibull-docs lint-collection-docs --plugin-docs "$collections/ansible_collections/oceanbase/backup"
rm -rf "$dest"
# antsibull-docs wants directories that only their owner can write.
mkdir -p "$dest" && chmod 700 "$dest"
antsibull-docs sphinx-init --use-current --dest-dir "$dest" --fail-on-error oceanbase.backup > /dev/null
cd "$dest"
mkdir -p rst && chmod 700 rst
antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --fail-on-error --use-current \
  --dest-dir rst oceanbase.backup > antsibull-docs.log
sphinx-build -M html rst build -c . -w warnings.log --keep-going > sphinx.log 2>&1 || { cat sphinx.log; exit 1; }
for guide in guide_audit guide_pre_upgrade guide_monitoring; do
  [ -s "build/html/collections/oceanbase/backup/docsite/$guide.html" ] || { echo "guide $guide was not rendered"; exit 1; }
done
# A warning is its line and the indented or "intersphinx inventory" lines after it.
unexpected=$(grep -E 'WARNING|ERROR|CRITICAL' warnings.log \
  | grep -vE 'failed to reach any of the inventories' \
  | grep -vE "undefined label: '(ansible_configuration_settings|common_return_values|action_plugins)'" \
  | grep -vE "'envvar' reference target not found: ANSIBLE_[A-Z_]+" || true)
if [ -n "$unexpected" ]; then
  echo "Sphinx warnings other than the unreachable intersphinx inventories:"; echo "$unexpected"; exit 1
fi
echo "docsite: built in $dest/build/html ($(grep -c 'failed to reach' warnings.log) intersphinx inventories unreachable, as expected offline)"
