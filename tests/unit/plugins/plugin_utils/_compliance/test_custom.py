# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Custom JMESPath checks and waivers."""

from __future__ import annotations

import datetime
import json
import sys

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    H, NOW, OCP_CHECKS, RECORD_KEYS, WAIVER, checks, by_check, obshell, ocp, one, overview, stale)


# ---------------------------------------------------------------------------------------------------------------
# Custom checks


def test_custom_checks_match_mismatch_and_null():
    policy = {'custom': [
        {'id': 'full_set', 'description': 'last full backup set', 'expression': 'data.last_full_success.backup_set_id', 'expected': 17},
        {'id': 'full_type', 'expression': 'data.last_full_success.type', 'expected': 'FULL'},
        {'id': 'missing', 'expression': 'data.nothing.here', 'expected': 1},
        {'id': 'log_state', 'expression': "log.status == 'DOING' && tenant == 't1'", 'expected': True},
        {'id': 'source', 'expression': '[source, cluster]', 'expected': ['ocp', 'c1']},
    ]}
    records = by_check(checks(ocp(), policy))
    assert (records['full_set']['status'], records['full_set']['observed'], records['full_set']['threshold']) == ('pass', 17, 17)
    assert records['full_set']['message'] == 'last full backup set: observed 17, expected 17'
    assert (records['full_type']['status'], records['full_type']['observed']) == ('fail', 'FULL_BACKUP')
    assert (records['missing']['status'], records['missing']['observed']) == ('fail', None)
    assert 'found no data' in records['missing']['message']
    assert records['log_state']['status'] == 'pass' and records['source']['status'] == 'pass'


def test_custom_checks_see_the_obshell_overview():
    policy = {'custom': [{'id': 'set', 'expression': 'obshell.summary.backup_set_id', 'expected': 3},
                         {'id': 'no_ocp', 'expression': 'data', 'expected': None}]}
    records = by_check(checks(obshell(overview('t1')), policy))
    assert records['set']['status'] == 'pass'
    assert records['no_ocp']['status'] == 'fail'


@pytest.mark.parametrize('expected, status', [(True, 'pass'), (1, 'fail'), ('true', 'fail')])
def test_custom_true_is_not_one(expected, status):
    policy = {'custom': [{'id': 'active', 'expression': 'log.active', 'expected': expected}]}
    assert one(ocp(), 'active', policy)['status'] == status


def test_custom_zero_is_not_false():
    policy = {'custom': [{'id': 'running', 'expression': 'data.running', 'expected': False}]}
    assert one(ocp(), 'running', policy)['status'] == 'fail'


def test_custom_expression_failing_on_this_tenants_data_fails_the_record():
    policy = {'custom': [{'id': 'n', 'expression': 'length(data.last_failure)', 'expected': 0}]}
    record = one(ocp(), 'n', policy)
    assert record['status'] == 'fail' and 'cannot be evaluated' in record['message']


def test_custom_null_after_a_failed_query_is_an_error_but_available_data_still_counts():
    policy = {'custom': [{'id': 'needs_data', 'expression': 'data.total', 'expected': 10},
                         {'id': 'needs_log', 'expression': 'log.status', 'expected': 'DOING'}]}
    records = by_check(checks(ocp(data_result={'failed': True, 'msg': 'HTTP 500'}), policy))
    assert records['needs_data']['status'] == 'error' and 'HTTP 500' in records['needs_data']['message']
    assert records['needs_log']['status'] == 'pass'


def test_invalid_custom_expression_is_a_policy_error_even_without_tenants():
    with pytest.raises(ComplianceError, match=r"policy.custom\[0\] \(bad\): invalid JMESPath expression 'data.\['"):
        checks(ocp(data={}, log={}), {'custom': [{'id': 'bad', 'expression': 'data.[', 'expected': 1}]})


def test_custom_checks_without_jmespath_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, 'jmespath', None)
    with pytest.raises(ComplianceError, match='pip install jmespath'):
        checks(ocp(), {'custom': [{'id': 'x', 'expression': 'data.total', 'expected': 1}]})
    assert len(checks(ocp())) == len(OCP_CHECKS)


# ---------------------------------------------------------------------------------------------------------------
# Waivers


def test_a_waiver_turns_a_fail_into_waived_and_says_why():
    record = one(stale(), 'full_backup_age', {'waivers': [WAIVER]}, now=NOW)
    assert record['status'] == 'waived'
    assert record['waiver'] == {'reason': 'CHG-1234 storage migration', 'expires': '2026-12-01'}
    assert record['message'].endswith('(waived until 2026-12-01: CHG-1234 storage migration)')
    assert record['observed'] == 200 * H and set(record) == RECORD_KEYS | {'waiver'}


@pytest.mark.parametrize('changes', [{'tenant': 't2'}, {'check': 'backup_age'}, {'cluster': 'other'}])
def test_a_waiver_for_something_else_does_not_apply(changes):
    record = one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, **changes)]}, now=NOW)
    assert record['status'] == 'fail' and 'waiver' not in record and 'waive' not in record['message']


@pytest.mark.parametrize('changes', [{'cluster': 'c1'}, {'cluster': '*'}, {'tenant': '*'}, {'check': '*'}])
def test_a_waiver_matches_by_cluster_and_wildcards(changes):
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, **changes)]}, now=NOW)['status'] == 'waived'


@pytest.mark.parametrize('expires, now, status', [
    ('2026-12-01', '2026-12-01T23:59:59Z', 'waived'),
    ('2026-12-01', '2026-12-02T00:00:00Z', 'fail'),
    ('2026-12-01T12:00:00Z', '2026-12-01T11:59:59Z', 'waived'),
    ('2026-12-01T12:00:00Z', '2026-12-01T12:00:00Z', 'fail'),
    ('2026-12-01T20:00:00+08:00', '2026-12-01T11:59:59Z', 'waived'),
    ('2026-12-01T20:00:00+08:00', '2026-12-01T12:00:01+00:00', 'fail'),
    ('2026-12-01T12:00:00', '2026-12-01T11:59:59Z', 'waived'),
    (datetime.date(2026, 12, 1), '2026-12-01T23:00:00Z', 'waived'),
    (datetime.date(2026, 12, 1), '2026-12-02T00:00:01Z', 'fail'),
    (None, '2099-01-01T00:00:00Z', 'waived'),
])
def test_waiver_expiry(expires, now, status):
    record = one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires=expires)]}, now=now)
    assert record['status'] == status
    if status == 'fail':
        assert 'waiver expired %s: CHG-1234' % (expires.isoformat() if isinstance(expires, datetime.date) else expires) in record['message']
    else:
        assert record['waiver']['expires'] == (expires.isoformat() if isinstance(expires, datetime.date) else expires)
        json.dumps(record)


def test_now_may_be_a_datetime():
    moment = datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc)
    assert one(stale(), 'full_backup_age', {'waivers': [WAIVER]}, now=moment)['status'] == 'fail'


def test_an_expired_waiver_does_not_hide_a_valid_one():
    waivers = [dict(WAIVER, expires='2020-01-01', reason='old'), dict(WAIVER, expires='2099-01-01', reason='new')]
    record = one(stale(), 'full_backup_age', {'waivers': waivers}, now=NOW)
    assert record['status'] == 'waived' and record['waiver']['reason'] == 'new'


def test_waivers_never_touch_pass_or_error():
    waivers = [{'check': '*', 'tenant': '*', 'reason': 'everything'}]
    records = checks(stale(), {'waivers': waivers}, NOW)
    assert {r['status'] for r in by_check(records, 't2').values()} == {'pass'}
    assert by_check(records, 't1')['full_backup_age']['status'] == 'waived'
    errors = checks(ocp(data_result={'failed': True, 'msg': 'HTTP 502'}, tenants=['t1']), {'waivers': waivers}, NOW)
    assert {r['status'] for r in errors if not r['check'].startswith('log_')} == {'error'}
    assert not any('waiver' in r for r in errors if r['status'] != 'waived')


def test_a_waiver_for_a_custom_check():
    policy = {'custom': [{'id': 'typed', 'expression': 'data.latest.type', 'expected': 'FULL_BACKUP'}],
              'waivers': [{'check': 'typed', 'tenant': 't1', 'reason': 'incrementals this week'}]}
    assert one(ocp(), 'typed', policy, now=NOW)['status'] == 'waived'


def test_the_waiver_clock_defaults_to_now():
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires='2000-01-01')]})['status'] == 'fail'
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires='2999-01-01')]})['status'] == 'waived'
