# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The harness of bench/run.py: the simulator in a child process, the runner that measures each command, rounds."""
import base64
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))
SIMULATOR = os.path.join(COLLECTION, 'tests', 'simulator', 'run_simulator.py')
PLAYBOOKS = os.path.join(HERE, 'playbooks')
BIN = os.path.dirname(sys.executable)
USER, PASSWORD = 'admin', 'Adm1n-sim'          # generated fleets (tests/simulator/README.md)
MB = 1024.0                                     # ru_maxrss is in KiB on Linux
# OCP's page size cap, the largest page_size the module accepts.
MAX_PAGE_SIZE = 2000


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
            if self.proc.poll() is not None or time.perf_counter() - started > 600:
                self.stop()
                raise BenchError('simulator %s did not start: %s' % (self.scenario, _tail(self.log_path)))
            time.sleep(0.1)
        with open(self.state_file) as handle:
            self.state = json.load(handle)
        self.start_seconds = time.perf_counter() - started
        self.start_mb = self.peak_mb()
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

    def peak_mb(self):
        """The simulator's own peak RSS so far (VmHWM), or None where /proc does not tell."""
        try:
            with open('/proc/%d/status' % self.proc.pid) as handle:
                return next(int(line.split()[1]) / MB for line in handle if line.startswith('VmHWM:'))
        except (OSError, StopIteration, ValueError):
            return None

    def figures(self):
        """What starting this simulator cost: never part of a benchmark's figures, reported beside them."""
        return {'scenario': self.scenario, 'start_s': round(self.start_seconds, 2),
                'start_mb': None if self.start_mb is None else round(self.start_mb)}

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


def task_seconds(tasks, count=None, slowest=True):
    """Seconds per task name (summed over its starts): the slowest first, or in the order the play ran them."""
    totals = {}
    for task in tasks:
        totals[task['task']] = totals.get(task['task'], 0) + task['seconds']
    items = sorted(totals.items(), key=lambda item: -item[1]) if slowest else list(totals.items())
    return [{'task': name, 'seconds': round(seconds, 2)} for name, seconds in items[:count]]


def machine():
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=os.environ.get('BENCH_SOURCE', HERE), check=True,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    from ansible.release import __version__ as ansible_version
    return {'cpus': os.cpu_count(), 'python': platform.python_version(), 'ansible_core': ansible_version,
            'platform': platform.platform(), 'commit': commit, 'load_average': os.getloadavg()}
