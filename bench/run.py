# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of oceanbase.backup against the simulator on loopback (bench/README.md explains every figure).

    make bench                       # stages the collection, runs this file from the staged copy
    python bench/run.py --out FILE [--repeat N] [--smoke]

Prints a table, writes JSON to --out, exits 1 when a target is missed (never with --smoke) and 2 when a run fails.
Run it from a staged collection (.../ansible_collections/oceanbase/backup/bench/run.py): make bench does.
"""
import argparse
import base64
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))
SIMULATOR = os.path.join(COLLECTION, 'tests', 'simulator', 'run_simulator.py')
PLAYBOOKS = os.path.join(HERE, 'playbooks')
BIN = os.path.dirname(sys.executable)
USER, PASSWORD = 'admin', 'Adm1n-sim'          # generated fleets (tests/simulator/README.md)
CLUSTER_ID, TENANT_ID = 1000, 100001            # the first cluster and tenant of a generated fleet
OBSHELL_AGENT, OBSHELL_PASSWORD, OBSHELL_TENANT, OBSHELL_STATUS = 'agent431', 'R00t-sim!', 't_done', 'COMPLETED'
MB = 1024.0                                     # ru_maxrss is in KiB on Linux

# OCP's page size cap, the largest page_size the module accepts.
MAX_PAGE_SIZE = 2000
# The paging and memory scenarios answer like real OCP at its worst (tests/simulator/README.md, hostile=1).
HOSTILE = ',hostile=1'
# The role's task that renders and writes every report file of the audit.
REPORT_TASK = ': Write the reports'

# The targets (bench/README.md, "Targets"): name -> (description, limit, comparison).
TARGETS = {
    'module_vs_uri': ('(b2) uri loop collecting every task / (a) module returning every task', 3.0, '>='),
    'summary_vs_uri': ('(b) lean uri loop / (a\') module with return_tasks: false', 15.0, '>='),
    'summary_vs_floor': ('((a\') - ping) / (c) requests floor', 1.2, '<='),
    'default_page_size': ('default page_size time / fastest page_size time', 1.05, '<='),
    'fleet_wall': ('fleet audit wall time (s)', 10.0, '<='),
    'fleet_report': ('fleet audit: seconds of the report step / seconds of the slowest other task', 1.0, '<'),
    'fleet_requests': ('fleet audit requests / sum over clusters of (pages + 3)', 1.0, '<='),
    'memory': ('peak RSS of one module run, return_tasks: false, %(memory_tasks)s tasks (MB)', 250.0, '<'),
}


class BenchError(Exception):
    pass


class Simulator:
    """The simulator in a child process on ephemeral ports."""

    def __init__(self, scenario, workdir):
        self.scenario = scenario
        name = scenario.replace(':', '_').replace(',', '_').replace('=', '')
        self.state_file = os.path.join(workdir, 'sim-%s.json' % name)
        self.log_path = os.path.join(workdir, 'sim-%s.log' % name)
        self.proc = None
        self.state = None

    def __enter__(self):
        started = time.perf_counter()
        with open(self.log_path, 'w') as log:
            self.proc = subprocess.Popen([sys.executable, SIMULATOR, '--scenario', self.scenario, '--state-file', self.state_file,
                                          '--quiet', '--lifetime', '1800'], stdout=log, stderr=subprocess.STDOUT)
        while not os.path.exists(self.state_file):
            if self.proc.poll() is not None or time.perf_counter() - started > 180:
                self.stop()
                raise BenchError('simulator %s did not start: %s' % (self.scenario, _tail(self.log_path)))
            time.sleep(0.1)
        with open(self.state_file) as handle:
            self.state = json.load(handle)
        self.start_seconds = time.perf_counter() - started
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    @property
    def ocp_url(self):
        return self.state['ocp_url']

    def control(self, path, method='GET'):
        request = urllib.request.Request(self.ocp_url + path, method=method, data=b'' if method == 'POST' else None)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def total_elements(self, path):
        """totalElements of a list, asked directly: what every benchmark run must read back."""
        request = urllib.request.Request(self.ocp_url + path)
        token = ('%s:%s' % (USER, PASSWORD)).encode()
        request.add_header('Authorization', 'Basic ' + base64.b64encode(token).decode())
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)['data']['page']['totalElements']


class Runner:
    """Runs commands and measures wall time, simulator requests, the largest process and the module processes."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.rss_log = os.path.join(workdir, 'module-rss.log')
        self.timings = os.path.join(workdir, 'timings.json')
        self.interpreter = os.path.join(workdir, 'python-rss')
        # Every module process runs under this interpreter: it starts the real Python and records that
        # process's peak RSS and wall time (os.wait4), so module memory is measured inside a real playbook run.
        with open(self.interpreter, 'w') as handle:
            handle.write(_WRAPPER % {'python': sys.executable, 'log': self.rss_log})
        os.chmod(self.interpreter, 0o755)
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ROOT, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
                        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'), ANSIBLE_CALLBACKS_ENABLED='bench_timer',
                        ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
                        ANSIBLE_PYTHON_INTERPRETER=self.interpreter, BENCH_TIMINGS=self.timings)
        self.env.pop('ANSIBLE_CONFIG', None)

    def playbook(self, name, sim=None, inventory='localhost,', forks=None, queries=False, **variables):
        cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, '-c', 'local']
        if forks:
            cmd += ['-f', str(forks)]
        if variables:
            cmd += ['-e', json.dumps(variables)]
        path = name if os.path.isabs(name) else os.path.join(PLAYBOOKS, name)
        return self.run(cmd + [path], sim, env={'BENCH_QUERIES': '1'} if queries else None)

    def script(self, name, *args, sim=None):
        return self.run([sys.executable, os.path.join(HERE, name)] + [str(arg) for arg in args], sim)

    def run(self, cmd, sim=None, env=None):
        for path in (self.rss_log, self.timings):
            if os.path.exists(path):
                os.remove(path)
        if sim:
            sim.control('/__sim__/reset', 'POST')
        output = os.path.join(self.workdir, 'last-run.log')
        with open(output, 'w') as log:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir, env=dict(self.env, **(env or {})))
            try:
                status, usage = os.wait4(proc.pid, 0)[1:]
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise BenchError('%s failed (exit %s):\n%s' % (' '.join(os.path.basename(c) for c in cmd[:1] + cmd[-1:]),
                                                           proc.returncode, _tail(output)))
        result = {'wall_s': wall, 'largest_process_mb': usage.ru_maxrss / MB}
        if sim:
            stats = sim.control('/__sim__/stats')
            result['requests'] = stats['requests']
            result['by_path'] = stats['by_path']
        modules = []
        if os.path.exists(self.rss_log):
            with open(self.rss_log) as handle:
                modules = [line.split() for line in handle if line.strip()]
        if modules:
            result['module_processes'] = len(modules)
            result['module_peak_mb'] = max(int(rss) for rss, _seconds in modules) / MB
            result['module_wall_s'] = sum(float(seconds) for _rss, seconds in modules)
        if os.path.exists(self.timings):
            with open(self.timings) as handle:
                result['timings'] = json.load(handle)
        return result


_WRAPPER = '''#!%(python)s -S
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(%(python)r, [%(python)r] + sys.argv[1:], os.environ)
status, usage = os.wait4(pid, 0)[1:]
with open(%(log)r, 'a') as handle:
    handle.write('%%d %%.4f\\n' %% (usage.ru_maxrss, time.perf_counter() - started))
sys.exit(os.waitstatus_to_exitcode(status))
'''


def _tail(path, lines=40):
    with open(path, errors='replace') as handle:
        return ''.join(handle.readlines()[-lines:])


def summarize(samples):
    """The median run of a list of runs (by wall time), with every wall time kept."""
    ordered = sorted(samples, key=lambda run: run['wall_s'])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median['wall_s'] = statistics.median(run['wall_s'] for run in samples)
    median['samples_s'] = [round(run['wall_s'], 3) for run in samples]
    median.pop('timings', None)
    return median


def rounds(repeat, variants):
    """Run each variant once per round, interleaved, so that load changes on the machine hit every variant alike."""
    samples = dict((name, []) for name in variants)
    for _round in range(repeat):
        for name, call in variants.items():
            samples[name].append(call())
    return dict((name, summarize(runs)) for name, runs in samples.items())


def collection_defaults(runner):
    """The module's default page_size, as ansible-doc shows it (the harness reads no module_utils: it also measures
    other versions of the collection, see bench/README.md)."""
    answer = subprocess.run([os.path.join(BIN, 'ansible-doc'), '--json', 'oceanbase.backup.ocp_data_backup_tasks_info'],
                            check=True, stdout=subprocess.PIPE, env=runner.env, text=True)
    doc = json.loads(answer.stdout)['oceanbase.backup.ocp_data_backup_tasks_info']['doc']
    return int(doc['options']['page_size']['default']), MAX_PAGE_SIZE


def bench_paging(runner, workdir, tasks, repeat, long_repeat, page_sizes, default_size):
    scenario = 'fleet:clusters=1,tenants=1,tasks=%d%s' % (tasks, HOSTILE)
    results = {}
    with Simulator(scenario, workdir) as sim:
        results['simulator_start_s'] = sim.start_seconds
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

        def module(return_tasks, size=None):
            variables = dict(common, bench_return_tasks=return_tasks)
            if size is not None:
                variables['bench_page_size'] = size
            return lambda: runner.playbook('module.yml', sim, **variables)

        # Warm-up, not measured: the first run of a module builds its AnsiballZ payload and byte-compiles the collection.
        runner.playbook('ping.yml')
        module(False)()
        runner.playbook('module.yml', sim, **small)

        variants = {
            'ping': lambda: runner.playbook('ping.yml', sim),
            'floor': lambda: runner.script('floor.py', sim.ocp_url, USER, PASSWORD, CLUSTER_ID, default_size, expected, sim=sim),
            'small_page': lambda: runner.playbook('module.yml', sim, **small),
        }
        for size in page_sizes:
            variants['summary_page_%d' % size] = module(False, None if size == default_size else size)
        results.update(rounds(repeat, variants))
        results['summary'] = results['summary_page_%d' % default_size]
        carried = carry_file(workdir, sim, default_size)
        results.update(rounds(long_repeat, {
            'module': module(True),
            'carry': lambda: runner.playbook('carry.yml', bench_result_file=carried, bench_expected=expected),
            'uri_loop': lambda: runner.playbook('uri_loop.yml', sim, bench_page_size=default_size, **common),
            'uri_collect': lambda: runner.playbook('uri_collect.yml', sim, bench_page_size=default_size, **common),
        }))
        results['profile'] = profile(workdir, dict(ocp_url=sim.ocp_url, ocp_username=USER, ocp_password=PASSWORD,
                                                   cluster_id=CLUSTER_ID, return_tasks=False))
    results['tasks'] = expected
    results['small_page_tasks'] = small_expected
    return results


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
            'tasks': tasks,
            'summary': summarize([runner.playbook('module.yml', sim, bench_return_tasks=False, **common)]),
            'module': summarize([runner.playbook('module.yml', sim, bench_return_tasks=True, **common)]),
            # With every task returned, the floor is what ansible-core needs to carry them back from any module.
            'carry': summarize([runner.playbook('carry.yml', bench_result_file=carried, bench_expected=tasks)]),
        }


def bench_fleet(runner, workdir, spec, default_size):
    options = dict(item.split('=') for item in spec.split(','))
    clusters = int(options['clusters'])
    with Simulator('fleet:' + spec, workdir) as sim:
        inventory = os.path.join(workdir, 'fleet-inventory.json')
        hosts = dict(('fleet%03d' % index, {'oceanbase_cluster_name': 'fleet%03d' % index}) for index in range(clusters))
        with open(inventory, 'w') as handle:
            json.dump({'all': {'hosts': hosts, 'vars': {
                'ansible_connection': 'local', 'oceanbase_source': 'ocp', 'ocp_url': sim.ocp_url,
                'ocp_username': USER, 'ocp_password': PASSWORD}}}, handle)
        run = runner.playbook(os.path.join(COLLECTION, 'playbooks', 'compliance_audit.yml'), sim, inventory=inventory, forks=5,
                              queries=True, oceanbase_report_dir=os.path.join(workdir, 'reports'))
    timings = run.pop('timings')
    queries = timings['queries']
    # Pages each cluster needs: per query, its task count over its page size (an empty answer is one page).
    pages = sum(max(1, math.ceil(query['total'] / int(query['page_size'] or default_size))) for query in queries)
    if len(queries) != 2 * clusters:
        raise BenchError('expected a data and a log query per cluster, the callback saw %d queries' % len(queries))
    run.update(spec=spec, clusters=clusters, pages=pages, bound=pages + 3 * clusters,
               tasks_per_query=sorted(set(query['total'] for query in queries)), slowest_tasks=_slowest(timings['tasks']))
    totals = _slowest(timings['tasks'], count=None)
    report = [item['seconds'] for item in totals if item['task'].endswith(REPORT_TASK)]
    if not report:
        raise BenchError('no task named %r in the fleet audit' % REPORT_TASK)
    run.update(report_s=report[0], slowest_other_s=max(item['seconds'] for item in totals if not item['task'].endswith(REPORT_TASK)))
    return run


def _slowest(tasks, count=6):
    totals = {}
    for task in tasks:
        totals[task['task']] = totals.get(task['task'], 0) + task['seconds']
    return [{'task': name, 'seconds': round(seconds, 2)} for name, seconds in sorted(totals.items(), key=lambda item: -item[1])[:count]]


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


def evaluate(results, default_size):
    paging, fleet, memory = results['paging'], results['fleet'], results['memory']
    sizes = dict((int(name.rsplit('_', 1)[1]), run['wall_s']) for name, run in paging.items() if name.startswith('summary_page_'))
    fastest = min(sizes, key=sizes.get)
    # Variants that ran in the same rounds are compared round by round (the median of the ratios), so that a change
    # of load between rounds does not count as a difference between variants.
    measured = {
        'module_vs_uri': _paired(lambda uri, module: uri / module, paging['uri_collect'], paging['module']),
        'summary_vs_uri': paging['uri_loop']['wall_s'] / paging['summary']['wall_s'],
        'summary_vs_floor': _paired(lambda summary, ping, floor: (summary - ping) / floor, paging['summary'], paging['ping'], paging['floor']),
        'default_page_size': sizes[default_size] / sizes[fastest],
        'fleet_wall': fleet['wall_s'],
        'fleet_report': fleet['report_s'] / fleet['slowest_other_s'],
        'fleet_requests': fleet['requests'] / float(fleet['bound']),
        'memory': memory['summary']['module_peak_mb'],
    }
    checks = []
    for key, (description, limit, op) in TARGETS.items():
        value = measured[key]
        ok = {'>=': value >= limit, '<=': value <= limit, '<': value < limit}[op]
        checks.append({'id': key, 'figure': description % {'memory_tasks': memory['tasks']}, 'measured': round(value, 3),
                       'target': '%s %g' % (op, limit), 'pass': ok})
    results['fastest_page_size'] = fastest
    return checks


def _paired(ratio, *runs):
    return statistics.median(ratio(*samples) for samples in zip(*(run['samples_s'] for run in runs)))


def render(results, checks):
    paging, fleet, memory, obshell = results['paging'], results['fleet'], results['memory'], results['obshell']
    lines = []

    def table(title, header, rows):
        lines.append('')
        lines.append(title)
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
        for index, row in enumerate([header] + rows):
            cells = [str(cell).ljust(width) if i == 0 else str(cell).rjust(width) for i, (cell, width) in enumerate(zip(row, widths))]
            lines.append('  ' + '  '.join(cells))
            if index == 0:
                lines.append('  ' + '  '.join('-' * width for width in widths))

    def row(label, run, extra=''):
        return [label, '%.2f' % run['wall_s'], run.get('requests', '-'),
                '%.0f' % run['module_peak_mb'] if 'module_peak_mb' in run else '-',
                '%.2f' % run['module_wall_s'] if 'module_wall_s' in run else '-',
                '%.0f' % run['largest_process_mb'], extra]

    header = ['run', 'wall s', 'requests', 'module MB', 'module s', 'largest MB', 'vs (b)/(b2)']
    uri, collect = paging['uri_loop']['wall_s'], paging['uri_collect']['wall_s']
    table('1. Paging: one cluster, %d data backup tasks, hostile OCP (median of %d; (a), (a0), (b), (b2): %d run%s)' % (
        paging['tasks'], len(paging['ping']['samples_s']), len(paging['uri_loop']['samples_s']),
        '' if len(paging['uri_loop']['samples_s']) == 1 else 's'), header, [
        row('(a)  module, return_tasks: true', paging['module'], '%.1fx faster than (b2)' % (collect / paging['module']['wall_s'])),
        row('(a0) any module returning that result', paging['carry'], '%.1fx faster than (b2)' % (collect / paging['carry']['wall_s'])),
        row('(a\') module, return_tasks: false', paging['summary'], '%.1fx faster than (b)' % (uri / paging['summary']['wall_s'])),
        row('(b)  ansible.builtin.uri loop, lean', paging['uri_loop']),
        row('(b2) uri loop collecting every task', paging['uri_collect']),
        row('(c)  bare requests script (floor)', paging['floor']),
        row('     ansible.builtin.ping playbook', paging['ping']),
    ])
    lines.append('  (a0) is what ansible-core alone costs to carry the %d tasks back; (a) - (a0) = %.2f s is the module\'s own work.'
                 % (paging['tasks'], paging['module']['wall_s'] - paging['carry']['wall_s']))
    sizes = sorted(int(name.rsplit('_', 1)[1]) for name in paging if name.startswith('summary_page_'))
    table('   page_size sweep, return_tasks: false (default %d, fastest %d)' % (results['default_page_size'], results['fastest_page_size']),
          header[:-1], [row('page_size %d' % size, paging['summary_page_%d' % size])[:-1] for size in sizes])
    small = paging['small_page']
    table('2. Module overhead: one small page (%d tasks) vs the same playbook with ping' % paging['small_page_tasks'],
          ['run', 'wall s', 'requests', 'module s'], [
        ['module, one page', '%.2f' % small['wall_s'], small['requests'], '%.2f' % small['module_wall_s']],
        ['ansible.builtin.ping', '%.2f' % paging['ping']['wall_s'], 0, '%.2f' % paging['ping']['module_wall_s']],
        ['difference (module task cost)', '%.2f' % (small['wall_s'] - paging['ping']['wall_s']), '', ''],
    ])
    table('3. Fleet audit: %s, playbooks/compliance_audit.yml, forks 5' % fleet['spec'], ['figure', 'value'], [
        ['wall time s', '%.1f' % fleet['wall_s']],
        ['requests (all clusters)', fleet['requests']],
        ['pages needed / bound (pages + 3 per cluster)', '%d / %d' % (fleet['pages'], fleet['bound'])],
        ['requests per cluster', '%.1f' % (fleet['requests'] / float(fleet['clusters']))],
        ['peak module process MB', '%.0f' % fleet['module_peak_mb']],
        ['report step s / slowest other task s', '%.1f / %.1f' % (fleet['report_s'], fleet['slowest_other_s'])],
    ] + [['  task: %s' % item['task'].split(' : ')[-1][:50], '%.1f s' % item['seconds']] for item in fleet['slowest_tasks']])
    table('4. obshell: one tenant backup overview (median of %d)' % len(obshell['ping']['samples_s']),
          ['run', 'wall s', 'requests', 'largest MB'], [
        ['obshell_tenant_backup_overview playbook', '%.2f' % obshell['module']['wall_s'], obshell['module']['requests'],
         '%.0f' % obshell['module']['largest_process_mb']],
        ['  minus the ping playbook', '%.2f' % (obshell['module']['wall_s'] - obshell['ping']['wall_s']), '', ''],
        ['official SDK script (PyPI obshell)', '%.2f' % obshell['sdk']['wall_s'], obshell['sdk']['requests'],
         '%.0f' % obshell['sdk']['largest_process_mb']],
    ])
    table('5. Memory: one module run, %d tasks, hostile OCP' % memory['tasks'], header[:-1], [
        row('return_tasks: false', memory['summary'])[:-1],
        row('return_tasks: true (no target)', memory['module'])[:-1],
        row('(a0) any module returning that result', memory['carry'])[:-1],
    ])
    lines.append('  with every task returned, ansible-core alone needs %.0f MB in the module process to carry them back;'
                 ' the module adds %.0f MB.' % (memory['carry']['module_peak_mb'],
                                                memory['module']['module_peak_mb'] - memory['carry']['module_peak_mb']))
    table('Targets', ['figure', 'measured', 'target', 'result'],
          [[check['figure'], '%g' % check['measured'], check['target'], 'PASS' if check['pass'] else 'FAIL'] for check in checks])
    top = results['paging']['profile']['top'][:8]
    table('Profile of (a\') in-process (cProfile, %.2f s; full report: %s)' % (
        results['paging']['profile']['seconds'], os.path.basename(results['paging']['profile']['report'])),
        ['function', 'calls', 'own s', 'cumulative s'],
        [[item['function'][-70:], item['calls'], '%.3f' % item['own_s'], '%.3f' % item['cumulative_s']] for item in top])
    return '\n'.join(lines)


def machine():
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=os.environ.get('BENCH_SOURCE', HERE), check=True,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    from ansible.release import __version__ as ansible_version
    return {'cpus': os.cpu_count(), 'python': platform.python_version(), 'ansible_core': ansible_version,
            'platform': platform.platform(), 'commit': commit, 'load_average': os.getloadavg()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(HERE, 'results', 'latest.json'))
    parser.add_argument('--repeat', type=int, default=5, help='runs of each short benchmark (the median counts)')
    parser.add_argument('--long-repeat', type=int, default=2, help='runs of (a) and (b), interleaved')
    parser.add_argument('--smoke', action='store_true', help='tiny sizes, targets reported but not enforced')
    args = parser.parse_args(argv)
    # Stopped from outside: unwind, so that the simulator and a running playbook are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if os.path.basename(os.path.dirname(os.path.dirname(COLLECTION))) != 'ansible_collections':
        parser.error('run this file from a staged collection (make bench)')
    tasks, memory_tasks, fleet = 50000, 100000, 'clusters=10,tenants=100,days=30'
    repeat, long_repeat = args.repeat, args.long_repeat
    if args.smoke:
        tasks, memory_tasks, fleet, repeat, long_repeat = 3000, 6000, 'clusters=2,tenants=5,days=3', 1, 1
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix='oceanbase-bench-') as workdir:
        runner = Runner(workdir)
        default_size, max_size = collection_defaults(runner)
        page_sizes = sorted(set([500, 1000, max_size, default_size]))
        results = {'schema': 2, 'generated_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'smoke': args.smoke,
                   'machine': machine(), 'default_page_size': default_size, 'max_page_size': max_size, 'scenario': 'hostile'}
        try:
            results['paging'] = bench_paging(runner, workdir, tasks, repeat, long_repeat, page_sizes, default_size)
            results['memory'] = bench_memory(runner, workdir, memory_tasks, default_size)
            results['fleet'] = bench_fleet(runner, workdir, fleet, default_size)
            results['obshell'] = bench_obshell(runner, workdir, repeat)
        except BenchError as exc:
            print('benchmark run failed: %s' % exc, file=sys.stderr)
            return 2
        checks = evaluate(results, default_size)
        results['targets'] = checks
        results['passed'] = all(check['pass'] for check in checks)
        results['seconds'] = round(time.perf_counter() - started, 1)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        profile_copy = os.path.splitext(os.path.abspath(args.out))[0] + '-profile.txt'
        with open(results['paging']['profile']['report']) as source, open(profile_copy, 'w') as target:
            target.write(source.read())
        results['paging']['profile']['report'] = profile_copy
        print(render(results, checks))
    with open(args.out, 'w') as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
        handle.write('\n')
    verdict = 'all targets met' if results['passed'] else 'TARGETS MISSED: %s' % ', '.join(c['id'] for c in checks if not c['pass'])
    print('\n%s in %.0f s; results in %s' % (verdict, results['seconds'], args.out))
    if args.smoke:
        return 0
    return 0 if results['passed'] else 1


if __name__ == '__main__':
    sys.exit(main())
