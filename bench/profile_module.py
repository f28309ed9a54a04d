# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Profile one run of ocp_data_backup_tasks_info in-process with cProfile (AnsibleModule, HTTP, paging, summaries, exit_json).

    python bench/profile_module.py COLLECTIONS_ROOT ARGS_JSON OUT_TXT [TOP]

COLLECTIONS_ROOT is the directory that holds ansible_collections/. Writes the report to OUT_TXT and prints JSON:
{"seconds", "top": [{"function", "calls", "own_s", "cumulative_s"}]} sorted by own time.
"""
import cProfile
import io
import json
import pstats
import sys
import time


def main(root, args_json, out_txt, top=25):
    sys.path.insert(0, root)
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.oceanbase.backup.plugins.modules import ocp_data_backup_tasks_info as module

    profile = cProfile.Profile()
    stdout, sys.stdout = sys.stdout, io.StringIO()
    started = time.perf_counter()
    try:
        with patch_module_args(json.loads(args_json)):
            profile.enable()
            try:
                module.main()
            except SystemExit:
                pass
            finally:
                profile.disable()
    finally:
        answer, sys.stdout = sys.stdout.getvalue(), stdout
    seconds = time.perf_counter() - started
    if '"failed": true' in answer:
        sys.exit('the module failed: %s' % answer[-2000:])
    stats = pstats.Stats(profile)
    with open(out_txt, 'w') as handle:
        stats.stream = handle
        stats.sort_stats('cumulative').print_stats(60)
        stats.sort_stats('tottime').print_stats(40)
    rows = []
    for (path, line, name), (calls, _primitive, own, cumulative, _callers) in stats.stats.items():
        rows.append({'function': '%s:%d(%s)' % (_short(path), line, name), 'calls': calls,
                     'own_s': round(own, 4), 'cumulative_s': round(cumulative, 4)})
    rows.sort(key=lambda row: -row['own_s'])
    print(json.dumps({'seconds': round(seconds, 3), 'output_bytes': len(answer), 'top': rows[:int(top)]}))


def _short(path):
    for marker in ('ansible_collections/', 'site-packages/', 'lib/python'):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


if __name__ == '__main__':
    main(*sys.argv[1:5])
