# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sections of one module against one simulator: paging (with the module overhead and the profile), memory, obshell."""
import json
import os
import subprocess
import sys
import time

from harness import HERE, PASSWORD, ROOT, USER, BenchError, Simulator, rounds, summarize

CLUSTER_ID, TENANT_ID = 1000, 100001            # the first cluster and tenant of a generated fleet
OBSHELL_AGENT, OBSHELL_PASSWORD, OBSHELL_TENANT, OBSHELL_STATUS = 'agent431', 'R00t-sim!', 't_done', 'COMPLETED'
# The paging and memory scenarios answer like real OCP at its worst (tests/simulator/README.md, hostile=1).
HOSTILE = ',hostile=1'


def bench_paging(runner, workdir, tasks, repeat, long_repeat, page_sizes, default_size):
    scenario = 'fleet:clusters=1,tenants=1,tasks=%d%s' % (tasks, HOSTILE)
    with Simulator(scenario, workdir) as sim:
        results = {'simulator': sim.figures(), 'simulator_start_s': sim.start_seconds}
        cluster_path = '/api/v2/ob/clusters/%d/backup/task/dataBackupTasks' % CLUSTER_ID
        expected = sim.total_elements(cluster_path + '?page=1&size=1')
        if expected != tasks:
            raise BenchError('the simulator has %d tasks, expected %d' % (expected, tasks))
        common = dict(bench_ocp_url=sim.ocp_url, bench_ocp_username=USER, bench_ocp_password=PASSWORD,
                      bench_cluster_id=CLUSTER_ID, bench_expected=expected)
        # (2) one small page: the newest tasks of one tenant (a 95-minute window keeps the boundaries away from any task).
        window = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 95 * 60))
        small_expected = sim.total_elements('/api/v2/ob/clusters/%d/tenants/%d/backup/task/dataBackupTasks?page=1&size=1&startTime=%s'
                                            % (CLUSTER_ID, TENANT_ID, window))
        small = dict(common, bench_tenant_id=TENANT_ID, bench_start_time='-95m', bench_expected=small_expected, bench_return_tasks=True)
        module = _module_variant(runner, sim, common)
        # Warm-up, not measured: the first run of a module builds its AnsiballZ payload and byte-compiles the collection.
        runner.playbook('ping.yml')
        module(False)()
        runner.playbook('module.yml', sim, **small)
        results.update(_short_rounds(runner, sim, module, repeat, page_sizes, default_size, expected, small))
        results['summary'] = results['summary_page_%d' % default_size]
        results.update(_long_rounds(runner, workdir, sim, module, long_repeat, default_size, common))
        results['profile'] = profile(workdir, dict(ocp_url=sim.ocp_url, ocp_username=USER, ocp_password=PASSWORD,
                                                   cluster_id=CLUSTER_ID, return_tasks=False))
    results['tasks'] = expected
    results['small_page_tasks'] = small_expected
    return results


def _module_variant(runner, sim, common):
    def module(return_tasks, size=None):
        variables = dict(common, bench_return_tasks=return_tasks)
        if size is not None:
            variables['bench_page_size'] = size
        return lambda: runner.playbook('module.yml', sim, **variables)
    return module


def _short_rounds(runner, sim, module, repeat, page_sizes, default_size, expected, small):
    """ping, the floor, the small page and the page_size sweep of (a'), interleaved."""
    variants = {
        'ping': lambda: runner.playbook('ping.yml', sim),
        'floor': lambda: runner.script('floor.py', sim.ocp_url, USER, PASSWORD, CLUSTER_ID, default_size, expected, sim=sim),
        'small_page': lambda: runner.playbook('module.yml', sim, **small),
    }
    for size in page_sizes:
        variants['summary_page_%d' % size] = module(False, None if size == default_size else size)
    return rounds(repeat, variants)


def _long_rounds(runner, workdir, sim, module, long_repeat, default_size, common):
    """(a), (a0), (b) and (b2), interleaved."""
    carried = carry_file(workdir, sim, default_size)
    return rounds(long_repeat, {
        'module': module(True),
        'carry': lambda: runner.playbook('carry.yml', bench_result_file=carried, bench_expected=common['bench_expected']),
        'uri_loop': lambda: runner.playbook('uri_loop.yml', sim, bench_page_size=default_size, **common),
        'uri_collect': lambda: runner.playbook('uri_collect.yml', sim, bench_page_size=default_size, **common),
    })


# The module's own result, without what ansible-core adds to it on the way out.
_CARRY = """
import io, json, sys
sys.path.insert(0, sys.argv[1])
from ansible.module_utils.testing import patch_module_args
from ansible_collections.oceanbase.backup.plugins.modules import ocp_data_backup_tasks_info as module
stdout, sys.stdout = sys.stdout, io.StringIO()
try:
    with patch_module_args(json.loads(sys.argv[2])):
        try:
            module.main()
        except SystemExit:
            pass
finally:
    text, sys.stdout = sys.stdout.getvalue(), stdout
result = json.loads(text)
if result.get('failed'):
    sys.exit('the module failed: %s' % result.get('msg'))
for key in ('changed', 'invocation'):
    result.pop(key, None)
with open(sys.argv[3], 'w') as handle:
    json.dump(result, handle)
"""


def carry_file(workdir, sim, page_size):
    """The result (a) returns, as JSON in a file, for (a0): what carrying it back costs without any work before.

    Made in a child process: a harness grown by 50,000 tasks would pass its size on to the processes it starts
    (Linux counts a forked child's starting pages in its peak RSS).
    """
    params = dict(ocp_url=sim.ocp_url, ocp_username=USER, ocp_password=PASSWORD, cluster_id=CLUSTER_ID,
                  page_size=page_size, return_tasks=True, request_timeout=60, retries=0)
    path = os.path.join(workdir, 'carry.json')
    subprocess.run([sys.executable, '-c', _CARRY, ROOT, json.dumps(params), path], check=True)
    return path


def profile(workdir, args):
    out = os.path.join(workdir, 'profile-summary.txt')
    answer = subprocess.run([sys.executable, os.path.join(HERE, 'profile_module.py'), ROOT, json.dumps(args), out],
                            check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if answer.returncode != 0:
        raise BenchError('profiling failed: %s' % answer.stdout[-2000:])
    result = json.loads(answer.stdout.strip().splitlines()[-1])
    result['report'] = out
    return result


def bench_memory(runner, workdir, tasks, page_size):
    with Simulator('fleet:clusters=1,tenants=1,tasks=%d%s' % (tasks, HOSTILE), workdir) as sim:
        common = dict(bench_ocp_url=sim.ocp_url, bench_ocp_username=USER, bench_ocp_password=PASSWORD,
                      bench_cluster_id=CLUSTER_ID, bench_expected=tasks)
        carried = carry_file(workdir, sim, page_size)
        return {
            'tasks': tasks, 'simulator': sim.figures(),
            'summary': summarize([runner.playbook('module.yml', sim, bench_return_tasks=False, **common)]),
            'module': summarize([runner.playbook('module.yml', sim, bench_return_tasks=True, **common)]),
            # With every task returned, the floor is what ansible-core needs to carry them back from any module.
            'carry': summarize([runner.playbook('carry.yml', bench_result_file=carried, bench_expected=tasks)]),
        }


def bench_obshell(runner, workdir, repeat):
    with Simulator('integration', workdir) as sim:
        url = sim.state['obshell'][OBSHELL_AGENT]
        variables = dict(bench_obshell_url=url, bench_obshell_password=OBSHELL_PASSWORD, bench_tenant_name=OBSHELL_TENANT,
                         bench_expected=OBSHELL_STATUS)
        runner.playbook('obshell.yml', sim, **variables)
        runner.script('obshell_sdk.py', url, OBSHELL_PASSWORD, OBSHELL_TENANT, OBSHELL_STATUS, sim=sim)
        return rounds(repeat, {
            'ping': lambda: runner.playbook('ping.yml', sim),
            'module': lambda: runner.playbook('obshell.yml', sim, **variables),
            'sdk': lambda: runner.script('obshell_sdk.py', url, OBSHELL_PASSWORD, OBSHELL_TENANT, OBSHELL_STATUS, sim=sim),
        })
