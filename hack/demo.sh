#!/usr/bin/env bash
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# make demo: start the simulator with the demo scenario, run the compliance audit, show the reports, stop the simulator.
set -euo pipefail
venv=$1
coll=$2
here=$(cd "$(dirname "$0")/.." && pwd)
state=$(mktemp -d)
reports="$here/reports"
"$venv/bin/python" "$coll/tests/simulator/run_simulator.py" --scenario demo --state-file "$state/state.json" --lifetime 600 --quiet &
sim=$!
trap 'kill $sim 2>/dev/null || true; rm -rf "$state"' EXIT
for _ in $(seq 100); do [ -s "$state/state.json" ] && break; sleep 0.1; done
[ -s "$state/state.json" ] || { echo "the simulator did not start"; exit 1; }
echo "simulator: $(cat "$state/state.json")"
rc=0
(cd "$coll" && PATH="$venv/bin:$PATH" ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_DISPLAY_SKIPPED_HOSTS=false \
  ansible-playbook -i playbooks/inventory/demo.yml playbooks/compliance_audit.yml -e "oceanbase_report_dir=$reports") || rc=$?
echo
if [ -s "$reports/compliance-report.json" ]; then
  # The same one-screen summary the audit printed, from the report it wrote.
  PYTHONPATH="$(cd "$coll/../../.." && pwd)" "$venv/bin/python" - "$reports/compliance-report.json" <<'PY'
import json
import sys

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.report import Report
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import recovery, view
from ansible_collections.oceanbase.backup.plugins.plugin_utils._text import printable

with open(sys.argv[1], encoding='utf-8') as handle:
    report = json.load(handle)
print('\n'.join(Report(report['checks'], report['mode'], report['generated_at']).lines()))
# Each tenant's backup policy and last restore drill, as the HTML and Markdown reports show them.
print('\nBackup policy and restore drills:')
for cluster, tenant, cells in recovery.rows(view.View(report)):
    shown = ['%s: %s' % (name.lower(), cell.text) for name, cell in zip(recovery.HEADER, cells) if cell.text != recovery.NONE]
    print(printable('  %s/%s: %s' % (cluster.name, tenant, '; '.join(shown))))
PY
fi
echo
echo "Reports:"
for report in "$reports"/compliance-report.*; do [ -e "$report" ] && echo "  $report"; done
echo "Open $reports/compliance-report.html in a browser. Audit exit code: $rc (0: every query worked; failed checks are in the report)."
exit $rc
