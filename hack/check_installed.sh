#!/usr/bin/env bash
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# make docs: what a user gets from the tarball. Every plugin and role of the source tree renders with ansible-doc
# from the installed collection (and it has nothing else), the playbooks pass --syntax-check by name, and
# `ansible-playbook oceanbase.backup.compliance_audit` runs the audit against the simulator's demo scenario.
# Usage: hack/check_installed.sh VENV COLLECTIONS_PATH SOURCE_TREE
set -euo pipefail
venv=$1
collections=$2
src=$3
installed="$collections/ansible_collections/oceanbase/backup"
work=$(mktemp -d)
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
export ANSIBLE_COLLECTIONS_PATH="$collections" PATH="$venv/bin:$PATH"
# Outside any collection tree, so that nothing but the installed copy can answer.
cd "$work"

# Names a plugin directory of the source tree documents: roles by folder, filters and tests by their YAML docs,
# other plugins by file.
expected() {
  local type=$1 dir=$2 ext=py
  case $type in
    role) find "$src/$dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort; return ;;
    filter | test) ext=yml ;;
  esac
  find "$src/$dir" -maxdepth 1 -name "*.$ext" ! -name '__init__.py' -printf '%f\n' | sed "s/\.$ext\$//" | sort
}

check_type() {
  local type=$1 dir=$2 want got name
  [ -d "$src/$dir" ] || return 0
  want=$(expected "$type" "$dir")
  got=$(ansible-doc -t "$type" -l oceanbase.backup --json 2> >(grep -v _protomatter >&2) | "$venv/bin/python" -c \
    'import json, sys; print("\n".join(sorted(n.split(".", 2)[2] for n in json.load(sys.stdin))))' | sed '/^$/d')
  if [ "$want" != "$got" ]; then
    echo "ansible-doc -t $type lists from the tarball: [${got//$'\n'/ }]; the source tree has: [${want//$'\n'/ }]"
    exit 1
  fi
  for name in $want; do
    ansible-doc -t "$type" "oceanbase.backup.$name" > /dev/null
    echo "$type oceanbase.backup.$name ok"
  done
}

for pair in module:plugins/modules inventory:plugins/inventory filter:plugins/filter lookup:plugins/lookup \
            test:plugins/test callback:plugins/callback connection:plugins/connection role:roles; do
  check_type "${pair%%:*}" "${pair#*:}"
done
[ -n "$(expected module plugins/modules)" ] || { echo "no modules found in $src/plugins/modules"; exit 1; }

for playbook in "$installed"/playbooks/*.yml; do
  name=$(basename "$playbook" .yml)
  ansible-playbook "oceanbase.backup.$name" --syntax-check -i localhost, > /dev/null
  echo "playbook oceanbase.backup.$name --syntax-check ok"
done

# The audit by name against the simulator (free ports), with the demo inventory the tarball ships.
"$venv/bin/python" "$src/tests/simulator/run_simulator.py" --scenario demo --ocp-port 0 --obshell-port-base 0 \
  --state-file "$work/state.json" --lifetime 300 --quiet &
sim=$!
for _ in $(seq 100); do [ -s "$work/state.json" ] && break; sleep 0.1; done
[ -s "$work/state.json" ] || { echo "the simulator did not start"; exit 1; }
ocp_url=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["ocp_url"])' "$work/state.json")
obshell_url=$("$venv/bin/python" -c 'import json, sys; print(list(json.load(open(sys.argv[1]))["obshell"].values())[0])' "$work/state.json")
ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ansible-playbook oceanbase.backup.compliance_audit \
  -i "$installed/playbooks/inventory/demo.yml" -e "ocp_url=$ocp_url obshell_url=$obshell_url oceanbase_report_dir=$work/reports" \
  > "$work/audit.log" || { cat "$work/audit.log"; echo "ansible-playbook oceanbase.backup.compliance_audit failed"; exit 1; }
"$venv/bin/python" - "$work/reports/compliance-report.json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
clusters = sorted({record['cluster'] for record in report['checks']})
if clusters != ['edge', 'obdw', 'obprod'] or report['summary']['error']:
    sys.exit('unexpected audit report: clusters %s, summary %s' % (clusters, report['summary']))
print('playbook oceanbase.backup.compliance_audit ran from the tarball: %s' % report['summary'])
PY
