# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that one audit's report files agree: every expected (cluster, tenant) in the JSON, and the same counts in
the JSON summary, the Markdown, the HTML, the JUnit XML and the OpenMetrics file. Prints the counts as JSON."""

import collections
import json
import os
import sys
import xml.etree.ElementTree as ET

from prometheus_client.parser import text_string_to_metric_families

from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import parse


def main(report_dir, clusters, tenants):
    def path(ext):
        return os.path.join(report_dir, 'compliance-report.' + ext)

    with open(path('json')) as handle:
        report = json.load(handle)
    records = report['checks']
    counts = collections.Counter(record['status'] for record in records)
    expected = set(('fleet%03d' % c, 't%03d' % t) for c in range(clusters) for t in range(tenants))
    problems = []
    if set((record['cluster'], record['tenant']) for record in records) != expected:
        problems.append('the JSON report does not have exactly the %d tenants of the fleet' % len(expected))
    checks = collections.defaultdict(set)
    for record in records:
        checks[(record['cluster'], record['tenant'])].add(record['check'])
    per_tenant = set(frozenset(found) for found in checks.values())
    if len(per_tenant) != 1 or len(records) != len(expected) * len(next(iter(per_tenant))):
        problems.append('the tenants do not all have the same checks, once each')
    if dict(counts) != dict((status, number) for status, number in report['summary'].items() if number):
        problems.append('JSON summary %s but the records count %s' % (report['summary'], dict(counts)))
    problems += junit(path('xml'), records, counts) + metrics(path('prom'), records, counts)
    problems += markdown(path('md'), counts) + html(path('html'), counts)
    print(json.dumps({'records': len(records), 'per_tenant': max(len(found) for found in checks.values()), 'counts': counts,
                      'problems': problems}))
    return 1 if problems else 0


def junit(file, records, counts):
    root = ET.parse(file).getroot()
    found = (int(root.get('tests')), int(root.get('failures')), int(root.get('errors')), int(root.get('skipped')))
    wanted = (len(records), counts['fail'], counts['error'], counts['waived'])
    return [] if found == wanted else ['JUnit counts %s, the JSON %s' % (found, wanted)]


def metrics(file, records, counts):
    with open(file) as handle:
        families = dict((family.name, family) for family in text_string_to_metric_families(handle.read()))
    samples = list(families['oceanbase_backup_check_passed'].samples)
    found = (len(samples), int(sum(sample.value for sample in samples)))
    return [] if found == (len(records), counts['pass']) else ['OpenMetrics samples and passes %s, the JSON %s' % (found, (len(records), counts['pass']))]


def markdown(file, counts):
    with open(file) as handle:
        tables = parse.markdown_tables(handle.read())
    listed = len(tables.get('Failures and errors', [])) + len(tables.get('Waived', []))
    passed = sum(int(row[2]) for row in tables['Passed'])
    wanted = (counts['fail'] + counts['error'] + counts['waived'], counts['pass'])
    return [] if (listed, passed) == wanted else ['Markdown lists %d problems and counts %d passes, the JSON %s' % (listed, passed, wanted)]


def html(file, counts):
    with open(file) as handle:
        dom = parse.html_dom(handle.read())
    listed = len(parse.html_record_rows(dom.find('section', id='problems')))
    wanted = counts['fail'] + counts['error']
    return [] if listed == wanted else ['HTML lists %d failures and errors, the JSON %d' % (listed, wanted)]


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
