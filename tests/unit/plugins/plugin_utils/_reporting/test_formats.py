# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every rendering of one report, read back with a real parser: they agree on every record, hostile names
and messages stay text, the metrics parse with Prometheus' own parser, and large reports stay small."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families as prometheus_families

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import (
    html_parts, html_report, json_report, junit, markdown, openmetrics, values, view as view_module)
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import parse, sample

RENDERERS = {'json': json_report.write, 'markdown': markdown.write, 'html': html_report.write, 'junit': junit.write,
             'openmetrics': openmetrics.write}
JUNIT_STATUS = {'failure': 'fail', 'error': 'error', 'skipped': 'waived'}


def render(report, fmt, previous=None):
    out = io.StringIO()
    RENDERERS[fmt](view_module.View(report, previous), out)
    return out.getvalue()


def key(record):
    return (values.clean_text(record['cluster']), values.clean_text(record['tenant']), record['check'])


@pytest.fixture(scope='module')
def report():
    return sample.sample_report()


@pytest.fixture(scope='module')
def rendered(report):
    return dict((fmt, render(report, fmt)) for fmt in RENDERERS)


def test_json_has_every_record_exactly(report, rendered):
    loaded = json.loads(rendered['json'])
    assert loaded['checks'] == json.loads(json.dumps(report['checks']))
    assert loaded['summary'] == report['summary'] and loaded['generated_at'] == report['generated_at']
    assert loaded['since_last_run'] is None


def junit_records(text):
    found = {}
    for suite in ET.fromstring(text).iter('testsuite'):
        for case in suite.iter('testcase'):
            tenant = case.get('classname')[len(suite.get('name')) + 1:]
            kinds = [JUNIT_STATUS[child.tag] for child in case if child.tag in JUNIT_STATUS]
            found[(suite.get('name'), tenant, case.get('name'))] = (kinds[0] if kinds else 'pass', case.find('system-out').text or '')
    return found


def test_junit_agrees_and_counts(report, rendered):
    found = junit_records(rendered['junit'])
    assert found == dict((key(record), (record['status'], values.clean_text(record['message']))) for record in report['checks'])
    root = ET.fromstring(rendered['junit'])
    assert (root.get('tests'), root.get('failures'), root.get('errors'), root.get('skipped')) == tuple(
        str(value) for value in (len(report['checks']), report['summary']['fail'], report['summary']['error'], report['summary']['waived']))
    assert sum(int(suite.get('tests')) for suite in root.iter('testsuite')) == len(report['checks'])


def markdown_records(text):
    tables = parse.markdown_tables(text)
    rows = tables['Failures and errors'] + tables.get('Waived', []) + tables['Passed']
    assert all(len(row) == 7 for row in rows), [row for row in rows if len(row) != 7]
    return dict(((row[0], row[1], row[2]), (row[3].strip('*').lower(), row[4], row[6])) for row in rows)


def md_text(message):
    return '\n'.join(part.strip() for part in values.clean_text(message).split('\n'))


def test_markdown_agrees(report, rendered):
    found = markdown_records(rendered['markdown'])
    assert len(found) == len(report['checks'])
    for record in report['checks']:
        status, observed, details = found[key(record)]
        assert status == record['status']
        assert observed == values.human(record['observed'], values.unit_of(record))[0]
        assert details.endswith(md_text(record['message'])) or details.startswith('(the same error as')


def test_html_matrix_and_failures_agree(report, rendered):
    dom = parse.html_dom(rendered['html'])
    cells = parse.matrix_statuses(dom)
    assert set(cells) == set(key(record) for record in report['checks'])
    for record in report['checks']:
        status, tooltip = cells[key(record)]
        assert status == record['status'] and tooltip.startswith(values.clean_text(record['message']))
    listed = parse.html_record_rows(dom.find('section', id='problems'))
    assert sorted((status, cluster, tenant, check) for status, cluster, tenant, check, _message in listed) == sorted(
        (record['status'],) + key(record) for record in report['checks'] if record['status'] in values.NOT_PASSING)
    waived = parse.html_record_rows(dom.find('section', id='waived'))
    assert sorted(row[1:4] for row in waived) == sorted(key(record) for record in report['checks'] if record['status'] == 'waived')


def test_openmetrics_parses_one_sample_per_record(report, rendered):
    families = dict((family.name, family) for family in openmetrics_families(rendered['openmetrics']))
    passed = families['oceanbase_backup_check_passed'].samples
    assert len(passed) == len(report['checks'])
    assert dict(((sample_.labels['cluster'], sample_.labels['tenant'], sample_.labels['check']), sample_.value) for sample_ in passed) == dict(
        (key(record), 1.0 if record['status'] in ('pass', 'waived') else 0.0) for record in report['checks'])
    for metric, check in (('oceanbase_backup_last_full_backup_age_seconds', 'full_backup_age'), ('oceanbase_backup_log_delay_seconds', 'log_backup_delay')):
        assert families[metric].type == 'gauge' and families[metric].unit == 'seconds'
        assert dict(((item.labels['cluster'], item.labels['tenant']), item.value) for item in families[metric].samples) == dict(
            (key(record)[:2], float(record['observed'])) for record in report['checks'] if record['check'] == check and values.is_number(record['observed']))
    assert families['oceanbase_backup_audit_timestamp_seconds'].samples[0].value == 1795420800.0
    assert dict((item.labels['status'], item.value) for item in families['oceanbase_backup_checks'].samples) == report['summary']
    assert all(family.documentation for family in families.values())


def test_openmetrics_also_reads_as_the_classic_text_format(report, rendered):
    families = dict((family.name, family) for family in prometheus_families(rendered['openmetrics']))
    assert len(families['oceanbase_backup_check_passed'].samples) == len(report['checks'])
    assert families['oceanbase_backup_log_delay_seconds'].type == 'gauge'


def test_openmetrics_one_series_per_label_set_the_worse_wins():
    first = sample.record('backup_age', 'c1', 't1', 'pass', 60, 93600, 'ok')
    second = sample.record('backup_age', 'c1', 't1', 'fail', None, 93600, 'not reported', source='obshell')
    text = render({'generated_at': sample.GENERATED_AT, 'mode': 'audit', 'checks': [first, second]}, 'openmetrics')
    samples = [item for family in openmetrics_families(text) if family.name == 'oceanbase_backup_check_passed' for item in family.samples]
    assert [(item.labels['check'], item.value) for item in samples] == [('backup_age', 0.0)]


def test_hostile_names_stay_text_in_html(rendered):
    dom = parse.html_dom(rendered['html'])
    assert [node.tag for node in dom.iter() if node.tag in ('img', 'b', 'i', 'iframe')] == []
    assert len(list(dom.iter('script'))) == 1
    tenants = [node.text() for node in dom.find('table', class_='matrix').iter('th')]
    assert sample.HOSTILE_TENANT in tenants
    assert 'edge|<i>x</i>' in [node.text() for node in dom.find('section', id='clusters').iter('td')]
    assert "script-src 'sha256-" in dom.find('meta', http_equiv='Content-Security-Policy').attrs['content']


def test_hostile_names_stay_text_in_markdown(rendered):
    text = rendered['markdown']
    assert re.findall(r'<(?!br>)', text.replace('\\<', '')) == []
    assert '&amp;' in text and '\\<img src=x onerror=alert(1)\\>' in text
    for rows in parse.markdown_tables(text).values():
        assert len(set(len(row) for row in rows)) == 1
    assert '\x1b' not in text and '\x00' not in text


def test_control_characters_keep_junit_well_formed(rendered):
    root = ET.fromstring(rendered['junit'])
    messages = [case.find('system-out').text for case in root.iter('testcase')]
    assert values.clean_text(sample.HOSTILE_MESSAGE) in messages
    tenants = [case.get('classname') for case in root.iter('testcase')]
    assert 'cluster-00.' + sample.HOSTILE_TENANT in tenants


def test_folding_shows_one_root_and_keeps_the_count(report):
    view = view_module.View(report)
    never = [problem for problem in view.problems if problem.root['check'] == 'never_backed_up' and problem.root['status'] == 'fail']
    # A failing restore drill of a never backed up tenant follows from it too.
    assert never and all(sorted(record['check'] for record in problem.folded) in (
        ['backup_age', 'full_backup_age', 'latest_backup_failed'], ['backup_age', 'full_backup_age', 'latest_backup_failed', 'restore_drill_age'])
        for problem in never)
    assert any(len(problem.folded) == 4 for problem in never)
    errors = [problem for problem in view.problems if problem.root['status'] == 'error']
    assert len(errors) == 1 and len(errors[0].folded) == 19 and errors[0].tenants == ['app', 'billing']
    assert sum(1 + len(problem.folded) for problem in view.problems) == report['summary']['fail'] + report['summary']['error']
    assert view.summary == report['summary']


def test_since_last_run(report):
    before = sample.sample_report(hostile=False, generated_at='2026-11-22T08:00:00Z')
    before['checks'][0]['status'] = 'fail'
    since = json.loads(render(report, 'json', previous=before))['since_last_run']
    assert since['previous_generated_at'] == '2026-11-22T08:00:00Z'
    assert since['resolved'] == [{'cluster': 'cluster-00', 'tenant': 'tenant_000', 'check': 'never_backed_up', 'previous_status': 'fail',
                                  'status': 'pass'}]
    assert sorted(key(record) for record in since['new']) == sorted(
        key(record) for record in report['checks'] if record['status'] in values.NOT_PASSING
        and (record['tenant'] == sample.HOSTILE_TENANT or record['cluster'] == 'edge|<i>x</i>'))
    assert 'Since the last run' in render(report, 'html', previous=before)


def test_large_reports_count_passes_and_list_every_problem():
    report = sample.sample_report(clusters=3, tenants=400, hostile=False, drills=False)
    html, md = render(report, 'html'), render(report, 'markdown')
    problems = sum(1 for record in report['checks'] if record['status'] != 'pass')
    dom = parse.html_dom(html)
    rows = [row for row in dom.find('table', class_='matrix').iter('tr') if 'data-row' in row.attrs]
    assert all(row.attrs['data-status'] != 'pass' for row in rows) and rows
    assert len(parse.html_record_rows(dom.find('section', id='problems'))) == report['summary']['fail'] + report['summary']['error']
    tables = parse.markdown_tables(md)
    assert len(tables['Failures and errors']) + len(tables['Waived']) == problems
    assert sum(int(row[2]) for row in tables['Passed']) == report['summary']['pass']
    assert len(html) < 1500 * 1000


def test_json_is_written_in_small_pieces():
    report = sample.sample_report(clusters=5, tenants=200, hostile=False)
    sizes = []

    class Sink:
        def write(self, text):
            sizes.append(len(text))

    json_report.write(view_module.View(report), Sink())
    assert max(sizes) < 1000 < sum(sizes) / 100


@pytest.mark.parametrize('bad, message', [
    ([], 'report must be a dict'),
    ({'generated_at': 'yesterday', 'mode': 'audit', 'checks': []}, 'report.generated_at must be an ISO 8601 time'),
    ({'generated_at': sample.GENERATED_AT, 'mode': 'strict', 'checks': []}, 'report.mode must be one of audit, gate'),
    ({'generated_at': sample.GENERATED_AT, 'mode': 'audit', 'checks': {}}, 'report.checks must be the list'),
    ({'generated_at': sample.GENERATED_AT, 'mode': 'audit', 'checks': [{'status': 'ok'}]}, r'report.checks\[0\].status must be one of'),
])
def test_bad_reports_are_refused_naming_the_field(bad, message):
    with pytest.raises(view_module.ReportError, match=message):
        view_module.View(bad)


def test_empty_report_renders_in_every_format():
    report = {'generated_at': sample.GENERATED_AT, 'mode': 'gate', 'checks': []}
    outputs = dict((fmt, render(report, fmt)) for fmt in RENDERERS)
    assert json.loads(outputs['json'])['checks'] == []
    assert ET.fromstring(outputs['junit']).get('tests') == '0'
    assert 'None: every check passed' in outputs['html']
    assert [family.name for family in openmetrics_families(outputs['openmetrics'])][-1] == 'oceanbase_backup_audit_timestamp_seconds'


def test_openmetrics_escapes_label_values():
    tenant = 'a"b\\c\nd\x1be'
    records = [sample.record('log_backup_delay', 'c"1', tenant, 'fail', 700, 600, 'late')]
    text = render({'generated_at': sample.GENERATED_AT, 'mode': 'audit', 'checks': records}, 'openmetrics')
    for families in (openmetrics_families(text), prometheus_families(text)):
        labels = [item.labels for family in families for item in family.samples if 'tenant' in item.labels]
        assert labels == [{'cluster': 'c"1', 'tenant': 'a"b\\c\nd\ufffde', 'check': 'log_backup_delay'},
                          {'cluster': 'c"1', 'tenant': 'a"b\\c\nd\ufffde'}]


RECOVERY = 'Backup policy and restore drills'


def test_policy_and_drill_per_tenant_agree_in_html_and_markdown(rendered):
    html = parse.recovery_rows(parse.html_dom(rendered['html']))
    markdown_rows = parse.markdown_tables(rendered['markdown'])[RECOVERY]
    assert dict(((row[0], row[1]), row[2:]) for row in markdown_rows) == dict((where, [text for text, _tip in cells]) for where, cells in html.items())
    row = dict((where, [text for text, _tip in cells]) for where, cells in html.items())
    # No strategy; a drill 20 days ago on another cluster.
    assert row[('cluster-00', 'tenant_000')] == ['not configured'] + ['\u00b7'] * 5 + ['20d ago', 'drill/tenant_000_drill', '\u00b7']
    # A monthly full backup; never restored.
    assert row[('cluster-00', 'tenant_005')][:6] == ['schedule enabled', 'MONTH', 'day 1', 'days 10, 20', '31 d', '45 d']
    assert row[('cluster-00', 'tenant_002')][6:] == ['never restored from its backups', '\u00b7', '\u00b7']
    # Weekly; a failed drill after an old success.
    assert row[('cluster-00', 'tenant_001')] == ['schedule enabled', 'WEEK', 'Mon', 'Wed, Fri', '7 d', '30 d', '120d ago', 'drill/tenant_001_drill',
                                                 '4d ago: restore failed: backup set 12 is missing a piece']
    # A query that failed says so, with its message in the tooltip.
    failed = html[('edge|<i>x</i>', 'app')]
    assert [text for text, _tip in failed] == ['query failed'] + ['\u00b7'] * 5 + ['query failed', '\u00b7', '\u00b7']
    assert failed[0][1].startswith('GET /api/v2/ob/clusters: HTTP 401')


def test_policy_and_drill_keep_the_exact_values_in_tooltips(rendered):
    cells = parse.recovery_rows(parse.html_dom(rendered['html']))[('cluster-00', 'tenant_001')]
    assert cells[2][1] == 'full_backup_days: 1 (1 is Monday)' and cells[4][1] == 'max_days_between_full: 7'
    assert cells[6][1] == 'finished T-10368000s, age 10368000 s, task 1'
    assert cells[8][1] == 'finished T-345600s, age 345600 s, task 2'


def test_hostile_strings_in_the_drill_details_stay_text(rendered):
    cells = parse.recovery_rows(parse.html_dom(rendered['html']))[('cluster-00', sample.HOSTILE_TENANT)]
    assert cells[7][0] == 'drill/' + sample.HOSTILE_TENANT
    assert cells[8][0] == '4d ago: ' + values.clean_text(sample.HOSTILE_MESSAGE)
    markdown_rows = dict(((row[0], row[1]), row) for row in parse.markdown_tables(rendered['markdown'])[RECOVERY])
    row = markdown_rows[('cluster-00', sample.HOSTILE_TENANT)]
    assert row[9] == 'drill/' + sample.HOSTILE_TENANT and row[10] == '4d ago: ' + md_text(sample.HOSTILE_MESSAGE)
    assert '\\<img src=x onerror=alert(1)\\>' in rendered['markdown'].split('## ' + RECOVERY)[1]


def test_large_reports_list_the_policy_and_drill_of_tenants_where_they_did_not_pass():
    report = sample.sample_report(clusters=3, tenants=400, hostile=False)
    dom = parse.html_dom(render(report, 'html'))
    listed = parse.recovery_rows(dom)
    wanted = set(key(record)[:2] for record in report['checks']
                 if record['check'] in ('backup_policy', 'restore_drill_age') and record['status'] != 'pass')
    assert set(listed) == wanted and 0 < len(wanted) < 1200
    assert len(parse.markdown_tables(render(report, 'markdown'))[RECOVERY]) == len(wanted)
    # A row, tooltips included, stays under a kilobyte: the table grows with the tenants it lists, nothing else.
    assert len(html_parts.recovery_table(view_module.View(report))) < 1000 * len(wanted)
