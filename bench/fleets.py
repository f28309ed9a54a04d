# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sections that audit a generated fleet with playbooks/compliance_audit.yml: the OCP fleet, the --big fleet and
the obshell fleet (with the per-tenant loop beside it)."""
import json
import math
import os

from harness import COLLECTION, PASSWORD, USER, BenchError, Simulator, task_seconds

AUDIT = os.path.join(COLLECTION, 'playbooks', 'compliance_audit.yml')
# The role's task that renders and writes every report file of the audit.
REPORT_TASK = ': Write the reports'
# Query parts every cluster must have read (the callback also counts the restores; the strategy is one request per
# cluster, within the + 3).
REQUIRED_PARTS = ('data', 'log')
# The obshell modules the audit must run on every agent (once each is the target, whatever the number of tenants).
# What must run on every agent: the one module that reads every part, or (as before it) the data and log modules.
OBSHELL_REQUIRED = (('obshell_backup_compliance_info',), ('obshell_data_backup_tasks_info', 'obshell_log_backup_tasks_info'))
# The root password of the agents of a generated obshell fleet (tests/simulator/README.md).
AGENT_PASSWORD = 'R00t-sim!'


def fleet_options(spec):
    return dict((key, int(value)) for key, value in (item.split('=') for item in spec.split(',')))


def write_inventory(path, hosts, variables):
    with open(path, 'w') as handle:
        json.dump({'all': {'hosts': hosts, 'vars': dict(variables, ansible_connection='local')}}, handle)
    return path


def ocp_audit(runner, workdir, spec, forks, default_size):
    """The audit of fleet:SPEC, one host per cluster (by name): the run, its request bound, its simulator."""
    clusters = fleet_options(spec)['clusters']
    with Simulator('fleet:' + spec, workdir) as sim:
        hosts = dict(('fleet%03d' % index, {'oceanbase_cluster_name': 'fleet%03d' % index}) for index in range(clusters))
        inventory = write_inventory(os.path.join(workdir, 'fleet-inventory.json'), hosts, {
            'oceanbase_source': 'ocp', 'ocp_url': sim.ocp_url, 'ocp_username': USER, 'ocp_password': PASSWORD,
            'ansible_python_interpreter': '{{ ansible_playbook_python }}'})
        run = runner.playbook(AUDIT, sim, inventory=inventory, forks=forks, queries=True,
                              oceanbase_report_dir=os.path.join(workdir, 'reports'))
        run['simulator'] = dict(sim.figures(), peak_mb=sim.peak_mb())
    pages, by_host = request_bound(run['timings']['queries'], sorted(hosts), default_size)
    run.update(spec=spec, clusters=clusters, forks=forks, pages=pages, bound=pages + 3 * clusters,
               tasks_per_query=sorted(set(query['total'] for query in run['timings']['queries'])), pages_by_host=by_host)
    return run


def request_bound(queries, hosts, default_size):
    """Pages each cluster needs, from what its queries read: per part, its task count over its page size (an empty
    answer is one page). The parts come from the single modules or from one ocp_backup_compliance_info run alike."""
    by_host = dict((host, {}) for host in hosts)
    for query in queries:
        if query['failed'] or query['total'] is None:
            raise BenchError('the %s query of %s failed: %s' % (query['part'], query['host'], query.get('msg')))
        parts = by_host.setdefault(query['host'], {})
        if query['part'] in parts:
            raise BenchError('%s read its %s twice' % (query['host'], query['part']))
        parts[query['part']] = max(1, math.ceil(query['total'] / int(query['page_size'] or default_size)))
    missing = sorted('%s %s' % (host, part) for host, parts in by_host.items() for part in REQUIRED_PARTS if part not in parts)
    if missing:
        raise BenchError('no query result for: %s' % ', '.join(missing[:10]))
    return sum(sum(parts.values()) for parts in by_host.values()), by_host


def bench_fleet(runner, workdir, spec, default_size):
    run = ocp_audit(runner, workdir, spec, 5, default_size)
    timings = run.pop('timings')
    run['slowest_tasks'] = task_seconds(timings['tasks'], count=6)
    totals = task_seconds(timings['tasks'])
    report = [item['seconds'] for item in totals if item['task'].endswith(REPORT_TASK)]
    if not report:
        raise BenchError('no task named %r in the fleet audit' % REPORT_TASK)
    run.update(report_s=report[0], slowest_other_s=max(item['seconds'] for item in totals if not item['task'].endswith(REPORT_TASK)))
    return run


def bench_big(runner, workdir, spec, forks, default_size):
    """The 50,000-tenant audit: wall time, the controller's and a module's peak RSS, requests, each task's seconds."""
    run = ocp_audit(runner, workdir, spec, forks, default_size)
    timings = run.pop('timings')
    run['tasks'] = task_seconds(timings['tasks'], slowest=False)
    run['reports_mb'] = dict((name, round(os.path.getsize(os.path.join(workdir, 'reports', name)) / 1048576.0, 1))
                             for name in sorted(os.listdir(os.path.join(workdir, 'reports'))))
    run.pop('pages_by_host')
    return run


def bench_obshell_fleet(runner, workdir, spec):
    """The obshell fleet: one host per agent, every user tenant of it; then the stage-1 loop over the same tenants."""
    options = fleet_options(spec)
    with Simulator('fleet:' + spec, workdir) as sim:
        hosts = dict((name, {'obshell_url': url}) for name, url in sorted(sim.state['obshell'].items()))
        if len(hosts) != options['agents']:
            raise BenchError('the simulator has %d agents, expected %d' % (len(hosts), options['agents']))
        inventory = write_inventory(os.path.join(workdir, 'obshell-inventory.json'), hosts, {
            'oceanbase_source': 'obshell', 'obshell_root_password': AGENT_PASSWORD})
        reports = os.path.join(workdir, 'obshell-reports')
        audit = runner.playbook(AUDIT, sim, inventory=inventory, forks=5, oceanbase_report_dir=reports)
        tenants = ['t%03d' % number for number in range(options['tenants'])]
        loop = runner.playbook('obshell_tenant_loop.yml', sim, inventory=inventory, forks=5, bench_tenants=tenants)
        simulator = sim.figures()
    audited = audited_tenants(reports)
    if audited != set((host, tenant) for host in hosts for tenant in tenants):
        raise BenchError('the obshell audit reported %d tenants, expected %d' % (len(audited), len(hosts) * len(tenants)))
    audit = module_runs(audit, hosts)
    ran = audit['runs_per_agent']
    if not any(all(ran.get(module, [0])[0] >= 1 for module in modules) for modules in OBSHELL_REQUIRED):
        raise BenchError('the obshell audit did not run %s on every agent' % ' or '.join(' and '.join(modules) for modules in OBSHELL_REQUIRED))
    return {'spec': spec, 'agents': len(hosts), 'tenants': len(tenants), 'simulator': simulator,
            'audit': audit, 'loop': module_runs(loop, hosts)}


def module_runs(run, hosts):
    """The run with the module runs of each agent: per module, the most and the fewest runs on one agent."""
    timings = run.pop('timings')
    runs = timings['runs']
    modules = sorted(set(module for host in hosts for module in runs.get(host, {}) if module.startswith('obshell_')))
    run['runs_per_agent'] = dict((module, [min(runs.get(host, {}).get(module, 0) for host in hosts),
                                           max(runs.get(host, {}).get(module, 0) for host in hosts)]) for module in modules)
    run['slowest_tasks'] = task_seconds(timings['tasks'], count=4)
    return run


def audited_tenants(reports):
    """(cluster, tenant) of every record of the JSON report."""
    path = os.path.join(reports, 'compliance-report.json')
    if not os.path.exists(path):
        raise BenchError('the obshell audit wrote no JSON report')
    with open(path) as handle:
        report = json.load(handle)
    return set((record.get('cluster'), record.get('tenant')) for record in report.get('checks') or [])
