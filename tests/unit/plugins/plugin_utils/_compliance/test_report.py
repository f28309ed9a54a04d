# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report: counts, the JSON shape, the summary lines and the verdict of a host."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.report import Report, summary
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import NOW, WAIVER, checks, ocp, stale

summary_of = summary


def report_of(records, mode, generated_at=None):
    return Report(records, mode, generated_at).as_dict()


# ---------------------------------------------------------------------------------------------------------------
# Summary and report


def test_summary_counts_every_status():
    records = checks(stale(), {'waivers': [WAIVER], 'custom': [{'id': 'x', 'expression': 'data.nothing', 'expected': 1}]}, NOW)
    records += checks(ocp(data_result={'failed': True, 'msg': 'x'}, cluster='c2'))
    counts = summary_of(records)
    assert list(counts) == ['pass', 'fail', 'waived', 'error']
    assert counts == {status: sum(1 for r in records if r['status'] == status) for status in ('pass', 'fail', 'waived', 'error')}
    assert counts['waived'] == 1 and counts['error'] == 5 and counts['fail'] == 2
    assert summary_of([]) == {'pass': 0, 'fail': 0, 'waived': 0, 'error': 0}


@pytest.mark.parametrize('records', [[{'status': 'ok'}], [None], 'pass', {'status': 'pass'}])
def test_summary_rejects_what_is_not_a_record_list(records):
    with pytest.raises(ComplianceError, match='check record|list of check records'):
        summary_of(records)


def test_report_shape():
    merged = checks(ocp(cluster='zz')) + checks(stale())
    report = report_of(merged, 'audit', '2026-11-23T00:00:00Z')
    assert list(report) == ['generated_at', 'mode', 'summary', 'checks']
    assert report['generated_at'] == '2026-11-23T00:00:00Z' and report['mode'] == 'audit'
    assert report['summary'] == summary_of(merged)
    assert [r['cluster'] for r in report['checks']][0] == 'c1' and report['checks'][-1]['cluster'] == 'zz'
    assert sorted(map(json.dumps, report['checks'])) == sorted(map(json.dumps, merged))
    json.dumps(report)


def test_report_defaults_generated_at_to_utc_now():
    report = report_of([], 'gate')
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', report['generated_at'])
    moment = datetime.datetime.strptime(report['generated_at'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - moment).total_seconds()) < 60
    assert report['summary'] == {'pass': 0, 'fail': 0, 'waived': 0, 'error': 0} and report['checks'] == []


@pytest.mark.parametrize('mode, generated_at, match', [('check', None, 'mode must be audit or gate'), ('audit', 5, 'generated_at must be')])
def test_report_rejects_bad_arguments(mode, generated_at, match):
    with pytest.raises(ComplianceError, match=match):
        report_of([], mode, generated_at)


# ---------------------------------------------------------------------------------------------------------------
# The summary lines and the verdict


def _records(*statuses, tenant='t1'):
    return [{'check': 'c%d' % index, 'cluster': 'k', 'tenant': tenant, 'source': 'ocp', 'status': status, 'observed': None,
             'threshold': None, 'message': 'm%d' % index} for index, status in enumerate(statuses)]


def test_lines_count_and_list_what_did_not_pass_errors_first():
    lines = Report(_records('pass', 'fail', 'waived', 'error'), 'audit').lines()
    assert lines == ['Backup compliance (audit): 1 pass, 1 fail, 1 waived, 1 error',
                     'ERROR  k/t1  c3: m3', 'FAIL  k/t1  c1: m1', 'WAIVED  k/t1  c2: m2']


def test_lines_fit_one_screen():
    lines = Report(_records(*['fail'] * 45), 'gate').lines()
    assert len(lines) == 1 + 20 + 1 and lines[-1] == '... and 25 more checks that did not pass: see the reports'
    assert len(Report(_records(*['fail'] * 3), 'gate').lines(limit=2)) == 4


def test_lines_and_verdicts_strip_control_characters_from_what_they_quote():
    records = _records('fail', tenant='t\x1b[2J1')
    records[0]['message'] = 'disk \x1b[31mfull\x07'
    assert Report(records, 'audit').lines()[1] == 'FAIL  k/t1  c0: disk full'
    assert Report(records, 'gate').verdict()['msg'] == '1 blocker(s): [t1] c0: disk full'


def test_the_gate_lists_every_failure_and_error_as_a_blocker():
    verdict = Report(_records('pass', 'fail', 'error', 'waived', 'fail'), 'gate').verdict()
    assert verdict == {'failed': True, 'msg': '3 blocker(s): [t1] c1: m1; [t1] c4: m4; [t1] c2: m2'}
    assert Report(_records('pass', 'waived'), 'gate').verdict() == {'failed': False, 'msg': None}


def test_the_audit_fails_on_failed_queries_and_on_failures_only_when_asked():
    records = _records('fail', 'error', 'error')
    records[2]['message'] = records[1]['message']
    assert Report(records, 'audit').verdict() == {'failed': True, 'msg': '2 check(s) could not be evaluated because a query failed: m1'}
    assert Report(_records('fail', 'pass'), 'audit').verdict() == {'failed': False, 'msg': None}
    assert Report(_records('fail', 'pass'), 'audit').verdict('true') == {'failed': True, 'msg': '1 failed check(s): [t1] c0: m0'}
    assert Report(_records('waived', 'pass'), 'audit').verdict(True) == {'failed': False, 'msg': None}
