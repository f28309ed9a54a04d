# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of oceanbase.backup against the simulator on loopback (bench/README.md explains every figure).

    make bench                       # stages the collection, runs this file from the staged copy
    python bench/run.py --out FILE [--repeat N] [--smoke] [--only SECTION ...] [--big]

Prints a table, writes JSON to --out, exits 1 when a target is missed (never with --smoke) and 2 when a run fails.
Run it from a staged collection (.../ansible_collections/oceanbase/backup/bench/run.py): make bench does.
The harness is in harness.py, the sections in sections.py and fleets.py, the targets and tables in tables.py.
"""
import argparse
import json
import os
import signal
import sys
import tempfile
import time

from fleets import bench_big, bench_fleet, bench_obshell_fleet
from harness import COLLECTION, HERE, BenchError, Runner, collection_defaults, machine
from sections import bench_memory, bench_obshell, bench_paging
from tables import evaluate, render

# The sections of the default run, in the order they run; --big (the same as --only big) is never among them.
DEFAULT_SECTIONS = ('paging', 'memory', 'fleet', 'obshell', 'obshell_fleet')
SECTIONS = DEFAULT_SECTIONS + ('big',)
# Sizes: full, and --smoke (tiny, targets reported but not enforced).
SIZES = {
    False: {'tasks': 50000, 'memory_tasks': 100000, 'fleet': 'clusters=10,tenants=100,days=30',
            'obshell_fleet': 'agents=10,tenants=20,days=30', 'big': 'clusters=100,tenants=500,days=30'},
    True: {'tasks': 3000, 'memory_tasks': 6000, 'fleet': 'clusters=2,tenants=5,days=3',
           'obshell_fleet': 'agents=2,tenants=3,days=3', 'big': 'clusters=4,tenants=50,days=5'},
}
BIG_FORKS = 10


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(HERE, 'results', 'latest.json'))
    parser.add_argument('--repeat', type=int, default=5, help='runs of each short benchmark (the median counts)')
    parser.add_argument('--long-repeat', type=int, default=2, help='runs of (a) and (b), interleaved')
    parser.add_argument('--smoke', action='store_true', help='tiny sizes, targets reported but not enforced')
    parser.add_argument('--only', action='append', choices=SECTIONS, metavar='SECTION',
                        help='run this section alone (repeatable): %s' % ', '.join(SECTIONS))
    parser.add_argument('--big', action='store_true', help='the 50,000-tenant audit (the same as --only big; not in the default run)')
    args = parser.parse_args(argv)
    if os.path.basename(os.path.dirname(os.path.dirname(COLLECTION))) != 'ansible_collections':
        parser.error('run this file from a staged collection (make bench)')
    chosen = set(args.only or ()) | ({'big'} if args.big else set())
    args.sections = [name for name in SECTIONS if name in chosen] if chosen else list(DEFAULT_SECTIONS)
    return args


def run_sections(runner, workdir, args, default_size, max_size):
    sizes = SIZES[args.smoke]
    repeat, long_repeat = (1, 1) if args.smoke else (args.repeat, args.long_repeat)
    calls = {
        'paging': lambda: bench_paging(runner, workdir, sizes['tasks'], repeat, long_repeat,
                                       sorted(set([500, 1000, max_size, default_size])), default_size),
        'memory': lambda: bench_memory(runner, workdir, sizes['memory_tasks'], default_size),
        'fleet': lambda: bench_fleet(runner, workdir, sizes['fleet'], default_size),
        'obshell': lambda: bench_obshell(runner, workdir, repeat),
        'obshell_fleet': lambda: bench_obshell_fleet(runner, workdir, sizes['obshell_fleet']),
        'big': lambda: bench_big(runner, workdir, sizes['big'], BIG_FORKS, default_size),
    }
    results = {}
    for name in args.sections:
        started = time.perf_counter()
        results[name] = calls[name]()
        results[name]['section_s'] = round(time.perf_counter() - started, 1)
    return results


def keep_profile(results, out):
    """The profile report next to --out (the temp dir it was written in goes away)."""
    if 'paging' not in results:
        return
    profile_copy = os.path.splitext(os.path.abspath(out))[0] + '-profile.txt'
    with open(results['paging']['profile']['report']) as source, open(profile_copy, 'w') as target:
        target.write(source.read())
    results['paging']['profile']['report'] = profile_copy


def main(argv=None):
    args = parse(argv)
    # Stopped from outside: unwind, so that the simulator and a running playbook are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix='oceanbase-bench-') as workdir:
        runner = Runner(workdir)
        default_size, max_size = collection_defaults(runner)
        results = {'schema': 3, 'generated_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'smoke': args.smoke,
                   'sections': args.sections, 'machine': machine(), 'default_page_size': default_size, 'max_page_size': max_size,
                   'scenario': 'hostile'}
        try:
            results.update(run_sections(runner, workdir, args, default_size, max_size))
        except BenchError as exc:
            print('benchmark run failed: %s' % exc, file=sys.stderr)
            return 2
        checks = evaluate(results, default_size)
        results.update(targets=checks, passed=all(check['pass'] for check in checks), seconds=round(time.perf_counter() - started, 1))
        results['machine']['load_average_after'] = os.getloadavg()
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        keep_profile(results, args.out)
        print(render(results, checks))
    with open(args.out, 'w') as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
        handle.write('\n')
    verdict = 'all targets met' if results['passed'] else 'TARGETS MISSED: %s' % ', '.join(c['id'] for c in checks if not c['pass'])
    print('\n%s in %.0f s (sections: %s); results in %s' % (verdict, results['seconds'], ', '.join(args.sections), args.out))
    if args.smoke:
        return 0
    return 0 if results['passed'] else 1


if __name__ == '__main__':
    sys.exit(main())
