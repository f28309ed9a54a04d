# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The targets of bench/run.py, checked on the sections that ran, and the printed table of each section."""
import os
import statistics

# The targets (bench/README.md, "Targets"): name -> (section, description, limit, comparison).
TARGETS = {
    'module_vs_uri': ('paging', '(b2) uri loop collecting every task / (a) module returning every task', 3.0, '>='),
    'summary_vs_uri': ('paging', '(b) lean uri loop / (a\') module with return_tasks: false', 15.0, '>='),
    'summary_vs_floor': ('paging', '((a\') - ping) / (c) requests floor', 1.2, '<='),
    'default_page_size': ('paging', 'default page_size time / fastest page_size time', 1.05, '<='),
    'fleet_wall': ('fleet', 'fleet audit wall time (s)', 10.0, '<='),
    'fleet_report': ('fleet', 'fleet audit: seconds of the report step / seconds of the slowest other task', 1.0, '<'),
    'fleet_requests': ('fleet', 'fleet audit requests / sum over clusters of (pages + 3)', 1.0, '<='),
    'memory': ('memory', 'peak RSS of one module run, return_tasks: false, %(memory_tasks)s tasks (MB)', 250.0, '<'),
    'obshell_fleet_wall': ('obshell_fleet', 'obshell fleet audit wall time (s)', 12.0, '<='),
    'obshell_fleet_runs': ('obshell_fleet', 'obshell fleet audit: most runs of one module on one agent', 1, '<='),
    'big_wall': ('big', '--big audit wall time (s)', 60.0, '<='),
    'big_controller_rss': ('big', '--big audit: peak RSS of the largest process of ansible-playbook\'s tree (MB)', 1024.0, '<='),
    'big_requests': ('big', '--big audit requests / sum over clusters of (pages + 3)', 1.0, '<='),
}


def evaluate(results, default_size):
    """The targets of the sections in ``results``; those of a section that did not run are not evaluated."""
    measured = {}
    for section, figures in _MEASURES.items():
        if section in results:
            measured.update(figures(results, default_size))
    checks = []
    for key, (section, description, limit, op) in TARGETS.items():
        if key not in measured:
            continue
        value = measured[key]
        ok = {'>=': value >= limit, '<=': value <= limit, '<': value < limit}[op]
        figure = description % {'memory_tasks': results.get('memory', {}).get('tasks')}
        checks.append({'id': key, 'section': section, 'figure': figure, 'measured': round(value, 3), 'target': '%s %g' % (op, limit),
                       'pass': ok})
    return checks


def _paging(results, default_size):
    paging = results['paging']
    sizes = dict((int(name.rsplit('_', 1)[1]), run['wall_s']) for name, run in paging.items() if name.startswith('summary_page_'))
    fastest = min(sizes, key=sizes.get)
    results['fastest_page_size'] = fastest
    # Variants that ran in the same rounds are compared round by round (the median of the ratios), so that a change
    # of load between rounds does not count as a difference between variants.
    return {
        'module_vs_uri': _paired(lambda uri, module: uri / module, paging['uri_collect'], paging['module']),
        'summary_vs_uri': paging['uri_loop']['wall_s'] / paging['summary']['wall_s'],
        'summary_vs_floor': _paired(lambda summary, ping, floor: (summary - ping) / floor, paging['summary'], paging['ping'], paging['floor']),
        'default_page_size': sizes[default_size] / sizes[fastest],
    }


def _paired(ratio, *runs):
    return statistics.median(ratio(*samples) for samples in zip(*(run['samples_s'] for run in runs)))


def _fleet(results, _default_size):
    fleet = results['fleet']
    return {'fleet_wall': fleet['wall_s'], 'fleet_report': fleet['report_s'] / fleet['slowest_other_s'],
            'fleet_requests': fleet['requests'] / float(fleet['bound'])}


def _obshell_fleet(results, _default_size):
    audit = results['obshell_fleet']['audit']
    return {'obshell_fleet_wall': audit['wall_s'], 'obshell_fleet_runs': max(most for _fewest, most in audit['runs_per_agent'].values())}


def _big(results, _default_size):
    big = results['big']
    return {'big_wall': big['wall_s'], 'big_controller_rss': big['largest_process_mb'], 'big_requests': big['requests'] / float(big['bound'])}


_MEASURES = {
    'paging': _paging,
    'fleet': _fleet,
    'memory': lambda results, _default_size: {'memory': results['memory']['summary']['module_peak_mb']},
    'obshell_fleet': _obshell_fleet,
    'big': _big,
}


class Table:
    """Lines of aligned tables: the first column left, the others right."""

    def __init__(self):
        self.lines = []

    def add(self, title, header, rows):
        self.lines.append('')
        self.lines.append(title)
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
        for index, row in enumerate([header] + rows):
            cells = [str(cell).ljust(width) if i == 0 else str(cell).rjust(width) for i, (cell, width) in enumerate(zip(row, widths))]
            self.lines.append('  ' + '  '.join(cells))
            if index == 0:
                self.lines.append('  ' + '  '.join('-' * width for width in widths))

    def note(self, text):
        self.lines.append(text)


HEADER = ['run', 'wall s', 'requests', 'module MB', 'module s', 'largest MB', 'vs (b)/(b2)']


def row(label, run, extra=''):
    return [label, '%.2f' % run['wall_s'], run.get('requests', '-'),
            '%.0f' % run['module_peak_mb'] if 'module_peak_mb' in run else '-',
            '%.2f' % run['module_wall_s'] if 'module_wall_s' in run else '-',
            '%.0f' % run['largest_process_mb'], extra]


def render_paging(out, results):
    paging = results['paging']
    uri, collect = paging['uri_loop']['wall_s'], paging['uri_collect']['wall_s']
    long_runs = len(paging['uri_loop']['samples_s'])
    out.add('1. Paging: one cluster, %d data backup tasks, hostile OCP (median of %d; (a), (a0), (b), (b2): %d run%s)' % (
        paging['tasks'], len(paging['ping']['samples_s']), long_runs, '' if long_runs == 1 else 's'), HEADER, [
        row('(a)  module, return_tasks: true', paging['module'], '%.1fx faster than (b2)' % (collect / paging['module']['wall_s'])),
        row('(a0) any module returning that result', paging['carry'], '%.1fx faster than (b2)' % (collect / paging['carry']['wall_s'])),
        row('(a\') module, return_tasks: false', paging['summary'], '%.1fx faster than (b)' % (uri / paging['summary']['wall_s'])),
        row('(b)  ansible.builtin.uri loop, lean', paging['uri_loop']),
        row('(b2) uri loop collecting every task', paging['uri_collect']),
        row('(c)  bare requests script (floor)', paging['floor']),
        row('     ansible.builtin.ping playbook', paging['ping']),
    ])
    out.note('  (a0) is what ansible-core alone costs to carry the %d tasks back; (a) - (a0) = %.2f s is the module\'s own work.'
             % (paging['tasks'], paging['module']['wall_s'] - paging['carry']['wall_s']))
    sizes = sorted(int(name.rsplit('_', 1)[1]) for name in paging if name.startswith('summary_page_'))
    out.add('   page_size sweep, return_tasks: false (default %d, fastest %d)' % (results['default_page_size'], results['fastest_page_size']),
            HEADER[:-1], [row('page_size %d' % size, paging['summary_page_%d' % size])[:-1] for size in sizes])
    small = paging['small_page']
    out.add('2. Module overhead: one small page (%d tasks) vs the same playbook with ping' % paging['small_page_tasks'],
            ['run', 'wall s', 'requests', 'module s'], [
        ['module, one page', '%.2f' % small['wall_s'], small['requests'], '%.2f' % small['module_wall_s']],
        ['ansible.builtin.ping', '%.2f' % paging['ping']['wall_s'], 0, '%.2f' % paging['ping']['module_wall_s']],
        ['difference (module task cost)', '%.2f' % (small['wall_s'] - paging['ping']['wall_s']), '', ''],
    ])


def render_profile(out, results):
    profile = results['paging']['profile']
    out.add('Profile of (a\') in-process (cProfile, %.2f s; full report: %s)' % (profile['seconds'], os.path.basename(profile['report'])),
            ['function', 'calls', 'own s', 'cumulative s'],
            [[item['function'][-70:], item['calls'], '%.3f' % item['own_s'], '%.3f' % item['cumulative_s']] for item in profile['top'][:8]])


def render_memory(out, results):
    memory = results['memory']
    out.add('5. Memory: one module run, %d tasks, hostile OCP' % memory['tasks'], HEADER[:-1], [
        row('return_tasks: false', memory['summary'])[:-1],
        row('return_tasks: true (no target)', memory['module'])[:-1],
        row('(a0) any module returning that result', memory['carry'])[:-1],
    ])
    out.note('  with every task returned, ansible-core alone needs %.0f MB in the module process to carry them back;'
             ' the module adds %.0f MB.' % (memory['carry']['module_peak_mb'], memory['module']['module_peak_mb'] - memory['carry']['module_peak_mb']))


def render_obshell(out, results):
    obshell = results['obshell']
    out.add('4. obshell: one tenant backup overview (median of %d)' % len(obshell['ping']['samples_s']),
            ['run', 'wall s', 'requests', 'largest MB'], [
        ['obshell_tenant_backup_overview playbook', '%.2f' % obshell['module']['wall_s'], obshell['module']['requests'],
         '%.0f' % obshell['module']['largest_process_mb']],
        ['  minus the ping playbook', '%.2f' % (obshell['module']['wall_s'] - obshell['ping']['wall_s']), '', ''],
        ['official SDK script (PyPI obshell)', '%.2f' % obshell['sdk']['wall_s'], obshell['sdk']['requests'],
         '%.0f' % obshell['sdk']['largest_process_mb']],
    ])


def render_targets(out, checks):
    out.add('Targets (of the sections run)', ['figure', 'measured', 'target', 'result'],
            [[check['figure'], '%g' % check['measured'], check['target'], 'PASS' if check['pass'] else 'FAIL'] for check in checks])


def _module_mb(run):
    """A run's largest module process; none when every module ran in the worker processes (connection local)."""
    return '%.0f' % run['module_peak_mb'] if 'module_peak_mb' in run else 'none started'


def render_fleet(out, results):
    fleet = results['fleet']
    out.add('3. Fleet audit: %s, playbooks/compliance_audit.yml, forks %d' % (fleet['spec'], fleet['forks']), ['figure', 'value'], [
        ['wall time s', '%.1f' % fleet['wall_s']],
        ['requests (all clusters)', fleet['requests']],
        ['pages needed / bound (pages + 3 per cluster)', '%d / %d' % (fleet['pages'], fleet['bound'])],
        ['requests per cluster', '%.1f' % (fleet['requests'] / float(fleet['clusters']))],
        ['peak module process MB', _module_mb(fleet)],
        ['report step s / slowest other task s', '%.1f / %.1f' % (fleet['report_s'], fleet['slowest_other_s'])],
    ] + [['  task: %s' % item['task'].split(' : ')[-1][:50], '%.1f s' % item['seconds']] for item in fleet['slowest_tasks']])


def render_obshell_fleet(out, results):
    fleet = results['obshell_fleet']
    audit, loop = fleet['audit'], fleet['loop']
    out.add('6. obshell fleet: %d agents x %d tenants (%s), forks 5' % (fleet['agents'], fleet['tenants'], fleet['spec']),
            ['run', 'wall s', 'requests', 'module runs', 'module MB', 'largest MB'], [
        ['playbooks/compliance_audit.yml (every tenant of each agent)', '%.2f' % audit['wall_s'], audit['requests'],
         audit.get('module_processes', 0), '%.0f' % audit.get('module_peak_mb', 0), '%.0f' % audit['largest_process_mb']],
        ['stage 1: obshell_tenant_backup_overview per tenant', '%.2f' % loop['wall_s'], loop['requests'],
         loop.get('module_processes', 0), '%.0f' % loop.get('module_peak_mb', 0), '%.0f' % loop['largest_process_mb']],
    ])
    out.note('  module runs per agent (fewest-most): %s' % '; '.join(
        '%s %d-%d' % (module, fewest, most) for module, (fewest, most) in sorted(audit['runs_per_agent'].items())))
    out.note('  the audit is %.1fx the time of the stage-1 loop, which reads only the latest task of each tenant.'
             % (audit['wall_s'] / loop['wall_s']))


def render_big(out, results):
    big = results['big']
    sim = big['simulator']
    out.add('7. --big: %s, playbooks/compliance_audit.yml, forks %d' % (big['spec'], big['forks']), ['figure', 'value'], [
        ['wall time s', '%.1f' % big['wall_s']],
        ['peak RSS, largest process of the ansible-playbook tree MB (the controller)', '%.0f' % big['largest_process_mb']],
        ['peak RSS of a module process MB', _module_mb(big)],
        ['module processes / their seconds (summed)', '%d / %.1f' % (big.get('module_processes', 0), big.get('module_wall_s', 0))],
        ['requests / bound (pages + 3 per cluster)', '%d / %d' % (big['requests'], big['bound'])],
        ['requests per cluster / pages per cluster', '%.2f / %.2f' % (big['requests'] / float(big['clusters']), big['pages'] / float(big['clusters']))],
        ['simulator start s / MB (not in the figures)', '%.1f / %s' % (sim['start_s'], sim['start_mb'])],
    ] + [['  report %s MB' % name, '%.1f' % size] for name, size in sorted(big['reports_mb'].items())]
      + [['  task: %s' % item['task'].split(' : ')[-1][:60], '%.1f s' % item['seconds']] for item in big['tasks']])


# Section -> its printed tables, in the order they print.
RENDER = {
    'paging': render_paging,
    'fleet': render_fleet,
    'obshell': render_obshell,
    'memory': render_memory,
    'obshell_fleet': render_obshell_fleet,
    'big': render_big,
}


def render(results, checks):
    out = Table()
    for section, function in RENDER.items():
        if section in results:
            function(out, results)
    render_targets(out, checks)
    if 'paging' in results:
        render_profile(out, results)
    return '\n'.join(out.lines)
